package kcp.core.internal;

/**
 * Free list of {@link Segment}s for one {@code Kcp} (Okio's segment-pool idea without the lock, since a Kcp has a
 * single owner). Segments are created only while the pool is still warming up; in steady state {@link #take} and
 * {@link #release} allocate nothing. Not thread-safe.
 */
public final class SegmentPool {
    private static final int INITIAL_SLOTS = 8;

    private Segment[] free = new Segment[INITIAL_SLOTS];
    private int size;

    /** Returns a cleared segment whose {@code data} holds at least {@code capacity} bytes. */
    public Segment take(int capacity) {
        Segment seg;
        if (size > 0) {
            seg = free[--size];
            free[size] = null;
            if (seg.data.length < capacity) {
                seg.data = new byte[capacity];
            }
        } else {
            seg = new Segment(capacity);
        }
        return seg;
    }

    /** Gives a segment back; the caller must not use it afterwards. */
    public void release(Segment seg) {
        seg.clear();
        if (size == free.length) {
            Segment[] bigger = new Segment[size * 2];
            System.arraycopy(free, 0, bigger, 0, size);
            free = bigger;
        }
        free[size++] = seg;
    }

    /** Drops every cached segment (they become garbage) and shrinks the free list to its initial size. */
    public void clear() {
        free = new Segment[INITIAL_SLOTS];
        size = 0;
    }

    /** Number of idle segments held. */
    public int size() {
        return size;
    }
}
