package kcp.core.internal;

/**
 * One pooled KCP segment (kcp-go {@code segment}, ikcp {@code IKCPSEG}). Mutable, owned by exactly one queue of
 * one {@code Kcp} at a time (snd_queue, snd_buf, rcv_buf or rcv_queue) or by the pool. Not thread-safe.
 * Times are 32-bit wrapping milliseconds.
 */
public final class Segment {
    /** ikcp: cmd. Command (PUSH for queued data). */
    public int cmd;
    /** ikcp: frg. Fragment countdown, message mode; 0 in stream mode. */
    public int frg;
    /** ikcp: wnd. Window advertised at the last transmission / received with the segment. */
    public int wnd;
    /** ikcp: ts. Time of the last transmission (send side) or the sender's ts (receive side). */
    public int ts;
    /** ikcp: sn. Sequence number. */
    public int sn;
    /** ikcp: una. rcv_nxt at the last transmission. */
    public int una;
    /** ikcp: rto. This segment's current retransmission timeout (grows on RTO retransmits, not capped). */
    public int rto;
    /** ikcp: xmit. Number of transmissions so far. */
    public int xmit;
    /** ikcp: resendts. Time at which the segment is retransmitted by RTO. */
    public int resendts;
    /** ikcp: fastack. Duplicate-ACK counter; -1 (0xFFFFFFFF) = disabled until the next RTO retransmit. */
    public int fastack;
    /** kcp-go: acked. Acknowledged selectively; stays in snd_buf as a tombstone until una passes it. */
    public boolean acked;
    /** Payload storage; capacity is at least the mss at the time the segment was taken from the pool. */
    public byte[] data;
    /** Number of payload bytes in {@link #data}. */
    public int len;

    Segment(int capacity) {
        data = new byte[capacity];
    }

    /** Resets every bookkeeping field (not the payload bytes). */
    void clear() {
        cmd = 0;
        frg = 0;
        wnd = 0;
        ts = 0;
        sn = 0;
        una = 0;
        rto = 0;
        xmit = 0;
        resendts = 0;
        fastack = 0;
        acked = false;
        len = 0;
    }
}
