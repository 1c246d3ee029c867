package kcp.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import kcp.core.testing.KcpPair;
import kcp.core.testing.LossyLink;
import kcp.core.testing.VirtualClock;
import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** RTO timer boundaries (spec 4.6/4.7) and 2^32 wraparound of sn and ts. */
class KcpTimerTest {
    private static final int CONV = 7;
    private static final int T0 = 0xFFFF_FF00; // also makes resendts wrap past 2^32

    @Test
    void shouldReportIdleOnlyWhileAFlushWouldEmitNothing() {
        Datagrams aOut = new Datagrams();
        Datagrams bOut = new Datagrams();
        Kcp a = new Kcp(CONV, aOut);
        Kcp b = new Kcp(CONV, bOut);
        assertTrue(a.isIdle(), "a fresh Kcp has nothing due");
        a.send(new byte[] {1, 2, 3}, 0, 3);
        assertFalse(a.isIdle(), "a queued message is due");
        a.flush(false, T0 - 10); // opens cwnd to 1
        a.flush(false, T0);
        assertEquals(1, aOut.count(SegmentHeader.CMD_PUSH));
        assertFalse(a.isIdle(), "a segment in flight needs its RTO timer");
        for (byte[] d : aOut.sent) {
            Datagrams.feed(b, d, T0 + 5);
        }
        assertFalse(b.isIdle(), "an ACK is pending");
        b.flush(false, T0 + 5);
        assertTrue(b.isIdle(), "the ACK went out");
        for (byte[] d : bOut.sent) {
            Datagrams.feed(a, d, T0 + 10);
        }
        assertTrue(a.isIdle(), "everything acknowledged");
        aOut.clear();
        a.flush(false, T0 + 60_000);
        assertEquals(0, aOut.sent.size(), "an idle Kcp's flush emits nothing, however late");

        Datagrams.feed(a, Datagrams.segment(CONV, SegmentHeader.CMD_WASK, 0, 32, 0, 0, 1, new byte[0]), T0 + 20);
        assertFalse(a.isIdle(), "a WINS answer is pending");
        a.flush(false, T0 + 20);
        assertTrue(a.isIdle());
        Datagrams.feed(a, Datagrams.segment(CONV, SegmentHeader.CMD_WINS, 0, 0, 0, 0, 1, new byte[0]), T0 + 30);
        assertFalse(a.isIdle(), "a closed remote window needs the window-probe timer");
    }

    @Test
    void shouldNotRetransmitBeforeRtoAndExactlyOnceAtRto() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        byte[] msg = {1, 2, 3};
        kcp.send(msg, 0, 3);
        kcp.flush(false, T0 - 10); // opens cwnd to 1
        assertEquals(100, kcp.flush(false, T0), "next flush due in interval ms");
        assertEquals(1, out.count(SegmentHeader.CMD_PUSH));
        int rto = kcp.rxRto();
        assertEquals(Kcp.RTO_DEF, rto);

        out.clear();
        assertEquals(1, kcp.flush(false, T0 + rto - 1), "1 ms left until the resend time");
        assertEquals(0, out.sent.size(), "no retransmit at rto - 1");
        assertEquals(0, kcp.lostSegs());

        kcp.flush(false, T0 + rto);
        assertEquals(1, out.count(SegmentHeader.CMD_PUSH), "exactly one retransmit at rto");
        assertEquals(1, kcp.lostSegs());
        assertEquals(1, kcp.retransSegs());
        assertEquals(T0 + rto, out.segments(SegmentHeader.CMD_PUSH).get(0)[1], "ts is the retransmission time");

        // backoff without nodelay: rto += rx_rto, so the next one is 2 * rto later
        out.clear();
        kcp.flush(false, T0 + rto + 2 * rto - 1);
        assertEquals(0, out.sent.size());
        kcp.flush(false, T0 + rto + 2 * rto);
        assertEquals(1, out.count(SegmentHeader.CMD_PUSH));
        assertEquals(2, kcp.lostSegs());
    }

    @Test
    void shouldBackOffByHalfRtoInNodelayMode() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setNoDelay(true, 10, 0, true);
        kcp.send(new byte[10], 0, 10);
        kcp.flush(false, T0);
        int rto = kcp.rxRto();
        kcp.flush(false, T0 + rto);
        assertEquals(1, kcp.lostSegs());
        out.clear();
        int second = T0 + rto + rto + rto / 2;
        kcp.flush(false, second - 1);
        assertEquals(0, out.sent.size());
        kcp.flush(false, second);
        assertEquals(1, out.count(SegmentHeader.CMD_PUSH));
    }

    @Test
    void shouldReportDeadLinkAfterXmitLimit() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setNoDelay(true, 10, 0, true);
        kcp.setDeadLink(3);
        kcp.send(new byte[10], 0, 10);
        int now = T0;
        kcp.flush(false, now);
        for (int i = 0; i < 2; i++) {
            assertTrue(!kcp.isDeadLink(), "alive after " + (i + 1) + " transmissions");
            now += 60_000;
            kcp.flush(false, now);
        }
        assertTrue(kcp.isDeadLink(), "dead after 3 transmissions");
        assertEquals(3, kcp.firstXmit());
    }

    @Test
    void shouldComputeRtoFromRttSamplesLikeKcpGo() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setNoDelay(false, 10, 0, true);
        kcp.send(new byte[10], 0, 10);
        kcp.flush(false, T0);
        // ACK of sn 0 echoing ts T0, arriving 50 ms later: srtt = 50, rttvar = 25, rto = 50 + max(10, 100) = 150
        byte[] ack = Datagrams.segment(CONV, SegmentHeader.CMD_ACK, 0, 32, T0, 0, 1, new byte[0]);
        assertEquals(InputResult.OK, Datagrams.feed(kcp, ack, T0 + 50));
        assertEquals(50, kcp.rxSrtt());
        assertEquals(25, kcp.rxRttvar());
        assertEquals(150, kcp.rxRto());
        assertEquals(0, kcp.waitSnd());
    }

    @Test
    void shouldDeliverAcrossSnAndTsWraparound() throws Exception {
        long seed = 20260101L;
        SeedReporter.run("wraparound", seed, () -> {
            int start = 0xFFFF_FF00;
            VirtualClock clock = new VirtualClock(start);
            KcpPair pair = new KcpPair(CONV, clock, new LossyLink(seed, 10, 5, 20, 5, true, 1000),
                    new LossyLink(seed + 1, 10, 5, 20, 5, true, 1000));
            pair.a().initSequence(start);
            pair.b().initSequence(start);
            for (Kcp k : new Kcp[] {pair.a(), pair.b()}) {
                k.setNoDelay(true, 10, 2, true);
                k.setWindowSize(64, 64);
            }
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] payload = new byte[1000 * 1000];
            rnd.nextBytes(payload);
            byte[] got = new byte[payload.length];
            byte[] buf = new byte[2000];
            int[] pos = {0, 0};
            pair.setApplication(now -> {
                while (pos[0] < payload.length && pair.a().waitSnd() < 128) {
                    int n = Math.min(1000, payload.length - pos[0]);
                    pair.a().send(payload, pos[0], n);
                    pos[0] += n;
                }
                int n;
                while ((n = pair.b().recv(buf, 0, buf.length)) > 0) {
                    System.arraycopy(buf, 0, got, pos[1], n);
                    pos[1] += n;
                }
            });
            assertTrue(pair.runUntil(() -> pos[1] == payload.length, 60_000), pair.toString());
            assertArrayEquals(payload, got);
            int sent = pair.a().sndNxt() - start;
            assertEquals(1000, sent, "one segment per 1000-byte message");
            assertTrue(Integer.compareUnsigned(pair.a().sndNxt(), start) < 0, "sn wrapped past 2^32");
            assertTrue(clock.nowMs() - start > 256 && Integer.compareUnsigned(clock.nowMs(), start) < 0,
                    "clock wrapped past 2^32");
            int srtt = pair.a().rxSrtt();
            assertTrue(srtt >= 10 && srtt <= 60, "RTT estimate survived the ts wrap: " + srtt);
            assertTrue(pair.a().rxRto() <= 200, "rto " + pair.a().rxRto());
        });
    }
}
