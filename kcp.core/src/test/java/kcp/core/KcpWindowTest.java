package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import kcp.core.testing.KcpPair;
import kcp.core.testing.LossyLink;
import kcp.core.testing.VirtualClock;
import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** Window probing (WASK after the probe wait when rmt_wnd = 0), WINS replies, and announcing a reopened window. */
class KcpWindowTest {
    private static final int CONV = 0x77;
    private static final int T0 = 50_000;

    private static byte[] winsZero() {
        return Datagrams.segment(CONV, SegmentHeader.CMD_WINS, 0, 0, 0, 0, 0, new byte[0]);
    }

    @Test
    void shouldProbeZeroWindowAfterProbeInitAndBackOff() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setNoDelay(false, 100, 0, true);
        Datagrams.feed(kcp, winsZero(), T0);
        assertEquals(0, kcp.rmtWnd());
        kcp.send(new byte[5], 0, 5);
        kcp.flush(false, T0);
        assertEquals(0, out.sent.size(), "nothing may be sent into a zero window, and no probe yet");
        kcp.flush(false, T0 + Kcp.PROBE_INIT - 1);
        assertEquals(0, out.sent.size());
        kcp.flush(false, T0 + Kcp.PROBE_INIT);
        assertEquals(1, out.count(SegmentHeader.CMD_WASK), "WASK after 500 ms");
        assertEquals(0, out.count(SegmentHeader.CMD_PUSH));
        // next probe after probe_wait * 1.5 = 750 ms
        out.clear();
        kcp.flush(false, T0 + Kcp.PROBE_INIT + 749);
        assertEquals(0, out.sent.size());
        kcp.flush(false, T0 + Kcp.PROBE_INIT + 750);
        assertEquals(1, out.count(SegmentHeader.CMD_WASK));
    }

    @Test
    void shouldProbeAfterSevenSecondsIn561Mode() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setCompat561(true);
        Datagrams.feed(kcp, winsZero(), T0);
        kcp.flush(false, T0);
        kcp.flush(false, T0 + 6999);
        assertEquals(0, out.sent.size());
        kcp.flush(false, T0 + 7000);
        assertEquals(1, out.count(SegmentHeader.CMD_WASK));
    }

    @Test
    void shouldAnswerWaskWithWins() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        byte[] wask = Datagrams.segment(CONV, SegmentHeader.CMD_WASK, 0, 32, 0, 0, 0, new byte[0]);
        Datagrams.feed(kcp, wask, T0);
        kcp.flush(false, T0);
        List<int[]> wins = out.segments(SegmentHeader.CMD_WINS);
        assertEquals(1, wins.size());
        assertEquals(32, wins.get(0)[2], "WINS carries the free receive window");
    }

    /** Fills a receiver with rcv_wnd 4 through hand-made PUSH segments and flushes an ACK advertising wnd 0. */
    private static Kcp fullReceiver(Datagrams out) {
        Kcp kcp = new Kcp(CONV, out);
        kcp.setWindowSize(32, 4);
        for (int sn = 0; sn < 4; sn++) {
            Datagrams.feed(kcp, Datagrams.segment(CONV, SegmentHeader.CMD_PUSH, 0, 32, T0, sn, 0, new byte[] {1}),
                    T0);
        }
        kcp.flush(false, T0);
        List<int[]> acks = out.segments(SegmentHeader.CMD_ACK);
        assertEquals(0, acks.get(acks.size() - 1)[2], "advertised a zero window");
        out.clear();
        return kcp;
    }

    @Test
    void shouldAnnounceWindowReopenedByRecvAtOnce() {
        Datagrams out = new Datagrams();
        Kcp kcp = fullReceiver(out);
        kcp.update(T0);
        out.clear();
        assertFalse(kcp.isWindowUpdatePending());
        assertEquals(1, kcp.recv(new byte[10], 0, 10));
        assertTrue(kcp.isWindowUpdatePending());
        assertEquals(T0 + 1, kcp.check(T0 + 1), "the WINS flush is due now, not at the next tick");
        kcp.update(T0 + 1);
        List<int[]> wins = out.segments(SegmentHeader.CMD_WINS);
        assertEquals(1, wins.size());
        assertEquals(1, wins.get(0)[2]);
        assertFalse(kcp.isWindowUpdatePending());
    }

    @Test
    void shouldAnnounceWindowReopenedByALargerRcvWnd() {
        Datagrams out = new Datagrams();
        Kcp kcp = fullReceiver(out);
        kcp.setWindowSize(0, 12); // kcp-go would leave the peer waiting for its probe timer here
        assertTrue(kcp.isWindowUpdatePending());
        kcp.flush(false, T0 + 1);
        List<int[]> wins = out.segments(SegmentHeader.CMD_WINS);
        assertEquals(1, wins.size());
        assertEquals(8, wins.get(0)[2]);
    }

    @Test
    void shouldResumeSenderWithinOneTripWhenTheReceiverDrains() {
        VirtualClock clock = new VirtualClock(T0);
        KcpPair pair = new KcpPair(CONV, clock, LossyLink.perfect(10), LossyLink.perfect(10));
        Kcp a = pair.a();
        Kcp b = pair.b();
        a.setNoDelay(false, 100, 0, true);
        b.setNoDelay(false, 100, 0, true);
        b.setWindowSize(32, 8);
        byte[] one = new byte[100];
        for (int i = 0; i < 40; i++) {
            a.send(one, 0, one.length);
        }
        assertTrue(pair.runUntil(() -> a.rmtWnd() == 0, 5_000), "receiver window closes: " + pair);
        // let the sender sit on the closed window for a while, then drain the receiver at once
        pair.runUntil(() -> false, 300);
        assertEquals(0, a.rmtWnd());
        int drainedAt = clock.nowMs();
        byte[] buf = new byte[200];
        while (b.recv(buf, 0, buf.length) > 0) {
            // drain
        }
        assertTrue(pair.runUntil(() -> a.rmtWnd() > 0, 5_000), pair.toString());
        int waited = clock.nowMs() - drainedAt;
        assertEquals(10, waited, "sender learns the window after one link delay, not at a flush tick or probe");
    }
}
