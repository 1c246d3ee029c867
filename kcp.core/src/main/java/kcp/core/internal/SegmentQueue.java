package kcp.core.internal;

/**
 * A growable ring buffer (FIFO with indexed access) of segments, used for snd_queue, snd_buf and rcv_queue (kcp-go
 * v5.6.72 uses its {@code RingBuffer} for the same purpose). Capacity doubles when full, so after warm-up no
 * operation allocates. Not thread-safe.
 */
public final class SegmentQueue {
    /** Slots of a new or trimmed queue (a power of two); the ring doubles on demand. */
    public static final int MIN_CAPACITY = 8;

    private Segment[] items;
    private int mask;
    private int head;
    private int size;

    /** Creates a queue with room for {@code initialCapacity} segments (rounded up to a power of two). */
    public SegmentQueue(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(4, initialCapacity - 1)) << 1;
        items = new Segment[cap];
        mask = cap - 1;
    }

    /** Number of segments held. */
    public int size() {
        return size;
    }

    /** True if empty. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The i-th segment from the head (0 = oldest). */
    public Segment get(int i) {
        assert i >= 0 && i < size : i;
        return items[(head + i) & mask];
    }

    /** The oldest segment, or null when empty. */
    public Segment peekFirst() {
        return size == 0 ? null : items[head];
    }

    /** The newest segment, or null when empty. */
    public Segment peekLast() {
        return size == 0 ? null : items[(head + size - 1) & mask];
    }

    /** Appends at the tail, growing if needed. */
    public void addLast(Segment seg) {
        if (size == items.length) {
            grow();
        }
        items[(head + size) & mask] = seg;
        size++;
    }

    /** Removes and returns the oldest segment, or null when empty. */
    public Segment pollFirst() {
        if (size == 0) {
            return null;
        }
        Segment seg = items[head];
        items[head] = null;
        head = (head + 1) & mask;
        size--;
        return seg;
    }

    /** Shrinks the ring back to {@link #MIN_CAPACITY} slots if it is empty and has grown (idle memory). */
    public void trim() {
        if (size == 0 && items.length > MIN_CAPACITY) {
            items = new Segment[MIN_CAPACITY];
            mask = MIN_CAPACITY - 1;
            head = 0;
        }
    }

    private void grow() {
        Segment[] bigger = new Segment[items.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = items[(head + i) & mask];
        }
        items = bigger;
        mask = bigger.length - 1;
        head = 0;
    }
}
