package kcp.smux;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Objects;

import kcp.smux.internal.KeepAliveScheduler;
import kcp.smux.internal.Mux;

/**
 * A smux session: many independent, ordered byte streams over one blocking byte channel, byte-compatible with
 * xtaci/smux (version 1 or 2, as configured). Usually the channel is a {@code kcp.net.KcpSession}; any blocking
 * {@link ByteChannel} that delivers bytes reliably and in order works.
 *
 * <p>One side is the client and one the server; either side may open streams (client ids are odd, server ids
 * even, as in smux). The session owns its channel: {@link #close()} closes it.
 *
 * <p>Threads: each session runs one reader virtual thread (the only one that reads the channel) and one writer
 * virtual thread (the only one that writes it). Keepalive needs no thread of its own: its ticks run on one
 * scheduler shared by every session in the JVM, whose single worker is a virtual thread. Every
 * {@code keepAliveInterval} the session sends a NOP frame; every {@code keepAliveTimeout} it checks whether any
 * frame arrived since the last check and, if none did, closes with "keepalive timeout" (as smux does, so a
 * silent peer is detected after one to two timeouts; a session that is only waiting for the application to
 * read is not timed out).
 *
 * <p>When the session closes, for whatever reason, every blocked and later call on it and on its streams fails
 * with an {@link IOException} whose message says why (for example {@code smux session closed: keepalive timeout:
 * nothing received from the peer for 30000 ms} or {@code smux session closed: invalid protocol: unknown cmd 9}),
 * except that data already received can still be read.
 *
 * <p>This class is thread safe.
 */
public final class SmuxSession implements AutoCloseable {
    private final Mux mux;

    SmuxSession(Mux mux) {
        this.mux = mux;
    }

    /**
     * Starts the client side of a session (smux {@code Client}) over {@code channel}.
     *
     * @param channel a blocking channel to the server; the session owns it
     * @param config the settings, with the same {@code version} as the server's
     * @return the running session
     */
    public static SmuxSession client(ByteChannel channel, SmuxConfig config) {
        return new SmuxSession(new Mux(channel, Objects.requireNonNull(config, "config"), true,
                KeepAliveScheduler.shared(), Mux.DEFAULT_ACCEPT_BACKLOG));
    }

    /**
     * Starts the server side of a session (smux {@code Server}) over {@code channel}.
     *
     * @param channel a blocking channel to the client; the session owns it
     * @param config the settings, with the same {@code version} as the client's
     * @return the running session
     */
    public static SmuxSession server(ByteChannel channel, SmuxConfig config) {
        return new SmuxSession(new Mux(channel, Objects.requireNonNull(config, "config"), false,
                KeepAliveScheduler.shared(), Mux.DEFAULT_ACCEPT_BACKLOG));
    }

    /**
     * Opens a stream to the peer: sends its SYN and returns at once (the peer's {@link #acceptStream()} returns
     * it).
     *
     * @return the new stream
     * @throws IOException if the session is closed (the message says why) or has used up its 2^31 stream ids
     */
    public SmuxStream openStream() throws IOException {
        return new SmuxStream(mux.open());
    }

    /**
     * Waits for the next stream the peer opens. Up to 1,024 opened streams wait for this call; the peer's
     * further streams are refused with a FIN (counted in {@link SmuxCounters#refusedStreams()}).
     *
     * @return the stream
     * @throws IOException if the session closes while waiting (the message says why)
     */
    public SmuxStream acceptStream() throws IOException {
        return new SmuxStream(mux.accept(0));
    }

    /**
     * Waits at most {@code timeout} for the next stream the peer opens.
     *
     * @param timeout how long to wait; null or zero waits without limit
     * @return the stream
     * @throws SocketTimeoutException if no stream arrives in time
     * @throws IOException if the session closes while waiting (the message says why)
     */
    public SmuxStream acceptStream(Duration timeout) throws IOException {
        long nanos = timeout == null || timeout.isZero() ? 0 : timeout.toNanos();
        if (nanos < 0) {
            throw new IllegalArgumentException("timeout must not be negative (null or zero waits forever): "
                    + timeout);
        }
        return new SmuxStream(mux.accept(nanos));
    }

    /** {@return the streams open in this session (opened, accepted or waiting to be accepted); 0 once closed} */
    public int numStreams() {
        return mux.numStreams();
    }

    /** {@return true once the session is closed, by {@link #close()} or by a failure} */
    public boolean isClosed() {
        return mux.isClosed();
    }

    /** {@return why the session closed, or null while it is open} */
    public String closeReason() {
        return mux.closeReason();
    }

    /** {@return what the session has dropped so far (frames for unknown streams, refused streams, ...)} */
    public SmuxCounters counters() {
        long[] c = mux.counters();
        return new SmuxCounters(c[0], c[1], c[2], c[3]);
    }

    /**
     * Closes the session, its streams and the underlying channel. Control frames already queued (the FINs of
     * streams closed just before) are written first, waiting at most one second. Blocked calls fail with
     * {@code smux session closed: closed by close()}. Idempotent.
     */
    @Override
    public void close() {
        mux.close();
    }

    @Override
    public String toString() {
        return "SmuxSession[" + (mux.isClosed() ? "closed: " + mux.closeReason() : mux.numStreams() + " streams")
                + "]";
    }
}
