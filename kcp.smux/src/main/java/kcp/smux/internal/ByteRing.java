package kcp.smux.internal;

import java.nio.ByteBuffer;

/**
 * A stream's received bytes: a circular buffer that holds no array while empty, grows by doubling when a
 * frame does not fit, and hands its array back to the session's {@link Spares} once the application has read
 * everything. An idle stream therefore costs no buffer, and a stream that is read as fast as it receives
 * reuses the same array (no allocation per frame). Not thread safe: guarded by the session lock.
 */
final class ByteRing {
    private static final int MIN_CAPACITY = 512;

    private byte[] buf;
    private int head;
    private int size;

    int size() {
        return size;
    }

    int capacity() {
        return buf == null ? 0 : buf.length;
    }

    /** Appends {@code n} bytes from {@code src}'s position, advancing it. */
    void write(ByteBuffer src, int n, Spares spares) {
        if (n == 0) {
            return;
        }
        ensure(size + n, spares);
        int cap = buf.length;
        int tail = (head + size) & (cap - 1);
        int first = Math.min(n, cap - tail);
        src.get(buf, tail, first);
        if (first < n) {
            src.get(buf, 0, n - first);
        }
        size += n;
    }

    /**
     * Moves up to {@code dst.remaining()} bytes into {@code dst}; when the ring becomes empty its array goes back
     * to {@code spares}.
     *
     * @return bytes moved
     */
    int read(ByteBuffer dst, Spares spares) {
        int n = Math.min(size, dst.remaining());
        if (n == 0) {
            return 0;
        }
        int cap = buf.length;
        int first = Math.min(n, cap - head);
        dst.put(buf, head, first);
        if (first < n) {
            dst.put(buf, 0, n - first);
        }
        head = (head + n) & (cap - 1);
        size -= n;
        if (size == 0) {
            release(spares);
        }
        return n;
    }

    /** Drops the content and returns the array to {@code spares}; returns the bytes dropped. */
    int clear(Spares spares) {
        int n = size;
        size = 0;
        release(spares);
        return n;
    }

    private void release(Spares spares) {
        if (buf != null) {
            spares.offer(buf);
            buf = null;
        }
        head = 0;
    }

    private void ensure(int needed, Spares spares) {
        if (buf != null && buf.length >= needed) {
            return;
        }
        int cap = Math.max(MIN_CAPACITY, Integer.highestOneBit(needed - 1) << 1);
        byte[] next = spares.take(cap);
        if (buf != null) {
            int first = Math.min(size, buf.length - head);
            System.arraycopy(buf, head, next, 0, first);
            System.arraycopy(buf, 0, next, first, size - first);
            spares.offer(buf);
        }
        buf = next;
        head = 0;
    }

    /**
     * A session's few spare receive arrays (powers of two), so that streams which drain and refill do not
     * allocate. Holds at most {@link #MAX_COUNT} arrays and {@code maxBytes} bytes; anything beyond is left to
     * the garbage collector. Guarded by the session lock.
     */
    static final class Spares {
        static final int MAX_COUNT = 8;
        private final byte[][] arrays = new byte[MAX_COUNT][];
        private final long maxBytes;
        private int count;
        private long bytes;

        Spares(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /**
         * Returns the smallest spare array of at least {@code capacity} bytes (a power of two), or a new array
         * of exactly that size. Taking a larger spare rather than only an exact fit matters for a stream that
         * drains and refills: its ring grows to the size its bursts need, hands that array back when drained,
         * and starts its next burst from one frame's size; an exact-fit rule then found no spare at each
         * doubling and allocated a new array per step (in a tunnel, about 1.7 bytes allocated per byte carried).
         * A spare is only memory the session already holds, so taking a larger one does not raise the bound.
         */
        byte[] take(int capacity) {
            int best = -1;
            for (int i = 0; i < count; i++) {
                int len = arrays[i].length;
                if (len >= capacity && (best < 0 || len < arrays[best].length)) {
                    best = i;
                }
            }
            if (best < 0) {
                return new byte[capacity];
            }
            byte[] a = arrays[best];
            arrays[best] = arrays[--count];
            arrays[count] = null;
            bytes -= a.length;
            return a;
        }

        /**
         * Keeps {@code a} if it fits the limits; when full, it replaces the smallest spare if that is smaller
         * (large arrays are the expensive ones to allocate again, and a large one also serves small requests).
         */
        void offer(byte[] a) {
            if (count == MAX_COUNT) {
                int smallest = 0;
                for (int i = 1; i < count; i++) {
                    if (arrays[i].length < arrays[smallest].length) {
                        smallest = i;
                    }
                }
                if (arrays[smallest].length >= a.length || bytes - arrays[smallest].length + a.length > maxBytes) {
                    return;
                }
                bytes -= arrays[smallest].length;
                arrays[smallest] = arrays[--count];
                arrays[count] = null;
            }
            if (bytes + a.length <= maxBytes) {
                arrays[count++] = a;
                bytes += a.length;
            }
        }

        long bytes() {
            return bytes;
        }
    }
}
