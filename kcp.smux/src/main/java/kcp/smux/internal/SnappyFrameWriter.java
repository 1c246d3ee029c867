package kcp.smux.internal;

import static kcp.smux.internal.SnappyFraming.CHECKSUM_SIZE;
import static kcp.smux.internal.SnappyFraming.CHUNK_HEADER_SIZE;
import static kcp.smux.internal.SnappyFraming.MAX_COMPRESSED_BLOCK;
import static kcp.smux.internal.SnappyFraming.MAX_DATA_SIZE;
import static kcp.smux.internal.SnappyFraming.STREAM_IDENTIFIER;
import static kcp.smux.internal.SnappyFraming.TYPE_COMPRESSED;
import static kcp.smux.internal.SnappyFraming.TYPE_UNCOMPRESSED;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The writing half of kcptun's compression stream: golang/snappy's buffered {@code Writer} flushed after every
 * {@code Write}, so each write becomes one data chunk per 65536 bytes, preceded once by the stream identifier.
 * A chunk is sent compressed only when that saves at least an eighth of its size, as golang/snappy decides.
 *
 * <p>Each chunk is built in one reused buffer and handed to the channel in one write; nothing is allocated per
 * write. NOT thread safe. After a write to the channel fails part way through a chunk, every later write fails
 * too (the peer's stream holds half a chunk); a failure before the channel took any byte of a chunk (such as a
 * write timeout) leaves the writer usable. A multi-chunk write that fails has sent its earlier chunks.
 */
public final class SnappyFrameWriter {
    private static final int HEADER_END = STREAM_IDENTIFIER.length + CHUNK_HEADER_SIZE + CHECKSUM_SIZE;

    private final WritableByteChannel out;
    private final SnappyBlock block = new SnappyBlock();
    private final CRC32C crc = new CRC32C();
    /** [stream identifier][chunk header][checksum][payload]; the identifier is sent only before the first chunk. */
    private final byte[] obuf = new byte[HEADER_END + MAX_COMPRESSED_BLOCK];
    private final ByteBuffer obufView = ByteBuffer.wrap(obuf);
    private byte[] scratch;
    private boolean wroteStreamIdentifier;
    private IOException failure;

    /**
     * Creates a writer that sends chunks to {@code out}, which must be in blocking mode.
     *
     * @param out the channel that receives the framed stream
     */
    public SnappyFrameWriter(WritableByteChannel out) {
        this.out = Objects.requireNonNull(out, "out");
        System.arraycopy(STREAM_IDENTIFIER, 0, obuf, 0, STREAM_IDENTIFIER.length);
    }

    /**
     * Compresses and sends {@code b[off, off + len)}; returns when every chunk has been handed to the channel.
     * An empty write sends nothing.
     *
     * @throws IOException if the channel fails, now or on an earlier write
     */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkFailure();
        for (int p = 0; p < len; p += MAX_DATA_SIZE) {
            int n = Math.min(MAX_DATA_SIZE, len - p);
            int start = encodeChunk(b, off + p, n);
            send(start);
        }
    }

    /**
     * Compresses and sends {@code src}'s remaining bytes, advancing its position; see {@link #write(byte[], int,
     * int)}. Buffers without an accessible array are copied through a 64 KiB array allocated on first use.
     *
     * @throws IOException if the channel fails, now or on an earlier write
     */
    public void write(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            int n = src.remaining();
            write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.position() + n);
            return;
        }
        checkFailure();
        if (scratch == null) {
            scratch = new byte[MAX_DATA_SIZE];
        }
        while (src.hasRemaining()) {
            int n = Math.min(MAX_DATA_SIZE, src.remaining());
            src.get(scratch, 0, n);
            send(encodeChunk(scratch, 0, n));
        }
    }

    /**
     * Compresses and sends the remaining bytes of {@code srcs[offset, offset + length)} as if they were one
     * array, advancing each buffer's position: the chunks are exactly those of one write of their concatenation
     * (so a frame written as header + payload buffers goes out as golang/snappy would send it from one slice).
     *
     * @return the number of bytes taken
     * @throws IOException if the channel fails, now or on an earlier write
     */
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
        }
        if (length == 1) {
            write(srcs[offset]);
            return total;
        }
        checkFailure();
        if (scratch == null) {
            scratch = new byte[MAX_DATA_SIZE];
        }
        int i = offset;
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(MAX_DATA_SIZE, left);
            for (int filled = 0; filled < n; ) {
                ByteBuffer b = srcs[i];
                int k = Math.min(b.remaining(), n - filled);
                b.get(scratch, filled, k);
                filled += k;
                if (!b.hasRemaining()) {
                    i++;
                }
            }
            send(encodeChunk(scratch, 0, n));
            left -= n;
        }
        return total;
    }

    /**
     * Frames 1 to 65536 bytes as one chunk in the internal buffer; see {@link #frame()}.
     *
     * @return where the chunk starts in {@link #frame()} (0 when the stream identifier goes first)
     */
    int encodeChunk(byte[] b, int off, int n) {
        int start = wroteStreamIdentifier ? STREAM_IDENTIFIER.length : 0;
        int checksum = SnappyFraming.maskedCrc(crc, b, off, n);
        int compressed = block.compress(b, off, n, obuf, HEADER_END);
        int type;
        int payload;
        if (compressed >= n - n / 8) {
            type = TYPE_UNCOMPRESSED;
            payload = n;
            System.arraycopy(b, off, obuf, HEADER_END, n);
        } else {
            type = TYPE_COMPRESSED;
            payload = compressed;
        }
        int h = STREAM_IDENTIFIER.length;
        int chunkLength = CHECKSUM_SIZE + payload;
        obuf[h] = (byte) type;
        obuf[h + 1] = (byte) chunkLength;
        obuf[h + 2] = (byte) (chunkLength >>> 8);
        obuf[h + 3] = (byte) (chunkLength >>> 16);
        SnappyFraming.putIntLE(obuf, h + CHUNK_HEADER_SIZE, checksum);
        obufView.limit(HEADER_END + payload).position(start);
        return start;
    }

    /** The chunk built by the last {@link #encodeChunk}: position to limit. */
    ByteBuffer frame() {
        return obufView;
    }

    private void send(int start) throws IOException {
        try {
            while (obufView.hasRemaining()) {
                out.write(obufView);
            }
        } catch (IOException | RuntimeException e) {
            if (obufView.position() != start) {
                // Part of a chunk is out: the peer cannot resynchronise, so this stream is done.
                failure = e instanceof IOException io ? io : new IOException(e);
            }
            // Nothing sent (say a write timeout before the channel took any byte): the caller may retry.
            throw e;
        }
        wroteStreamIdentifier = true;
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException("snappy stream is broken by an earlier write failure: " + failure, failure);
        }
    }
}
