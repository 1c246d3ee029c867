package kcp.core.internal;

/**
 * rcv_buf: out-of-order received segments, kept ordered by sn without allocation. Every held sn lies in
 * {@code [rcvNxt, rcvNxt + capacity)}, so slot {@code sn & mask} identifies a segment uniquely (kcp-go v5.6.72 uses
 * a min-heap plus a set; 5.6.1 a sorted slice; the observable behaviour is the same). The table starts at
 * {@link #INITIAL_CAPACITY} slots and doubles (rehashing) only when two held sns collide, so it never exceeds the
 * power of two covering the receive window, and a session that never holds many out-of-order segments never pays
 * for a window-sized table. After it has grown, put/get/remove allocate nothing. Not thread-safe.
 */
public final class ReceiveWindow {
    /** Slots of a new window (a power of two). */
    public static final int INITIAL_CAPACITY = 16;

    private Segment[] slots;
    private int mask;
    private int size;

    /**
     * Creates a window for receive windows up to {@code rcvWnd} segments; the table starts small and grows on
     * demand.
     */
    public ReceiveWindow(int rcvWnd) {
        int cap = Math.min(INITIAL_CAPACITY, capacityFor(rcvWnd));
        slots = new Segment[cap];
        mask = cap - 1;
    }

    private static int capacityFor(int wnd) {
        return Integer.highestOneBit(Math.max(2, wnd) - 1) << 1;
    }

    /** Current number of slots. */
    public int capacity() {
        return slots.length;
    }

    /**
     * Kept for callers that change the receive window: the table grows on demand in {@link #put}, so this only
     * checks the argument.
     */
    public void ensureCapacity(int rcvWnd) {
        if (rcvWnd <= 0) {
            throw new IllegalArgumentException("receive window must be > 0 segments: " + rcvWnd);
        }
    }

    private void grow() {
        int cap = slots.length * 2;
        Segment[] old = slots;
        slots = new Segment[cap];
        mask = cap - 1;
        for (Segment seg : old) {
            if (seg != null) {
                slots[seg.sn & mask] = seg;
            }
        }
    }

    /** Shrinks the table back to its initial size if it holds nothing and has grown (idle memory). */
    public void trim() {
        if (size == 0 && slots.length > INITIAL_CAPACITY) {
            slots = new Segment[INITIAL_CAPACITY];
            mask = INITIAL_CAPACITY - 1;
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
        // Held sns span less than the window, so doubling stops at the window's power of two at the latest.
        while (slots[seg.sn & mask] != null) {
            assert slots[seg.sn & mask].sn != seg.sn : seg.sn;
            grow();
        }
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
