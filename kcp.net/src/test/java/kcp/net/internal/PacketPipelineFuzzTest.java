package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import kcp.core.InputResult;
import kcp.core.Kcp;
import kcp.crypto.PacketSealer;
import kcp.net.SnmpField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Untrusted datagrams never throw: random and mutated bytes through open + FEC + KCP input of a receive
 * pipeline, with and without crypto. Every drop lands in a counter.
 */
class PacketPipelineFuzzTest {

    @ParameterizedTest(name = "crypto={0}")
    @ValueSource(booleans = {false, true})
    void shouldCountAndDropRandomAndMutatedDatagramsWithoutThrowing(boolean crypto) {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] key = new byte[32];
        Counters counters = new Counters(null);
        PacketPipeline tx = new PacketPipeline(crypto ? PacketSealer.forName("aes", key) : null, 10, 3,
                new Counters(null));
        PacketPipeline rx = new PacketPipeline(null, 10, 3, counters);
        Demux demux = new Demux(crypto ? PacketSealer.forName("aes", key) : null, counters);
        Kcp kcp = new Kcp(7, (b, n) -> { });
        long[] rejected = {0};
        PacketPipeline.KcpSink sink = (b, off, len, regular) -> {
            if (kcp.input(b, off, len, regular, false, 0) != InputResult.OK) {
                rejected[0]++;
                return false;
            }
            return true;
        };
        byte[] valid = new byte[1500];
        byte[] kcpBytes = new byte[1500];
        byte[] buf = new byte[1500];
        try {
            for (int i = 0; i < 100_000; i++) {
                int len;
                if (i % 2 == 0) {
                    len = rnd.nextInt(0, 1501);
                    rnd.nextBytes(buf);
                } else {
                    // a real datagram (KCP PUSH of conv 7 through FEC and crypto), then one to three bit flips
                    int kcpLen = rnd.nextInt(24, 1000);
                    rnd.nextBytes(kcpBytes);
                    kcpBytes[0] = 7;
                    kcpBytes[1] = kcpBytes[2] = kcpBytes[3] = 0;
                    kcpBytes[4] = 81;
                    len = tx.sealData(valid, kcpBytes, kcpLen, i);
                    System.arraycopy(valid, 0, buf, 0, len);
                    for (int f = rnd.nextInt(0, 4); f > 0; f--) {
                        buf[rnd.nextInt(len)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                if (demux.open(buf, len)) {
                    rx.input(demux, i, sink);
                }
            }
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ": untrusted input threw", e);
        }
        long drops = counters.get(SnmpField.IN_CSUM_ERRORS) + counters.get(SnmpField.IN_ERRS) + rejected[0]
                + counters.get(SnmpField.FEC_ERRS);
        assertTrue(drops > 10_000, "seed " + seed + ": drops counted " + drops);
        if (crypto) {
            assertTrue(counters.get(SnmpField.IN_CSUM_ERRORS) > 40_000, "seed " + seed);
        }
    }

    @Test
    void shouldRoundTripADatagramThroughFecAndCrypto() {
        byte[] key = new byte[16];
        PacketPipeline tx = new PacketPipeline(PacketSealer.forName("aes-128", key), 2, 1, new Counters(null));
        Counters rxCounters = new Counters(null);
        PacketPipeline rx = new PacketPipeline(null, 2, 1, rxCounters);
        Demux demux = new Demux(PacketSealer.forName("aes-128", key), rxCounters);
        assertEquals(28, tx.overheadBytes());
        byte[] out = new byte[1500];
        byte[] kcpBytes = new byte[100];
        new SplittableRandom(1).nextBytes(kcpBytes);
        int len = tx.sealData(out, kcpBytes, kcpBytes.length, 0);
        assertEquals(128, len);
        assertTrue(demux.open(out, len));
        assertEquals(108, demux.length());
        assertEquals(Demux.FEC_DATA, demux.kind());
        assertTrue(demux.hasConv());
        byte[][] got = new byte[1][];
        rx.input(demux, 0, (b, off, l, regular) -> {
            got[0] = java.util.Arrays.copyOfRange(b, off, off + l);
            return true;
        });
        assertEquals(java.util.HexFormat.of().formatHex(kcpBytes), java.util.HexFormat.of().formatHex(got[0]));
        assertEquals(1, rxCounters.get(SnmpField.IN_PKTS));
        out[30] ^= 1;
        assertFalse(demux.open(out, len));
        assertEquals(1, rxCounters.get(SnmpField.IN_CSUM_ERRORS));
    }

    @Test
    void shouldCountDuplicateAndMalformedFecShardsInInErrs() {
        PacketPipeline tx = new PacketPipeline(null, 2, 1, new Counters(null));
        Counters counters = new Counters(null);
        PacketPipeline rx = new PacketPipeline(null, 2, 1, counters);
        Demux demux = new Demux(null, counters);
        byte[] kcpBytes = new byte[100];
        kcpBytes[4] = 81;
        byte[] out = new byte[1500];
        int len = tx.sealData(out, kcpBytes, kcpBytes.length, 0);
        PacketPipeline.KcpSink sink = (b, off, l, regular) -> true;
        for (int i = 0; i < 2; i++) {
            byte[] copy = java.util.Arrays.copyOf(out, len);
            assertTrue(demux.open(copy, len));
            rx.input(demux, 0, sink);
        }
        assertEquals(1, counters.get(SnmpField.IN_ERRS), "the second copy of a shard is a duplicate");
        byte[] shortFec = {0, 0, 0, 0, (byte) 0xF1, 0, 1};
        assertTrue(demux.open(shortFec, shortFec.length));
        assertEquals(Demux.FEC_MALFORMED, demux.kind());
        rx.input(demux, 0, sink);
        assertEquals(2, counters.get(SnmpField.IN_ERRS), "an FEC datagram shorter than its header");
    }
}
