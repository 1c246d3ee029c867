package kcp.net.internal;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded free list of {@value #BUFFER_SIZE}-byte arrays (kcp-go's {@code xmitBuf}, spec 10): one
 * datagram each, the largest kcp-go sends or receives. {@link #acquire()} hands out a pooled array or
 * allocates a new one when the pool is empty; {@link #release(byte[])} keeps at most {@code capacity}
 * arrays and lets the rest be collected, so the pool never holds more than capacity x 1500 bytes.
 *
 * <p>Thread-safe (a short {@link ReentrantLock} section per call; no allocation while holding it).
 * Ownership: an acquired array belongs to the caller until it is released; contents are not cleared.
 */
public final class BufferPool {
    /** Size of every pooled array: kcp-go's {@code mtuLimit}. */
    public static final int BUFFER_SIZE = 1500;

    private static final BufferPool SHARED = new BufferPool(4096);

    private final ReentrantLock lock = new ReentrantLock();
    private final byte[][] free;
    private int count;

    /** @param capacity most arrays kept for reuse, 1..1_000_000 */
    public BufferPool(int capacity) {
        if (capacity < 1 || capacity > 1_000_000) {
            throw new IllegalArgumentException("capacity must be in [1, 1000000]: " + capacity);
        }
        free = new byte[capacity][];
    }

    /** @return the process-wide pool (4096 arrays, about 6 MB at most) */
    public static BufferPool shared() {
        return SHARED;
    }

    /** @return an array of {@value #BUFFER_SIZE} bytes, owned by the caller until released */
    public byte[] acquire() {
        lock.lock();
        try {
            if (count > 0) {
                byte[] b = free[--count];
                free[count] = null;
                return b;
            }
        } finally {
            lock.unlock();
        }
        return new byte[BUFFER_SIZE];
    }

    /**
     * Returns an array to the pool (dropped if the pool is full). The caller must not touch it afterwards.
     *
     * @param buf an array of exactly {@value #BUFFER_SIZE} bytes
     * @throws IllegalArgumentException if {@code buf} has another length
     */
    public void release(byte[] buf) {
        Objects.requireNonNull(buf, "buf");
        if (buf.length != BUFFER_SIZE) {
            throw new IllegalArgumentException("only " + BUFFER_SIZE + "-byte arrays belong to this pool: "
                    + buf.length);
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

    /** @return arrays currently held for reuse */
    public int pooled() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
