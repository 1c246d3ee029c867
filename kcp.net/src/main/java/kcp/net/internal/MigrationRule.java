package kcp.net.internal;

import kcp.core.Kcp;
import kcp.core.wire.SegmentHeader;
import kcp.fec.FecHeader;

/**
 * Decides whether an authenticated datagram from a new address continues a session's conversation, so that a
 * listener in connection-migration mode may move the session there: its first KCP segment must fit the session's
 * sequence space. Two kcp-go clients can pick the same random conv; a second client's first datagrams (una 0, PUSH
 * sn 0, 1, ...) then fail the rule as soon as the live session has moved more than {@code slack} segments in either
 * direction, and so do stale datagrams from long ago. Sequence numbers compare modulo 2^32.
 *
 * <pre>
 *  slack S = 2 x max(sndWnd, rcvWnd) of the session
 *  una (every command):   sndNxt - una  in [0, sndNxt - sndUna + S]   (the peer cannot have received more than we
 *                                                                       sent, nor lag far behind what it acked)
 *  PUSH: sn - rcvNxt      in [-S, S)                                   (a retransmission or the next window)
 *  ACK:  sndNxt - sn      in [1, sndNxt - sndUna + S]                  (acks something we sent)
 *        now - ts         in [0, maxAge]                               (ts echoes our own clock: a datagram older
 *                                                                       than the replay window is stale)
 * </pre>
 *
 * Stateless; call it under the session's lock (it reads the session's {@link Kcp}).
 */
public final class MigrationRule {
    private MigrationRule() {
    }

    /**
     * Returns true if the first segment of the opened datagram {@code d} fits {@code kcp}'s conversation.
     *
     * @param kcp the session's state machine (caller holds the session lock)
     * @param d   an opened datagram whose {@link Demux#hasConv()} is true
     * @param nowMs    the session's KCP clock (what it stamps into its segments' ts)
     * @param maxAgeMs the oldest ACK accepted, by the ts it echoes: the replay filter's window (younger replays are
     *                 the filter's job)
     * @return whether the datagram may move the session to its sender's address
     */
    public static boolean continues(Kcp kcp, Demux d, int nowMs, long maxAgeMs) {
        int at = d.offset() + (d.kind() == Demux.FEC_DATA ? FecHeader.HEADER_SIZE_PLUS2 : 0);
        byte[] b = d.buffer();
        int cmd = b[at + SegmentHeader.CMD_OFFSET] & 0xFF;
        int sn = le32(b, at + SegmentHeader.SN_OFFSET);
        int una = le32(b, at + SegmentHeader.UNA_OFFSET);
        int ts = le32(b, at + SegmentHeader.TS_OFFSET);
        long slack = 2L * Math.max(kcp.sndWnd(), kcp.rcvWnd());
        long inFlight = u32(kcp.sndNxt() - kcp.sndUna());
        if (u32(kcp.sndNxt() - una) > inFlight + slack) {
            return false;
        }
        if (cmd == SegmentHeader.CMD_PUSH) {
            long ahead = sn - kcp.rcvNxt();
            return ahead >= -slack && ahead < slack;
        }
        if (cmd == SegmentHeader.CMD_ACK) {
            long behind = u32(kcp.sndNxt() - sn);
            long age = nowMs - ts;
            return behind >= 1 && behind <= inFlight + slack && age >= 0 && age <= maxAgeMs;
        }
        return cmd == SegmentHeader.CMD_WASK || cmd == SegmentHeader.CMD_WINS;
    }

    private static long u32(int v) {
        return v & 0xFFFFFFFFL;
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
