package kcp.smux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectableChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import kcp.smux.internal.SnappyFrameReader;
import kcp.smux.internal.SnappyFrameWriter;

/**
 * kcptun's compression: golang/snappy framing over a byte channel, flushed on every write. Put it between a
 * {@code KcpSession} and a {@code SmuxSession} to talk to a kcptun client or server that runs without
 * {@code --nocomp}.
 *
 * <p>Each {@link #write} compresses its bytes into one snappy chunk per 64 KiB (sent uncompressed when
 * compression saves less than an eighth, as golang/snappy does) and hands them to the underlying channel before
 * returning, exactly like kcptun's {@code CompStream}: golang/snappy's buffered writer followed by {@code Flush}.
 * The first chunk is preceded by the stream identifier; a write of no bytes sends nothing; a gathering write is
 * framed as one write of its buffers' concatenation. {@link #read} returns the bytes of one verified chunk at a
 * time and -1 when the underlying channel ends between chunks.
 *
 * <p>Corrupt input (a bad CRC, a reserved chunk type, a length out of range, a stream that ends inside a chunk,
 * a broken compressed block) makes {@code read} throw a {@link SnappyFormatException} that names the problem;
 * the read side then stays failed. Memory is fixed per channel (about 330 KiB: 128 KiB read-ahead, a 64 KiB
 * decoded block, a 75 KiB output chunk, a 64 KiB hash table) and nothing is allocated per read or write.
 *
 * <p>One thread may read while another writes; concurrent readers (or writers) take turns on a lock, so a write
 * is never interleaved with another one. The underlying channel must be in blocking mode.
 */
public final class SnappyChannel implements ByteChannel, GatheringByteChannel {
    private final ByteChannel raw;
    private final SnappyFrameReader reader;
    private final SnappyFrameWriter writer;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SnappyChannel(ByteChannel raw) {
        this.raw = raw;
        this.reader = new SnappyFrameReader(raw);
        this.writer = new SnappyFrameWriter(raw);
    }

    /**
     * Wraps {@code raw}: reads decompress what arrives on it, writes compress onto it.
     *
     * @param raw the channel that carries the compressed stream, such as a {@code KcpSession}; must block
     * @return the compressing channel; closing it closes {@code raw}
     * @throws IllegalArgumentException if {@code raw} is a selectable channel in non-blocking mode
     */
    public static SnappyChannel over(ByteChannel raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw instanceof SelectableChannel sc && !sc.isBlocking()) {
            throw new IllegalArgumentException("SnappyChannel needs a blocking channel: call configureBlocking(true) "
                    + "on " + raw + " first");
        }
        return new SnappyChannel(raw);
    }

    /**
     * Reads decompressed bytes, at most the rest of one chunk, blocking until a whole chunk has arrived and its
     * CRC has been checked.
     *
     * @param dst where the bytes go
     * @return the bytes read, 0 if {@code dst} has no room, or -1 when the peer's stream ended between chunks
     * @throws SnappyFormatException if the compressed stream is corrupt (the message says how)
     * @throws ClosedChannelException if this channel was closed
     * @throws IOException if the underlying channel fails (a read timeout of the underlying channel consumes
     *     nothing; the read may be retried)
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        checkOpen();
        readLock.lock();
        try {
            return reader.read(dst);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Reads decompressed bytes into {@code b[off, off + len)}; see {@link #read(ByteBuffer)}.
     *
     * @param b the destination array
     * @param off where the first byte goes
     * @param len the most bytes to read
     * @return the bytes read, 0 if {@code len} is 0, or -1 at the end of the stream
     * @throws IOException as {@link #read(ByteBuffer)}
     */
    public int read(byte[] b, int off, int len) throws IOException {
        checkOpen();
        readLock.lock();
        try {
            return reader.read(b, off, len);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Compresses all of {@code src}'s remaining bytes and sends them, flushed, before returning (kcptun's
     * {@code CompStream.Write}).
     *
     * @param src the bytes to send; its position moves to its limit
     * @return the number of bytes taken from {@code src}, all of them
     * @throws ClosedChannelException if this channel was closed
     * @throws IOException if the underlying channel fails; after a failure part way through a chunk every later
     *     write fails too, since the peer can no longer parse the stream
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOpen();
        int n = src.remaining();
        writeLock.lock();
        try {
            writer.write(src);
        } finally {
            writeLock.unlock();
        }
        return n;
    }

    /**
     * Compresses the remaining bytes of all of {@code srcs} as one write and sends them, flushed: the chunks are
     * those of a single write of the buffers' concatenation, as when a Go program writes one slice holding a
     * frame's header and payload.
     *
     * @param srcs the buffers, consumed in order
     * @return the number of bytes taken, all of them
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Compresses the remaining bytes of {@code srcs[offset, offset + length)} as one write; see
     * {@link #write(ByteBuffer[])}.
     *
     * @param srcs the buffers
     * @param offset the first buffer to take bytes from
     * @param length how many buffers to take bytes from
     * @return the number of bytes taken, all of them
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.requireNonNull(srcs, "srcs");
        checkOpen();
        writeLock.lock();
        try {
            return writer.write(srcs, offset, length);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Compresses and sends {@code b[off, off + len)}; see {@link #write(ByteBuffer)}.
     *
     * @param b the source array
     * @param off the first byte to send
     * @param len how many bytes to send
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        writeLock.lock();
        try {
            writer.write(b, off, len);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * An {@link InputStream} over {@link #read(byte[], int, int)}; it holds no monitor while blocked.
     * Closing it closes this channel.
     *
     * @return a new view of this channel's read side
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n;
                do {
                    n = SnappyChannel.this.read(one, 0, 1);
                } while (n == 0);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return SnappyChannel.this.read(b, off, len);
            }

            @Override
            public int available() {
                return reader.available();
            }

            @Override
            public void close() throws IOException {
                SnappyChannel.this.close();
            }
        };
    }

    /**
     * An {@link OutputStream} over {@link #write(byte[], int, int)}: every {@code write} call is compressed and
     * sent at once, as one or more chunks, so write whole messages rather than single bytes. {@code flush} has
     * nothing to do; closing the stream closes this channel.
     *
     * @return a new view of this channel's write side
     */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                SnappyChannel.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                SnappyChannel.this.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                SnappyChannel.this.close();
            }
        };
    }

    /**
     * Tells whether this channel is open.
     *
     * @return true until {@link #close()} is called
     */
    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes this channel and the underlying one. Nothing is buffered, so nothing is lost; calling it again
     * does nothing.
     *
     * @throws IOException if closing the underlying channel fails
     */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            raw.close();
        }
    }

    private void checkOpen() throws ClosedChannelException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }
}
