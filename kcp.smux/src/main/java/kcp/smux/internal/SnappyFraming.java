package kcp.smux.internal;

import java.util.zip.CRC32C;

/**
 * Constants and checksum of snappy's framing format as golang/snappy 0.0.2 reads and writes it.
 *
 * <pre>
 * stream = streamIdentifier chunk*
 * chunk  = type(1) length(3, little-endian) body(length)
 *   0xff  stream identifier, body "sNaPpY" (may repeat later in the stream)
 *   0x00  compressed:   maskedCrc32c(uncompressed)(4, LE) snappyBlock   (decodes to at most 65536 bytes)
 *   0x01  uncompressed: maskedCrc32c(data)(4, LE) data                 (at most 65536 bytes)
 *   0x02..0x7f  reserved, unskippable: the reader fails
 *   0x80..0xfe  skippable (0xfe is padding): the reader ignores the body
 * </pre>
 *
 * golang/snappy's reader refuses any chunk longer than {@link #MAX_CHUNK_LENGTH}, so ours does too, which also
 * bounds the reader's buffer.
 */
final class SnappyFraming {
    private SnappyFraming() {
    }

    static final int TYPE_COMPRESSED = 0x00;
    static final int TYPE_UNCOMPRESSED = 0x01;
    static final int TYPE_PADDING = 0xfe;
    static final int TYPE_STREAM_IDENTIFIER = 0xff;

    /** The stream identifier chunk, header included. */
    static final byte[] STREAM_IDENTIFIER = {(byte) 0xff, 6, 0, 0, 's', 'N', 'a', 'P', 'p', 'Y'};
    static final int CHUNK_HEADER_SIZE = 4;
    static final int CHECKSUM_SIZE = 4;
    /** The most uncompressed bytes per data chunk. */
    static final int MAX_DATA_SIZE = SnappyBlock.MAX_BLOCK_SIZE;
    /** golang/snappy's {@code maxEncodedLenOfMaxBlockSize}: the longest compressed block of 65536 bytes. */
    static final int MAX_COMPRESSED_BLOCK = 76490;
    /** The longest chunk body golang/snappy's reader accepts (its read buffer). */
    static final int MAX_CHUNK_LENGTH = MAX_COMPRESSED_BLOCK + CHECKSUM_SIZE;

    /** snappy's masked CRC-32C: the CRC rotated right by 15 bits plus a constant, so CRCs of CRCs stay useful. */
    static int maskedCrc(CRC32C crc, byte[] b, int off, int len) {
        crc.reset();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    static int getIntLE(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    static void putIntLE(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }
}
