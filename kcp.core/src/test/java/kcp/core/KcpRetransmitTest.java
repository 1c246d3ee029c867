package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** Fast retransmit after {@code resend} duplicate ACKs, kcp-go's conservation rule, and early retransmit. */
class KcpRetransmitTest {
    private static final int CONV = 0x55;
    private static final int T0 = 1000;

    private static Kcp senderWithFourInFlight(Datagrams out, boolean compat561) {
        Kcp kcp = new Kcp(CONV, out);
        kcp.setCompat561(compat561);
        kcp.setNoDelay(false, 100, 2, true);
        for (int i = 0; i < 4; i++) {
            kcp.send(new byte[] {(byte) i}, 0, 1);
        }
        kcp.flush(false, T0);
        assertEquals(4, out.count(SegmentHeader.CMD_PUSH));
        out.clear();
        return kcp;
    }

    private static byte[] ack(int sn, int ts) {
        return Datagrams.segment(CONV, SegmentHeader.CMD_ACK, 0, 32, ts, sn, 0, new byte[0]);
    }

    @Test
    void shouldFastRetransmitAtOnceAfterResendDuplicateAcks() {
        Datagrams out = new Datagrams();
        Kcp kcp = senderWithFourInFlight(out, false);
        Datagrams.feed(kcp, ack(1, T0), T0 + 20);
        assertEquals(0, out.sent.size(), "one duplicate ACK (resend = 2) triggers nothing");
        Datagrams.feed(kcp, ack(2, T0), T0 + 21);
        List<int[]> pushes = out.segments(SegmentHeader.CMD_PUSH);
        assertEquals(1, pushes.size(), "second duplicate ACK: immediate flush retransmits sn 0 only");
        assertEquals(0, pushes.get(0)[0]);
        assertEquals(T0 + 21, pushes.get(0)[1]);
        assertEquals(1, kcp.fastRetransSegs());
        assertEquals(0, kcp.earlyRetransSegs());
        assertEquals(1, kcp.retransSegs());

        // v5.6.72 conservation: no further fast/early retransmit of sn 0 until its RTO retransmission
        out.clear();
        Datagrams.feed(kcp, ack(3, T0), T0 + 22);
        kcp.flush(false, T0 + 30);
        assertEquals(0, out.count(SegmentHeader.CMD_PUSH));
        assertEquals(1, kcp.fastRetransSegs());
        assertEquals(0, kcp.earlyRetransSegs());
    }

    @Test
    void shouldWaitForTheNextFlushAndResetFastackIn561Mode() {
        Datagrams out = new Datagrams();
        Kcp kcp = senderWithFourInFlight(out, true);
        Datagrams.feed(kcp, ack(1, T0), T0 + 20);
        Datagrams.feed(kcp, ack(2, T0), T0 + 21);
        assertEquals(0, out.sent.size(), "5.6.1 does not flush on a fast-ack threshold");
        kcp.flush(false, T0 + 30);
        assertEquals(1, out.count(SegmentHeader.CMD_PUSH));
        assertEquals(1, kcp.fastRetransSegs());
        // 5.6.1 resets fastack to 0: one more duplicate ACK, then an early retransmit at the next flush
        out.clear();
        Datagrams.feed(kcp, ack(3, T0 + 30), T0 + 40);
        kcp.flush(false, T0 + 50);
        assertEquals(1, out.count(SegmentHeader.CMD_PUSH));
        assertEquals(1, kcp.earlyRetransSegs());
    }

    @Test
    void shouldNotCountAckOfSegmentSentLaterAsDuplicate() {
        Datagrams out = new Datagrams();
        Kcp kcp = senderWithFourInFlight(out, false);
        // conservative rule: the ACK echoes ts T0 - 1, earlier than when sn 0 was sent, so sn 0 is not counted
        Datagrams.feed(kcp, ack(1, T0 - 1), T0 + 20);
        Datagrams.feed(kcp, ack(2, T0 - 1), T0 + 21);
        kcp.flush(false, T0 + 22);
        assertEquals(0, out.count(SegmentHeader.CMD_PUSH));
        assertEquals(0, kcp.fastRetransSegs() + kcp.earlyRetransSegs());
    }

    @Test
    void shouldEarlyRetransmitWhenNoNewDataEvenWithFastResendOff() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setNoDelay(false, 100, 0, true);
        kcp.send(new byte[1], 0, 1);
        kcp.send(new byte[1], 0, 1);
        kcp.flush(false, T0);
        out.clear();
        Datagrams.feed(kcp, ack(1, T0), T0 + 10);
        kcp.flush(false, T0 + 20);
        List<int[]> pushes = out.segments(SegmentHeader.CMD_PUSH);
        assertEquals(1, pushes.size());
        assertEquals(0, pushes.get(0)[0]);
        assertEquals(1, kcp.earlyRetransSegs());
        assertEquals(0, kcp.fastRetransSegs());
    }

    @Test
    void shouldSlideWindowAndFlushWhenUnaAdvances() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setNoDelay(false, 100, 0, true);
        kcp.setWindowSize(2, 32);
        for (int i = 0; i < 3; i++) {
            kcp.send(new byte[] {(byte) i}, 0, 1);
        }
        kcp.flush(false, T0);
        assertEquals(2, out.count(SegmentHeader.CMD_PUSH), "send window 2");
        out.clear();
        byte[] ackWithUna = Datagrams.segment(CONV, SegmentHeader.CMD_ACK, 0, 32, T0, 0, 1, new byte[0]);
        Datagrams.feed(kcp, ackWithUna, T0 + 10);
        List<int[]> pushes = out.segments(SegmentHeader.CMD_PUSH);
        assertEquals(1, pushes.size(), "una slid: input flushed the third segment at once");
        assertEquals(2, pushes.get(0)[0]);
        assertEquals(2, kcp.waitSnd());
        assertTrue(kcp.rxSrtt() > 0);
    }
}
