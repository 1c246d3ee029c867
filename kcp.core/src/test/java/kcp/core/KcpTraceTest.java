package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** The segment trace ({@link KcpTrace}) reports exactly the segments on the wire, and the messages sent and read. */
class KcpTraceTest {
    private static final int CONV = 0x1234;

    /** Records every call as a list of ints: {kind, conv, cmd, frg, wnd, ts, sn, una, len, xmit}. */
    static final class Recorder implements KcpTrace {
        static final int IN = 1;
        static final int OUT = 2;
        static final int SEND = 3;
        static final int RECV = 4;
        final List<int[]> calls = new ArrayList<>();

        @Override
        public void segmentIn(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len) {
            calls.add(new int[] {IN, conv, cmd, frg, wnd, ts, sn, una, len, 0});
        }

        @Override
        public void segmentOut(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len, int xmit) {
            calls.add(new int[] {OUT, conv, cmd, frg, wnd, ts, sn, una, len, xmit});
        }

        @Override
        public void send(int conv, int len, int fragments) {
            calls.add(new int[] {SEND, conv, len, fragments});
        }

        @Override
        public void recv(int conv, int len, int fragments, int sn) {
            calls.add(new int[] {RECV, conv, len, fragments, sn});
        }

        List<int[]> of(int kind) {
            return calls.stream().filter(c -> c[0] == kind).toList();
        }
    }

    /** Every segment header in {@code datagrams}, as {conv, cmd, frg, wnd, ts, sn, una, len}. */
    private static List<int[]> headers(List<byte[]> datagrams) {
        List<int[]> out = new ArrayList<>();
        for (byte[] d : datagrams) {
            for (int pos = 0; d.length - pos >= SegmentHeader.OVERHEAD;
                    pos += SegmentHeader.OVERHEAD + SegmentHeader.len(d, pos)) {
                out.add(new int[] {SegmentHeader.conv(d, pos), SegmentHeader.cmd(d, pos), SegmentHeader.frg(d, pos),
                        SegmentHeader.wnd(d, pos), SegmentHeader.ts(d, pos), SegmentHeader.sn(d, pos),
                        SegmentHeader.una(d, pos), SegmentHeader.len(d, pos)});
            }
        }
        return out;
    }

    private static void assertSameSegments(List<int[]> wire, List<int[]> traced, String what) {
        assertEquals(wire.size(), traced.size(), what + ": one trace call per segment");
        for (int i = 0; i < wire.size(); i++) {
            for (int f = 0; f < 8; f++) {
                assertEquals(wire.get(i)[f], traced.get(i)[f + 1], what + " segment " + i + " field " + f);
            }
        }
    }

    @Test
    void shouldTraceEverySegmentOutAndInAsOnTheWire() {
        Datagrams aOut = new Datagrams();
        Datagrams bOut = new Datagrams();
        Kcp a = new Kcp(CONV, aOut);
        Kcp b = new Kcp(CONV, bOut);
        a.setMtu(200); // a 1000-byte message needs 6 fragments
        a.setNoDelay(false, 100, 0, true); // no congestion window: all 7 segments go out in the first flush
        Recorder ta = new Recorder();
        Recorder tb = new Recorder();
        a.setTrace(ta);
        b.setTrace(tb);
        assertSame(ta, a.trace());

        a.send(new byte[1000], 0, 1000);
        a.send(new byte[10], 0, 10);
        a.flush(false, 1000);
        List<byte[]> first = List.copyOf(aOut.sent);
        aOut.clear();
        // the datagram holding the last two PUSHes is lost once: they go out again at their RTO, with xmit 2
        for (int i = 0; i < first.size() - 1; i++) {
            Datagrams.feed(b, first.get(i), 1010);
        }
        b.flush(false, 1020);
        for (byte[] d : bOut.sent) {
            Datagrams.feed(a, d, 1030);
        }
        a.flush(false, 1400);
        List<byte[]> resent = List.copyOf(aOut.sent);
        for (byte[] d : resent) {
            Datagrams.feed(b, d, 1410);
        }
        byte[] buf = new byte[2000];
        assertEquals(1000, b.recv(buf, 0, buf.length));
        assertEquals(10, b.recv(buf, 0, buf.length));

        List<byte[]> aWire = new ArrayList<>(first);
        aWire.addAll(resent);
        List<byte[]> bGot = new ArrayList<>(first.subList(0, first.size() - 1));
        bGot.addAll(resent);
        assertSameSegments(headers(aWire), ta.of(Recorder.OUT), "a's output");
        assertSameSegments(headers(bGot), tb.of(Recorder.IN), "b's input");
        assertSameSegments(headers(bOut.sent), tb.of(Recorder.OUT), "b's output");
        assertSameSegments(headers(bOut.sent), ta.of(Recorder.IN), "a's input");

        // xmit counts each segment's transmissions: 1, 2, ... in trace order; 0 for segments without data
        int[] xmits = new int[7];
        int retransmissions = 0;
        for (int[] c : ta.of(Recorder.OUT)) {
            if (c[2] == SegmentHeader.CMD_PUSH) {
                xmits[c[6]]++;
                assertEquals(xmits[c[6]], c[9], "xmit of sn " + c[6]);
                retransmissions += c[9] > 1 ? 1 : 0;
            } else {
                assertEquals(0, c[9], "xmit of a segment without data");
            }
        }
        assertEquals(List.of(1, 1, 1, 1, 1), List.of(xmits[0], xmits[1], xmits[2], xmits[3], xmits[4]));
        assertTrue(retransmissions >= 2 && xmits[5] >= 2 && xmits[6] >= 2, "the lost sn 5 and 6 were resent");
        List<int[]> sends = ta.of(Recorder.SEND);
        assertEquals(2, sends.size());
        assertEquals(List.of(CONV, 1000, 6), List.of(sends.get(0)[1], sends.get(0)[2], sends.get(0)[3]));
        assertEquals(List.of(CONV, 10, 1), List.of(sends.get(1)[1], sends.get(1)[2], sends.get(1)[3]));
        List<int[]> recvs = tb.of(Recorder.RECV);
        assertEquals(2, recvs.size());
        assertEquals(List.of(CONV, 1000, 6, 5), List.of(recvs.get(0)[1], recvs.get(0)[2], recvs.get(0)[3],
                recvs.get(0)[4]));
        assertEquals(List.of(CONV, 10, 1, 6), List.of(recvs.get(1)[1], recvs.get(1)[2], recvs.get(1)[3],
                recvs.get(1)[4]));
    }

    @Test
    void shouldTraceNothingOnceRemoved() {
        Datagrams out = new Datagrams();
        Kcp a = new Kcp(CONV, out);
        a.setNoDelay(false, 100, 0, true);
        Recorder t = new Recorder();
        a.setTrace(t);
        a.setTrace(null);
        assertNull(a.trace());
        a.send(new byte[100], 0, 100);
        a.flush(false, 0);
        Datagrams.feed(a, Datagrams.segment(CONV, SegmentHeader.CMD_ACK, 0, 32, 0, 0, 1, new byte[0]), 10);
        assertEquals(1, out.sent.size());
        assertEquals(0, t.calls.size());
    }
}
