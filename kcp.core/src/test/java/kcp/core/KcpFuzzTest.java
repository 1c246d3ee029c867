package kcp.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import kcp.core.testing.KcpPair;
import kcp.core.testing.LossyLink;
import kcp.core.testing.VirtualClock;
import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** Random bytes never make input throw and never corrupt an established flow. */
class KcpFuzzTest {
    private static final int CONV = 0x0BADF00D;
    private static final int PACKETS = 1_000_000;

    @Test
    void shouldSurviveAMillionRandomPacketsDuringATransfer() throws Exception {
        long seed = 0xF00DL;
        SeedReporter.run("random packets into a live flow", seed, () -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            VirtualClock clock = new VirtualClock(-5000);
            KcpPair pair = new KcpPair(CONV, clock, new LossyLink(seed + 1, 5, 10, 30, 2, true, 1000),
                    new LossyLink(seed + 2, 5, 10, 30, 2, true, 1000));
            Kcp a = pair.a();
            Kcp b = pair.b();
            for (Kcp k : new Kcp[] {a, b}) {
                k.setNoDelay(true, 10, 2, true);
                k.setWindowSize(128, 128);
            }
            byte[] payload = new byte[1 << 20];
            rnd.nextBytes(payload);
            byte[] got = new byte[payload.length];
            byte[] buf = new byte[4096];
            byte[] junk = new byte[200];
            int[] pos = {0, 0, 0};
            Map<InputResult, Integer> results = new EnumMap<>(InputResult.class);
            pair.setApplication(now -> {
                while (pos[0] < payload.length && a.waitSnd() < 256) {
                    int n = Math.min(payload.length - pos[0], 1 + rnd.nextInt(4000));
                    a.send(payload, pos[0], n);
                    pos[0] += n;
                }
                for (int i = 0; i < 500 && pos[2] < PACKETS; i++, pos[2]++) {
                    int len = rnd.nextInt(junk.length + 1);
                    rnd.nextBytes(junk);
                    if (rnd.nextBoolean() && len >= 4) {
                        SegmentHeader.putInt(junk, 0, CONV); // get past the conv check
                    }
                    Kcp target = rnd.nextBoolean() ? a : b;
                    InputResult r = target.input(junk, 0, len, rnd.nextBoolean(), rnd.nextBoolean(), now);
                    assertNotNull(r);
                    results.merge(r, 1, Integer::sum);
                }
                int n;
                while ((n = b.recv(buf, 0, buf.length)) > 0) {
                    System.arraycopy(buf, 0, got, pos[1], n);
                    pos[1] += n;
                }
            });
            assertTrue(pair.runUntil(() -> pos[1] == payload.length && pos[2] == PACKETS, 600_000),
                    pos[1] + " bytes, " + pos[2] + " junk packets, " + pair);
            assertArrayEquals(payload, got, "established flow corrupted");
            System.out.println("random input results: " + results);
            assertEquals(PACKETS, results.values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(results.getOrDefault(InputResult.BAD_LENGTH, 0) > 100_000, results.toString());
            assertTrue(results.getOrDefault(InputResult.CONV_MISMATCH, 0) > 100_000, results.toString());
            assertTrue(results.getOrDefault(InputResult.TOO_SHORT, 0) > 10_000, results.toString());
        });
    }

    @Test
    void shouldNeverThrowOnWellFramedRandomSegments() throws Exception {
        long seed = 0xBEEFL;
        SeedReporter.run("well-framed random segments", seed, () -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            Kcp kcp = new Kcp(CONV, (buf, len) -> assertTrue(len >= 24 && len <= 1400 * 3));
            kcp.setWindowSize(64, 64);
            byte[] datagram = new byte[1400];
            byte[] recvBuf = new byte[64 * 1400];
            int now = 0;
            for (int i = 0; i < 200_000; i++) {
                int pos = 0;
                int segs = 1 + rnd.nextInt(4);
                for (int s = 0; s < segs; s++) {
                    int len = rnd.nextInt(4) == 0 ? rnd.nextInt(200) : 0;
                    if (pos + 24 + len > datagram.length) {
                        break;
                    }
                    // small sn/una/ts ranges around the current state so that the deep paths run
                    SegmentHeader.put(datagram, pos, CONV, 81 + rnd.nextInt(4), rnd.nextInt(4), rnd.nextInt(65536),
                            now - rnd.nextInt(300), kcp.rcvNxt() + rnd.nextInt(-8, 80),
                            kcp.sndUna() + rnd.nextInt(-4, 40), len);
                    pos += 24 + len;
                }
                kcp.input(datagram, 0, pos, rnd.nextBoolean(), rnd.nextBoolean(), now);
                if (rnd.nextInt(4) == 0) {
                    kcp.send(recvBuf, 0, 1 + rnd.nextInt(3000));
                }
                if (rnd.nextInt(3) == 0) {
                    kcp.recv(recvBuf, 0, recvBuf.length);
                }
                now += rnd.nextInt(30);
                if (rnd.nextInt(5) == 0) {
                    kcp.flush(rnd.nextBoolean(), now);
                }
                assertTrue(kcp.peekSize() <= recvBuf.length, "peekSize " + kcp.peekSize());
            }
            assertTrue(kcp.inSegs() > 200_000, "deep paths exercised: " + kcp.inSegs());
        });
    }
}
