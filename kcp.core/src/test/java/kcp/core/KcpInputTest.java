package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** Malformed input returns codes and leaves earlier segments applied; send/recv/peekSize and fragment rules. */
class KcpInputTest {
    private static final int CONV = 0x1234;
    private static final int T0 = 100;

    private static byte[] push(int sn, int frg, byte... data) {
        return Datagrams.segment(CONV, SegmentHeader.CMD_PUSH, frg, 32, T0, sn, 0, data);
    }

    @Test
    void shouldRejectShortDatagram() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        assertEquals(InputResult.TOO_SHORT, kcp.input(new byte[23], 0, 23, true, false, T0));
        assertEquals(InputResult.TOO_SHORT, kcp.input(new byte[0], 0, 0, true, false, T0));
    }

    @Test
    void shouldIgnoreTrailingBytesShorterThanAHeader() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        byte[] d = Datagrams.concat(push(0, 0, (byte) 9), new byte[23]);
        assertEquals(InputResult.OK, Datagrams.feed(kcp, d, T0));
        assertEquals(1, kcp.peekSize());
        assertEquals(1, kcp.inSegs());
    }

    @Test
    void shouldKeepEarlierSegmentsWhenALaterOneIsBad() {
        byte[] good = push(0, 0, (byte) 42);
        byte[] badConv = Datagrams.segment(CONV + 1, SegmentHeader.CMD_PUSH, 0, 32, T0, 1, 0, new byte[] {1});
        byte[] badCmd = Datagrams.segment(CONV, 80, 0, 32, T0, 1, 0, new byte[0]);
        byte[] badLen = push(1, 0, (byte) 1);
        SegmentHeader.putInt(badLen, SegmentHeader.LEN_OFFSET, 2);
        byte[] hugeLen = push(1, 0);
        SegmentHeader.putInt(hugeLen, SegmentHeader.LEN_OFFSET, 0x8000_0000); // negative as int: unsigned compare
        Object[][] cases = {
                {badConv, InputResult.CONV_MISMATCH}, {badCmd, InputResult.BAD_CMD},
                {badLen, InputResult.BAD_LENGTH}, {hugeLen, InputResult.BAD_LENGTH}};
        for (Object[] c : cases) {
            Datagrams out = new Datagrams();
            Kcp kcp = new Kcp(CONV, out);
            byte[] d = Datagrams.concat(good, (byte[]) c[0]);
            assertEquals(c[1], Datagrams.feed(kcp, d, T0));
            assertEquals(1, kcp.peekSize(), "first segment applied despite " + c[1]);
            assertEquals(0, kcp.inSegs(), "an early return skips the InSegs update, as in kcp-go");
            byte[] buf = new byte[4];
            assertEquals(1, kcp.recv(buf, 0, 4));
            assertEquals(42, buf[0]);
            kcp.flush(true, T0);
            assertEquals(1, out.count(SegmentHeader.CMD_ACK), "the applied segment is still acknowledged");
        }
    }

    @Test
    void shouldNotTouchStateWhenTheFirstSegmentIsBad() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        byte[] badCmd = Datagrams.segment(CONV, 0, 0, 0, T0, 0, 0, new byte[0]);
        assertEquals(InputResult.BAD_CMD, Datagrams.feed(kcp, badCmd, T0));
        assertEquals(32, kcp.rmtWnd(), "rmt_wnd is only taken from valid segments");
    }

    @Test
    void shouldReassembleFragmentsFromAnyPeer() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        // fragments arrive out of order: frg counts down 2, 1, 0
        Datagrams.feed(kcp, push(2, 0, (byte) 5, (byte) 6), T0);
        Datagrams.feed(kcp, push(0, 2, (byte) 1, (byte) 2), T0);
        assertEquals(-1, kcp.peekSize(), "incomplete message");
        assertEquals(-1, kcp.recv(new byte[10], 0, 10));
        Datagrams.feed(kcp, push(1, 1, (byte) 3, (byte) 4), T0);
        assertEquals(6, kcp.peekSize());
        assertEquals(3, kcp.rcvQueueLength());
        assertEquals(-2, kcp.recv(new byte[5], 0, 5), "buffer too small; nothing consumed");
        byte[] buf = new byte[8];
        assertEquals(6, kcp.recv(buf, 1, 7));
        assertEquals(List.of(1, 2, 3, 4, 5, 6), List.of((int) buf[1], (int) buf[2], (int) buf[3], (int) buf[4],
                (int) buf[5], (int) buf[6]));
        assertEquals(-1, kcp.peekSize());
    }

    @Test
    void shouldCountDuplicatesAndOutOfWindowAsRepeat() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        Datagrams.feed(kcp, push(1, 0, (byte) 1), T0);
        Datagrams.feed(kcp, push(1, 0, (byte) 1), T0);
        Datagrams.feed(kcp, push(40, 0, (byte) 1), T0); // beyond rcv_nxt + rcv_wnd
        assertEquals(2, kcp.repeatSegs());
        byte[] d = push(1, 0, (byte) 1);
        kcp.input(d, 0, d.length, false, false, T0); // FEC-recovered duplicates are not counted
        assertEquals(2, kcp.repeatSegs());
    }

    @Test
    void shouldSplitMessagesAndRefuseMoreThan255Fragments() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setNoDelay(false, 100, 0, true);
        kcp.setWindowSize(300, 300);
        int mss = kcp.mss();
        byte[] big = new byte[255 * mss];
        kcp.send(big, 0, big.length);
        assertEquals(255, kcp.waitSnd());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kcp.send(new byte[255 * mss + 1], 0, 255 * mss + 1));
        assertTrue(e.getMessage().contains("256 fragments"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kcp.send(big, 0, 0));
        kcp.flush(false, T0);
        List<int[]> pushes = out.segments(SegmentHeader.CMD_PUSH);
        assertEquals(254, pushes.get(0)[4], "first fragment counts down from 254");
        assertEquals(32, pushes.size(), "the peer's initial window (32) limits the flight");
        assertEquals(32, kcp.sndBufLength());
        assertEquals(255 - 32, kcp.sndQueueLength());
        assertEquals(254 - 31, pushes.get(31)[4]);
    }

    @Test
    void shouldCoalesceStreamWritesAndAllowAnySize() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        kcp.setStreamMode(true);
        int mss = kcp.mss();
        kcp.send(new byte[10], 0, 10);
        kcp.send(new byte[mss - 5], 0, mss - 5);
        assertEquals(2, kcp.waitSnd(), "first segment filled to mss, 5 bytes in a second one");
        kcp.send(new byte[300 * mss], 0, 300 * mss);
        assertEquals(302, kcp.waitSnd());
    }

    @Test
    void shouldRejectBadKnobs() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        assertThrows(IllegalArgumentException.class, () -> kcp.setMtu(24));
        kcp.setMtu(25);
        assertEquals(1, kcp.mss());
        kcp.setMtu(1400);
        assertEquals(1376, kcp.mss());
        assertThrows(IllegalArgumentException.class, () -> kcp.setWindowSize(32, 65536));
        assertThrows(IllegalArgumentException.class, () -> kcp.setDeadLink(0));
        kcp.setNoDelay(true, 1, 2, true);
        assertEquals(10, kcp.intervalMs());
        kcp.setNoDelay(false, 9000, -1, false);
        assertEquals(5000, kcp.intervalMs());
    }

    @Test
    void shouldHaveKcpGoDefaults() {
        Kcp kcp = new Kcp(CONV, new Datagrams());
        assertEquals(1400, kcp.mtu());
        assertEquals(1376, kcp.mss());
        assertEquals(32, kcp.sndWnd());
        assertEquals(32, kcp.rcvWnd());
        assertEquals(32, kcp.rmtWnd());
        assertEquals(100, kcp.intervalMs());
        assertEquals(200, kcp.rxRto());
        assertEquals(CONV, kcp.conv());
        assertTrue(!kcp.isStreamMode() && !kcp.isDeadLink() && !kcp.isCompat561());
    }

    @Test
    void shouldFlushAcksOnceMtuOver24ArePending() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setWindowSize(32, 128);
        int clock = kcp.mtu() / SegmentHeader.OVERHEAD; // 58 for mtu 1400
        for (int sn = 1; sn < clock; sn++) { // out of order, so no una slide
            Datagrams.feed(kcp, push(sn, 0, (byte) 1), T0);
        }
        assertEquals(0, out.sent.size());
        Datagrams.feed(kcp, push(clock, 0, (byte) 1), T0);
        assertEquals(clock, out.count(SegmentHeader.CMD_ACK), "ACK clocking: flushed at mtu/24 pending ACKs");
        // every datagram stays within the MTU
        for (byte[] d : out.sent) {
            assertTrue(d.length <= kcp.mtu(), "datagram " + d.length);
        }
    }
}
