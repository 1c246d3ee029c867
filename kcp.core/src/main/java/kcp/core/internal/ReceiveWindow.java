package kcp.core.internal;

/**
 * rcv_buf: out-of-order received segments, kept ordered by sn without allocation. Every held sn lies in
 * {@code [rcvNxt, rcvNxt + capacity)}, so slot {@code sn & mask} identifies a segment uniquely (kcp-go v5.6.72 uses
 * a min-heap plus a set; 5.6.1 a sorted slice; the observable behaviour is the same). The capacity is a power of
 * two at least as large as the largest receive window ever configured; {@link #ensureCapacity} rehashes when the
 * window grows. Not thread-safe.
 */
public final class ReceiveWindow {
    private Segment[] slots;
    private int mask;
    private int size;

    /** Creates a window for receive windows up to {@code rcvWnd} segments. */
    public ReceiveWindow(int rcvWnd) {
        int cap = capacityFor(rcvWnd);
        slots = new Segment[cap];
        mask = cap - 1;
    }

    private static int capacityFor(int wnd) {
        return Integer.highestOneBit(Math.max(2, wnd) - 1) << 1;
    }

    /** Makes room for a receive window of {@code rcvWnd} segments (never shrinks). */
    public void ensureCapacity(int rcvWnd) {
        int cap = capacityFor(rcvWnd);
        if (cap <= slots.length) {
            return;
        }
        Segment[] old = slots;
        slots = new Segment[cap];
        mask = cap - 1;
        for (Segment seg : old) {
            if (seg != null) {
                slots[seg.sn & mask] = seg;
            }
        }
    }

    /** Number of segments held. */
    public int size() {
        return size;
    }

    /** The segment with this sn, or null. Only valid for sn within the window. */
    public Segment get(int sn) {
        Segment seg = slots[sn & mask];
        return seg != null && seg.sn == sn ? seg : null;
    }

    /** Stores a segment whose sn is within the window and not yet present. */
    public void put(Segment seg) {
        assert slots[seg.sn & mask] == null : seg.sn;
        slots[seg.sn & mask] = seg;
        size++;
    }

    /** Removes and returns the segment with this sn, or null if absent. */
    public Segment remove(int sn) {
        int i = sn & mask;
        Segment seg = slots[i];
        if (seg == null || seg.sn != sn) {
            return null;
        }
        slots[i] = null;
        size--;
        return seg;
    }
}
