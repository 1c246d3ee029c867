package kcp.net.internal;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded free list of {@value #BUFFER_SIZE}-byte heap {@link ByteBuffer}s (kcp-go's {@code xmitBuf},
 * spec 10): one datagram each, the largest kcp-go sends or receives; {@link ByteBuffer#array()} gives the
 * bytes, the buffer itself goes to {@code DatagramChannel.send} without a wrapper allocation.
 * {@link #acquire()} hands out a pooled buffer or allocates a new one when the pool is empty;
 * {@link #release(ByteBuffer)} keeps at most {@code capacity} buffers and lets the rest be collected, so
 * the pool never holds more than capacity x 1500 bytes.
 *
 * <p>Thread-safe (a short {@link ReentrantLock} section per call; no allocation while holding it).
 * Ownership: an acquired buffer belongs to the caller until it is released; contents are not cleared,
 * position and limit are reset by {@link #acquire()}.
 */
public final class BufferPool {
    /** Size of every pooled array: kcp-go's {@code mtuLimit}. */
    public static final int BUFFER_SIZE = 1500;

    private static final BufferPool SHARED = new BufferPool(4096);

    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer[] free;
    private int count;

    /**
     * Creates an empty pool.
     *
     * @param capacity most buffers kept for reuse, 1..1_000_000
     */
    public BufferPool(int capacity) {
        if (capacity < 1 || capacity > 1_000_000) {
            throw new IllegalArgumentException("capacity must be in [1, 1000000]: " + capacity);
        }
        free = new ByteBuffer[capacity];
    }

    /** {@return the process-wide pool (4096 buffers, about 6 MB at most)} */
    public static BufferPool shared() {
        return SHARED;
    }

    /** {@return a heap buffer of {@value #BUFFER_SIZE} bytes (position 0, limit 1500), owned by the caller} */
    public ByteBuffer acquire() {
        lock.lock();
        try {
            if (count > 0) {
                ByteBuffer b = free[--count];
                free[count] = null;
                return b.clear();
            }
        } finally {
            lock.unlock();
        }
        return ByteBuffer.allocate(BUFFER_SIZE);
    }

    /**
     * Returns a buffer to the pool (dropped if the pool is full). The caller must not touch it afterwards.
     *
     * @param buf a heap buffer of exactly {@value #BUFFER_SIZE} bytes
     * @throws IllegalArgumentException if {@code buf} has another capacity or is not array-backed
     */
    public void release(ByteBuffer buf) {
        Objects.requireNonNull(buf, "buf");
        if (buf.capacity() != BUFFER_SIZE || !buf.hasArray()) {
            throw new IllegalArgumentException("only " + BUFFER_SIZE + "-byte heap buffers belong to this pool: "
                    + buf);
        }
        lock.lock();
        try {
            if (count < free.length) {
                free[count++] = buf;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns {@code bufs[0, n)} to the pool under one lock acquisition (those over capacity are dropped) and clears
     * those slots. The caller must not touch the buffers afterwards.
     *
     * @param bufs heap buffers of exactly {@value #BUFFER_SIZE} bytes; null slots are skipped
     * @param n    how many slots to return, from index 0
     * @throws IllegalArgumentException if a buffer has another capacity or is not array-backed (none is returned)
     */
    public void releaseAll(ByteBuffer[] bufs, int n) {
        Objects.checkFromIndexSize(0, n, bufs.length);
        for (int i = 0; i < n; i++) {
            ByteBuffer b = bufs[i];
            if (b != null && (b.capacity() != BUFFER_SIZE || !b.hasArray())) {
                throw new IllegalArgumentException("only " + BUFFER_SIZE + "-byte heap buffers belong to this pool: "
                        + b);
            }
        }
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                ByteBuffer b = bufs[i];
                if (b != null && count < free.length) {
                    free[count++] = b;
                }
                bufs[i] = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@return buffers currently held for reuse} */
    public int pooled() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
