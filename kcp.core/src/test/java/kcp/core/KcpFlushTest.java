package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** Details of flush (spec 4.6): the ACK filter, the probe quirk, ACK-only flushes and ackNoDelay. */
class KcpFlushTest {
    private static final int CONV = 0x3030;
    private static final int T0 = 10_000;

    private static byte[] push(int sn, int ts) {
        return Datagrams.segment(CONV, SegmentHeader.CMD_PUSH, 0, 32, ts, sn, 0, new byte[] {1});
    }

    @Test
    void shouldDropStaleAcksExceptTheLastEntry() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        Datagrams.feed(kcp, push(0, 1), T0);
        Datagrams.feed(kcp, push(0, 2), T0); // duplicate: acked again, but sn 0 < rcv_nxt by now
        Datagrams.feed(kcp, push(2, 3), T0);
        kcp.flush(true, T0);
        List<int[]> acks = out.segments(SegmentHeader.CMD_ACK);
        assertEquals(1, acks.size(), "only sn 2 survives the bufferbloat filter");
        assertEquals(2, acks.get(0)[0]);
        assertEquals(3, acks.get(0)[1]);

        out.clear();
        Datagrams.feed(kcp, push(0, 4), T0);
        Datagrams.feed(kcp, push(0, 5), T0);
        kcp.flush(true, T0);
        acks = out.segments(SegmentHeader.CMD_ACK);
        assertEquals(1, acks.size(), "stale entries dropped except the last one");
        assertEquals(5, acks.get(0)[1]);
    }

    @Test
    void shouldStampProbesWithTheLastAcksSnAndTs() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        byte[] wask = Datagrams.segment(CONV, SegmentHeader.CMD_WASK, 0, 32, 0, 0, 0, new byte[0]);
        Datagrams.feed(kcp, Datagrams.concat(push(0, 777), wask), T0);
        kcp.flush(false, T0);
        List<int[]> wins = out.segments(SegmentHeader.CMD_WINS);
        assertEquals(1, wins.size());
        assertEquals(0, wins.get(0)[0]);
        assertEquals(777, wins.get(0)[1], "WINS reuses the ACK template (ikcp quirk)");
        assertEquals(1, out.sent.size(), "ACK and WINS share one datagram");
        assertEquals(48, out.sent.get(0).length);
    }

    @Test
    void shouldMoveButNotTransmitDataInAnAckOnlyFlush() {
        for (boolean compat : new boolean[] {false, true}) {
            Datagrams out = new Datagrams();
            Kcp kcp = new Kcp(CONV, out);
            kcp.setCompat561(compat);
            kcp.setNoDelay(false, 100, 0, true);
            kcp.send(new byte[3], 0, 3);
            kcp.flush(true, T0);
            assertEquals(0, out.count(SegmentHeader.CMD_PUSH));
            assertEquals(compat ? 0 : 1, kcp.sndBufLength(), "v5.6.72 moves queue -> buf in ack-only flushes");
            kcp.flush(false, T0 + 1);
            assertEquals(1, out.count(SegmentHeader.CMD_PUSH));
        }
    }

    @Test
    void shouldAckAtOnceWithAckNoDelay() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        byte[] p = push(0, 5);
        kcp.input(p, 0, p.length, true, false, T0);
        assertEquals(0, out.sent.size());
        byte[] q = push(1, 6);
        kcp.input(q, 0, q.length, true, true, T0);
        List<int[]> acks = out.segments(SegmentHeader.CMD_ACK);
        assertEquals(1, out.sent.size(), "flushed from input");
        assertEquals(1, acks.size(), "sn 0 is below rcv_nxt now: covered by una, filtered");
        assertEquals(1, acks.get(0)[0]);
        assertEquals(2, acks.get(0)[3], "una");
    }

    @Test
    void shouldSplitDatagramsAtTheMtu() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        kcp.setMtu(200);
        kcp.setNoDelay(false, 100, 0, true);
        byte[] data = new byte[176 * 5];
        kcp.send(data, 0, data.length);
        kcp.flush(false, T0);
        assertEquals(5, out.sent.size(), "one full segment per 200-byte datagram");
        for (byte[] d : out.sent) {
            assertEquals(200, d.length);
        }
    }
}
