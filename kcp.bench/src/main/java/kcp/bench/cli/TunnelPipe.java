package kcp.bench.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * Copies bytes both ways between the two ends of one tunnelled connection (a TCP socket and an smux stream), one
 * direction on a new virtual thread and the other on the caller's, with half-close: when one end reports end of
 * stream, the other end's output is shut down (TCP {@code shutdownOutput}, smux FIN) and the opposite direction
 * keeps flowing until it ends too; then both ends are closed. An I/O error in either direction closes both ends
 * at once, which ends the other direction as well.
 *
 * <p>The smux side half-closes with {@code SmuxStream.shutdownOutput()} (FIN, then keep reading), so between two
 * kcp-java ends a half-close travels end to end. kcptun itself closes both ends of a connection when either
 * direction ends, so with a kcptun peer a half-close ends the whole connection, as it does between kcptun ends.
 *
 * <p>Each direction has its own 16 KiB direct buffer while the connection lasts, taken from a pool shared by all
 * connections (at most {@value #POOLED_BUFFERS} kept): a direct buffer per connection would otherwise leave its
 * native memory to the garbage collector, which a stream of short connections turns into full collections.
 * One instance per connection; {@link #run} once.
 */
final class TunnelPipe {
    /** Bytes per read: a few smux frames' worth, one snappy chunk at most 64 KiB. */
    static final int BUFFER_BYTES = 16 * 1024;

    /** Idle buffers kept for the next connections (4 MiB of native memory at most). */
    static final int POOLED_BUFFERS = 256;

    private static final java.util.concurrent.ArrayBlockingQueue<ByteBuffer> POOL =
            new java.util.concurrent.ArrayBlockingQueue<>(POOLED_BUFFERS);

    /** Shuts down one end's output (half-close). */
    @FunctionalInterface
    interface Shutdown {
        /** Signals end of stream to that end's peer; the end can still be read. */
        void shutdownOutput() throws IOException;
    }

    /** Totals of one finished connection. */
    record Totals(long aToB, long bToA, IOException failure) {
    }

    private final ByteChannel a;
    private final Shutdown aShutdown;
    private final ByteChannel b;
    private final Shutdown bShutdown;
    private volatile IOException failure;

    /**
     * @param a         one end (the TCP socket)
     * @param aShutdown half-closes {@code a}
     * @param b         the other end (the smux stream)
     * @param bShutdown half-closes {@code b}
     */
    TunnelPipe(ByteChannel a, Shutdown aShutdown, ByteChannel b, Shutdown bShutdown) {
        this.a = a;
        this.aShutdown = aShutdown;
        this.b = b;
        this.bShutdown = bShutdown;
    }

    /**
     * Copies until both directions have ended, then closes both ends.
     *
     * @return bytes copied each way and the first I/O error, if any
     */
    Totals run() throws InterruptedException {
        long[] aToB = new long[1];
        Thread t = Thread.ofVirtual().name("tunnel-copy").start(() -> aToB[0] = copy(a, b, bShutdown));
        long bToA;
        try {
            bToA = copy(b, a, aShutdown);
            t.join();
        } finally {
            closeBoth();
        }
        return new Totals(aToB[0], bToA, failure);
    }

    private long copy(ByteChannel from, ByteChannel to, Shutdown toShutdown) {
        ByteBuffer pooled = POOL.poll();
        ByteBuffer buf = pooled != null ? pooled : ByteBuffer.allocateDirect(BUFFER_BYTES);
        long total = 0;
        try {
            while (true) {
                buf.clear();
                int n = from.read(buf);
                if (n < 0) {
                    toShutdown.shutdownOutput();
                    return total;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            if (!from.isOpen()) {
                // closed here, by the other direction's failure
                return total;
            }
            if (failure == null) {
                failure = e instanceof IOException io ? io : new IOException(e);
            }
            closeBoth();
            return total;
        } finally {
            buf.clear();
            POOL.offer(buf);
        }
    }

    private void closeBoth() {
        closeQuietly(a);
        closeQuietly(b);
    }

    private static void closeQuietly(ByteChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing is all that is left to do; the first copy error is what gets reported
        }
    }
}
