package kcp.smux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Objects;

import kcp.smux.internal.MuxStream;

/**
 * One stream of a {@link SmuxSession}, with the semantics of a socket: {@link #read} blocks until data arrives
 * and returns -1 once the peer has closed the stream and everything it sent has been read; {@link #write}
 * returns once the bytes are in the underlying channel; {@link #close()} sends FIN. When the session dies
 * (keepalive timeout, protocol violation, channel failure, {@link SmuxSession#close()}), blocked and later calls
 * fail with an {@link IOException} that says why.
 *
 * <p>Reads and writes may run in different threads at once (the usual pattern: one virtual thread reads, one
 * writes). Concurrent writes to one stream are taken one after the other, never interleaved within a call.
 */
public final class SmuxStream implements ByteChannel {
    private final MuxStream impl;

    SmuxStream(MuxStream impl) {
        this.impl = impl;
    }

    MuxStream impl() {
        return impl;
    }

    /** @return the smux stream id: odd for streams the client opened, even for the server's */
    public int id() {
        return impl.id();
    }

    /**
     * Reads received bytes into {@code dst}, blocking until at least one byte is there.
     *
     * @param dst where the bytes go
     * @return bytes read; 0 if {@code dst} has no room; -1 after the peer's FIN once all its data has been read
     * @throws SocketTimeoutException if the read timeout passes first
     * @throws java.nio.channels.ClosedChannelException if this stream was closed here
     * @throws IOException if the session is closed; the message says why
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        return impl.read(Objects.requireNonNull(dst, "dst"));
    }

    /**
     * Writes all of {@code src} and returns once it is in the underlying channel. In version 2 this waits
     * while the peer's stream window is full, so a peer that reads slowly slows this writer down.
     *
     * @param src the bytes to send, from its position to its limit
     * @return bytes written: all of them, or fewer if the write timeout passed after some were sent
     * @throws SocketTimeoutException if the write timeout passes before any byte is sent
     * @throws java.nio.channels.ClosedChannelException if this stream was closed here
     * @throws IOException if the session is closed (the message says why), or, in version 2, the peer
     *     closed the stream while this write waited for window
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        return impl.write(Objects.requireNonNull(src, "src"));
    }

    /**
     * Returns an input stream over {@link #read}: it returns -1 at the peer's FIN and throws what {@code read}
     * throws. Closing it closes this stream.
     *
     * @return a new view of this stream
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                return impl.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public int available() {
                return impl.buffered();
            }

            @Override
            public void close() {
                impl.close();
            }
        };
    }

    /**
     * Returns an output stream over {@link #write}; each call writes all its bytes (retrying after a partial
     * write). Closing it closes this stream (sends FIN).
     *
     * @return a new view of this stream
     */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                ByteBuffer src = ByteBuffer.wrap(b, off, len);
                while (src.hasRemaining()) {
                    impl.write(src);
                }
            }

            @Override
            public void close() {
                impl.close();
            }
        };
    }

    /**
     * Limits how long {@link #read} waits; a read that times out throws {@link SocketTimeoutException} and
     * leaves the stream usable.
     *
     * @param t the limit; null or zero for none
     */
    public void setReadTimeout(Duration t) {
        impl.setReadTimeout(t);
    }

    /**
     * Limits how long {@link #write} waits (for the writer, or in version 2 for the peer's window).
     *
     * @param t the limit; null or zero for none
     */
    public void setWriteTimeout(Duration t) {
        impl.setWriteTimeout(t);
    }

    /**
     * Half-closes this stream: sends FIN now, so the peer reads end of stream after the data already sent,
     * while this side keeps reading until the peer's FIN. Later writes fail; {@link #close()} still releases
     * the stream (without a second FIN). Compatible with smux 1.5.16 peers, which keep writing after a FIN in
     * version 1 (in version 2 a 1.5.16 writer that waits for window gives up at the FIN). Idempotent.
     */
    public void shutdownOutput() {
        impl.shutdownOutput();
    }

    /** @return true until {@link #close()} is called (the peer's FIN does not close it) */
    @Override
    public boolean isOpen() {
        return impl.isOpen();
    }

    /**
     * Closes this stream: sends FIN (the peer reads -1 after the data already sent), discards data received
     * and not read, and fails this stream's blocked calls. Idempotent.
     */
    @Override
    public void close() {
        impl.close();
    }

    @Override
    public String toString() {
        return "SmuxStream[" + Integer.toUnsignedString(impl.id()) + "]";
    }
}
