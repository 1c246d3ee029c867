package kcp.bench.smux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-way, single-producer single-consumer byte ring with blocking ends that allocates nothing per call
 * (volatile indices, park/unpark), so that a benchmark over it measures smux and not the transport. Two of
 * them make a duplex channel pair; see {@link #pair}.
 */
final class SpscPipe {
    private final byte[] data;
    private final int mask;
    private volatile long head; // next byte to read
    private volatile long tail; // next byte to write
    private volatile boolean closed;
    private volatile Thread parkedReader;
    private volatile Thread parkedWriter;

    SpscPipe(int capacityPow2) {
        data = new byte[capacityPow2];
        mask = capacityPow2 - 1;
    }

    /** @return two connected channel ends */
    static ByteChannel[] pair(int capacityPow2) {
        SpscPipe ab = new SpscPipe(capacityPow2);
        SpscPipe ba = new SpscPipe(capacityPow2);
        return new ByteChannel[] {new End(ba, ab), new End(ab, ba)};
    }

    int read(ByteBuffer dst) throws IOException {
        while (true) {
            long h = head;
            int avail = (int) (tail - h);
            if (avail > 0) {
                int n = Math.min(avail, dst.remaining());
                int at = (int) (h & mask);
                int first = Math.min(n, data.length - at);
                dst.put(data, at, first);
                if (first < n) {
                    dst.put(data, 0, n - first);
                }
                head = h + n;
                Thread w = parkedWriter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
                return n;
            }
            if (closed) {
                return -1;
            }
            parkedReader = Thread.currentThread();
            if (tail == h && !closed) {
                LockSupport.park(this);
            }
            parkedReader = null;
        }
    }

    int write(ByteBuffer src) throws IOException {
        int total = 0;
        while (src.hasRemaining()) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            long t = tail;
            int free = data.length - (int) (t - head);
            if (free == 0) {
                parkedWriter = Thread.currentThread();
                if (data.length - (int) (tail - head) == 0 && !closed) {
                    LockSupport.park(this);
                }
                parkedWriter = null;
                continue;
            }
            int n = Math.min(free, src.remaining());
            int at = (int) (t & mask);
            int first = Math.min(n, data.length - at);
            src.get(data, at, first);
            if (first < n) {
                src.get(data, 0, n - first);
            }
            tail = t + n;
            total += n;
            Thread r = parkedReader;
            if (r != null) {
                LockSupport.unpark(r);
            }
        }
        return total;
    }

    void close() {
        closed = true;
        Thread r = parkedReader;
        if (r != null) {
            LockSupport.unpark(r);
        }
        Thread w = parkedWriter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** One end: reads one pipe, writes the other. */
    private static final class End implements ByteChannel {
        private final SpscPipe in;
        private final SpscPipe out;

        End(SpscPipe in, SpscPipe out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return in.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return out.write(src);
        }

        @Override
        public boolean isOpen() {
            return !in.closed;
        }

        @Override
        public void close() {
            in.close();
            out.close();
        }
    }
}
