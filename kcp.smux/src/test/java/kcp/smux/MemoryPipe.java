package kcp.smux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory, blocking, bounded byte pipe pair: what one end writes the other reads, in order. A full pipe
 * blocks its writer (as a full KCP window would); closing either end makes the other end read -1 once drained
 * and fail on write.
 */
final class MemoryPipe {
    private MemoryPipe() {
    }

    /** @return two connected ends */
    static ByteChannel[] pair(int capacity) {
        Buffer ab = new Buffer(capacity);
        Buffer ba = new Buffer(capacity);
        End a = new End(ba, ab);
        End b = new End(ab, ba);
        a.peer = b;
        b.peer = a;
        return new ByteChannel[] {a, b};
    }

    private static final class Buffer {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final byte[] data;
        int head;
        int size;
        boolean writerClosed;
        boolean readerClosed;

        Buffer(int capacity) {
            data = new byte[capacity];
        }
    }

    static final class End implements ByteChannel {
        private final Buffer in;
        private final Buffer out;
        End peer;
        private volatile boolean open = true;

        End(Buffer in, Buffer out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            in.lock.lock();
            try {
                while (true) {
                    if (!open) {
                        throw new AsynchronousCloseException();
                    }
                    if (in.size > 0) {
                        int n = Math.min(in.size, dst.remaining());
                        for (int i = 0; i < n; i++) {
                            dst.put(in.data[(in.head + i) % in.data.length]);
                        }
                        in.head = (in.head + n) % in.data.length;
                        in.size -= n;
                        in.changed.signalAll();
                        return n;
                    }
                    if (in.writerClosed) {
                        return -1;
                    }
                    in.changed.awaitUninterruptibly();
                }
            } finally {
                in.lock.unlock();
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int total = 0;
            out.lock.lock();
            try {
                while (src.hasRemaining()) {
                    if (!open) {
                        throw new ClosedChannelException();
                    }
                    if (out.readerClosed) {
                        throw new IOException("broken pipe: the other end is closed");
                    }
                    int free = out.data.length - out.size;
                    if (free == 0) {
                        out.changed.awaitUninterruptibly();
                        continue;
                    }
                    int n = Math.min(free, src.remaining());
                    for (int i = 0; i < n; i++) {
                        out.data[(out.head + out.size + i) % out.data.length] = src.get();
                    }
                    out.size += n;
                    total += n;
                    out.changed.signalAll();
                }
                return total;
            } finally {
                out.lock.unlock();
            }
        }

        /** @return bytes written to this end and not yet read by the other */
        int pendingOut() {
            out.lock.lock();
            try {
                return out.size;
            } finally {
                out.lock.unlock();
            }
        }

        /** @return bytes the other end has written and this end has not read yet */
        int pendingIn() {
            in.lock.lock();
            try {
                return in.size;
            } finally {
                in.lock.unlock();
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
            for (Buffer b : new Buffer[] {in, out}) {
                b.lock.lock();
                try {
                    if (b == out) {
                        b.writerClosed = true;
                    } else {
                        b.readerClosed = true;
                    }
                    b.changed.signalAll();
                } finally {
                    b.lock.unlock();
                }
            }
        }
    }
}
