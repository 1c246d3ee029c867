package kcp.smux.internal;

import static kcp.smux.internal.SnappyFraming.CHECKSUM_SIZE;
import static kcp.smux.internal.SnappyFraming.CHUNK_HEADER_SIZE;
import static kcp.smux.internal.SnappyFraming.MAX_CHUNK_LENGTH;
import static kcp.smux.internal.SnappyFraming.MAX_DATA_SIZE;
import static kcp.smux.internal.SnappyFraming.STREAM_IDENTIFIER;
import static kcp.smux.internal.SnappyFraming.TYPE_COMPRESSED;
import static kcp.smux.internal.SnappyFraming.TYPE_STREAM_IDENTIFIER;
import static kcp.smux.internal.SnappyFraming.TYPE_UNCOMPRESSED;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.zip.CRC32C;

import kcp.smux.SnappyFormatException;

/**
 * The reading half of kcptun's compression stream: accepts exactly what golang/snappy 0.0.2's {@code Reader}
 * accepts. The stream must open with the stream identifier; every data chunk's CRC is checked before any of its
 * bytes are returned; skippable chunks are ignored; reserved chunk types, chunks longer than golang/snappy allows
 * and a stream that ends inside a chunk are errors.
 *
 * <p>Memory is fixed: a 128 KiB input buffer (any legal chunk fits, so a chunk is always decoded whole) and a
 * 64 KiB output block. NOT thread safe. A format error is final: every later read throws it again. An
 * {@link IOException} from the channel (a read timeout, say) consumes nothing, so the read may be retried.
 */
public final class SnappyFrameReader {
    private static final int IN_CAPACITY = 1 << 17;

    private final ReadableByteChannel in;
    private final CRC32C crc = new CRC32C();
    private final byte[] inBuf = new byte[IN_CAPACITY];
    private final ByteBuffer inView = ByteBuffer.wrap(inBuf);
    private int inPos;
    private int inEnd;
    /** A decoded block, plus scratch bytes that let the decoder's fast loop run to the block's end. */
    private final byte[] decoded = new byte[MAX_DATA_SIZE + SnappyBlock.DECODE_SLACK];
    /** Bytes ready for the caller: a decoded block, or an uncompressed chunk's data still in inBuf. */
    private byte[] outArr = decoded;
    private int outPos;
    private int outEnd;
    private boolean sawStreamIdentifier;
    private SnappyFormatException failure;

    /**
     * Creates a reader of the framed stream arriving on {@code in}.
     *
     * @param in the channel the compressed stream arrives on; reads of 0 bytes are passed on to the caller
     */
    public SnappyFrameReader(ReadableByteChannel in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * Reads decompressed bytes into {@code b[off, off + len)}, at most one chunk's worth, blocking (if the channel
     * blocks) until a whole chunk has arrived and been verified.
     *
     * @return the bytes read, -1 at the end of the stream (which must fall between chunks), or 0 when
     *     {@code len} is 0 or the channel returned 0 bytes
     * @throws SnappyFormatException if the stream is corrupt
     * @throws IOException if the channel fails
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int ready = fill();
        if (ready <= 0) {
            return ready;
        }
        int n = Math.min(len, outEnd - outPos);
        System.arraycopy(outArr, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /**
     * Reads decompressed bytes into {@code dst}'s remaining space; see {@link #read(byte[], int, int)}.
     *
     * @throws IOException as {@link #read(byte[], int, int)}
     */
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int ready = fill();
        if (ready <= 0) {
            return ready;
        }
        int n = Math.min(dst.remaining(), outEnd - outPos);
        dst.put(outArr, outPos, n);
        outPos += n;
        return n;
    }

    /**
     * The decompressed bytes that can be read without touching the channel.
     *
     * @return the bytes left of the current chunk
     */
    public int available() {
        return outEnd - outPos;
    }

    /** Makes output available: returns 1 when it is, -1 at a clean end of stream, 0 if the channel gave 0 bytes. */
    private int fill() throws IOException {
        if (failure != null) {
            throw new SnappyFormatException(failure.getMessage());
        }
        while (outPos == outEnd) {
            int avail = inEnd - inPos;
            if (avail >= CHUNK_HEADER_SIZE) {
                int type = inBuf[inPos] & 0xff;
                int length = (inBuf[inPos + 1] & 0xff) | (inBuf[inPos + 2] & 0xff) << 8
                        | (inBuf[inPos + 3] & 0xff) << 16;
                checkHeader(type, length);
                if (avail >= CHUNK_HEADER_SIZE + length) {
                    int body = inPos + CHUNK_HEADER_SIZE;
                    inPos = body + length;
                    chunk(type, body, length);
                    continue;
                }
            }
            if (inPos > 0) {
                System.arraycopy(inBuf, inPos, inBuf, 0, avail);
                inPos = 0;
                inEnd = avail;
            }
            inView.limit(IN_CAPACITY).position(inEnd);
            int n = in.read(inView);
            if (n < 0) {
                if (avail == 0) {
                    return -1;
                }
                throw fail("the stream ended inside a chunk (" + avail + " bytes of it arrived)");
            }
            if (n == 0) {
                return 0;
            }
            inEnd += n;
        }
        return 1;
    }

    /** Rejects a bad chunk as soon as its header is in, before waiting for its body. */
    private void checkHeader(int type, int length) throws SnappyFormatException {
        if (!sawStreamIdentifier && type != TYPE_STREAM_IDENTIFIER) {
            throw fail(String.format("the stream does not start with the stream identifier chunk (first chunk "
                    + "type 0x%02x)", type));
        }
        if (length > MAX_CHUNK_LENGTH) {
            throw fail(String.format("bad length: chunk type 0x%02x is %d bytes long, more than the %d allowed",
                    type, length, MAX_CHUNK_LENGTH));
        }
        switch (type) {
            case TYPE_COMPRESSED, TYPE_UNCOMPRESSED -> {
                if (length < CHECKSUM_SIZE) {
                    throw fail(String.format("bad length: data chunk type 0x%02x of %d bytes is shorter than its "
                            + "checksum", type, length));
                }
                if (type == TYPE_UNCOMPRESSED && length - CHECKSUM_SIZE > MAX_DATA_SIZE) {
                    throw fail("bad length: uncompressed chunk holds " + (length - CHECKSUM_SIZE)
                            + " bytes, more than " + MAX_DATA_SIZE);
                }
            }
            case TYPE_STREAM_IDENTIFIER -> {
                if (length != STREAM_IDENTIFIER.length - CHUNK_HEADER_SIZE) {
                    throw fail("bad length: stream identifier chunk is " + length + " bytes long, not 6");
                }
            }
            default -> {
                if (type < 0x80) {
                    throw fail(String.format("bad chunk type 0x%02x: reserved and unskippable", type));
                }
            }
        }
    }

    private void chunk(int type, int body, int length) throws SnappyFormatException {
        switch (type) {
            case TYPE_COMPRESSED -> {
                int stored = SnappyFraming.getIntLE(inBuf, body);
                int n;
                try {
                    n = SnappyBlock.decompress(inBuf, body + CHECKSUM_SIZE, length - CHECKSUM_SIZE, decoded, 0,
                            MAX_DATA_SIZE, decoded.length);
                } catch (SnappyFormatException e) {
                    throw fail("compressed chunk: " + e.getMessage());
                }
                checkCrc(stored, decoded, 0, n, "compressed");
                outArr = decoded;
                outPos = 0;
                outEnd = n;
            }
            case TYPE_UNCOMPRESSED -> {
                int stored = SnappyFraming.getIntLE(inBuf, body);
                int data = body + CHECKSUM_SIZE;
                int n = length - CHECKSUM_SIZE;
                checkCrc(stored, inBuf, data, n, "uncompressed");
                outArr = inBuf;
                outPos = data;
                outEnd = data + n;
            }
            case TYPE_STREAM_IDENTIFIER -> {
                for (int i = 0; i < length; i++) {
                    if (inBuf[body + i] != STREAM_IDENTIFIER[CHUNK_HEADER_SIZE + i]) {
                        throw fail("bad stream identifier: the chunk does not hold \"sNaPpY\"");
                    }
                }
                sawStreamIdentifier = true;
            }
            default -> {
                // Skippable (0x80..0xfe, padding included): ignored.
            }
        }
    }

    private void checkCrc(int stored, byte[] b, int off, int n, String kind) throws SnappyFormatException {
        int actual = SnappyFraming.maskedCrc(crc, b, off, n);
        if (actual != stored) {
            throw fail(String.format("bad CRC in %s chunk of %d bytes: stored 0x%08x, computed 0x%08x", kind, n,
                    stored, actual));
        }
    }

    private SnappyFormatException fail(String what) {
        failure = new SnappyFormatException("corrupt snappy stream: " + what);
        return failure;
    }
}
