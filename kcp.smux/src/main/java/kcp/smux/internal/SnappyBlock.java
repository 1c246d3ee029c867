package kcp.smux.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import kcp.smux.SnappyFormatException;

/**
 * The snappy block format: compression with the same hash-table match finder as golang/snappy 0.0.2 (its
 * output is byte-for-byte the same), and decompression that is bounds-checked on every tag.
 *
 * <pre>
 * block   = uvarint(decodedLength) element*
 * element = literal | copy       (the low two bits of the tag byte say which)
 *   tag & 3 == 0  literal: m = tag >> 2; m &lt; 60: 1 + m bytes follow;
 *                          m = 60..63: the next m - 59 bytes (little-endian) hold length - 1
 *   tag & 3 == 1  copy, length 4 + ((tag >> 2) & 7), offset ((tag >> 5) &lt;&lt; 8) | next byte
 *   tag & 3 == 2  copy, length 1 + (tag >> 2), offset = next 2 bytes little-endian
 *   tag & 3 == 3  copy, length 1 + (tag >> 2), offset = next 4 bytes little-endian (decoded, never emitted)
 * </pre>
 *
 * <p>An instance holds the match finder's hash table, so compressing allocates nothing; it is NOT thread safe.
 * Decompression is static and keeps no state.
 */
public final class SnappyBlock {
    /** The largest block the encoder compresses at once; longer input is split into blocks of this size. */
    public static final int MAX_BLOCK_SIZE = 65536;

    private static final int MAX_TABLE_BITS = 14;
    private static final int MAX_TABLE_SIZE = 1 << MAX_TABLE_BITS;
    /** The match finder stops this many bytes before the end so that its 4- and 8-byte loads stay in bounds. */
    private static final int INPUT_MARGIN = 16 - 1;
    /** Blocks shorter than this are emitted as one literal. */
    private static final int MIN_NON_LITERAL_BLOCK_SIZE = 1 + 1 + INPUT_MARGIN;
    private static final int HASH_MULTIPLIER = 0x1e35a7bd;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Positions (relative to the block start) of the last 4-byte sequence seen with each hash. */
    private final int[] table = new int[MAX_TABLE_SIZE];

    /**
     * The most bytes that compressing {@code srcLength} bytes can produce (golang/snappy's {@code MaxEncodedLen}).
     *
     * @param srcLength the uncompressed length, not negative
     * @return the worst-case compressed length: 32 + n + n / 6
     */
    public static int maxCompressedLength(int srcLength) {
        if (srcLength < 0) {
            throw new IllegalArgumentException("srcLength must not be negative, got " + srcLength);
        }
        long n = 32L + srcLength + srcLength / 6;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("srcLength " + srcLength + " is too large to compress in one call");
        }
        return (int) n;
    }

    /**
     * Compresses {@code src[srcOff, srcOff + srcLen)} into {@code dst} starting at {@code dstOff}.
     *
     * @param dst room for at least {@link #maxCompressedLength(int) maxCompressedLength(srcLen)} bytes from dstOff
     * @return the number of bytes written to dst
     */
    public int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff) {
        java.util.Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, maxCompressedLength(srcLen), dst.length);
        int d = putUvarint(dst, dstOff, srcLen);
        int end = srcOff + srcLen;
        for (int p = srcOff; p < end; p += MAX_BLOCK_SIZE) {
            int n = Math.min(MAX_BLOCK_SIZE, end - p);
            d = n < MIN_NON_LITERAL_BLOCK_SIZE ? emitLiteral(dst, d, src, p, n) : compressBlock(src, p, n, dst, d);
        }
        return d - dstOff;
    }

    private static int putUvarint(byte[] dst, int d, int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            dst[d++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        dst[d++] = (byte) v;
        return d;
    }

    private static int load32(byte[] b, int i) {
        return (int) INT_LE.get(b, i);
    }

    private static long load64(byte[] b, int i) {
        return (long) LONG_LE.get(b, i);
    }

    private static void store64(byte[] b, int i, long v) {
        LONG_LE.set(b, i, v);
    }

    private static int hash(int u, int shift) {
        return (u * HASH_MULTIPLIER) >>> shift;
    }

    /**
     * Compresses one block of 17 to 65536 bytes at {@code src[base, base + n)}; returns the new end of dst.
     * The search skips ahead faster the longer it goes without a match (1 byte per probe for the first 32
     * probes, then 2, and so on), which is what keeps incompressible input cheap.
     */
    private int compressBlock(byte[] src, int base, int n, byte[] dst, int d) {
        int shift = 32 - 8;
        for (int size = 1 << 8; size < MAX_TABLE_SIZE && size < n; size <<= 1) {
            shift--;
        }
        final int[] table = this.table;
        java.util.Arrays.fill(table, 0, 1 << (32 - shift), 0);
        // Positions below are relative to base; the table stores them the same way.
        final int sLimit = n - INPUT_MARGIN;
        int nextEmit = 0;
        int s = 1;
        int nextHash = hash(load32(src, base + s), shift);
        while (true) {
            int skip = 32;
            int nextS = s;
            int candidate;
            // Find a 4-byte match.
            while (true) {
                s = nextS;
                int step = skip >> 5;
                nextS = s + step;
                skip += step;
                if (nextS > sLimit) {
                    return emitRemainder(src, base, n, nextEmit, dst, d);
                }
                candidate = table[nextHash];
                table[nextHash] = s;
                nextHash = hash(load32(src, base + nextS), shift);
                if (load32(src, base + s) == load32(src, base + candidate)) {
                    break;
                }
            }
            d = emitLiteral(dst, d, src, base + nextEmit, s - nextEmit);
            // Emit copies for as long as the byte after each copy starts another match.
            while (true) {
                int matchStart = s;
                s = extendMatch(src, base, n, candidate + 4, s + 4);
                d = emitCopy(dst, d, matchStart - candidate, s - matchStart);
                nextEmit = s;
                if (s >= sLimit) {
                    return emitRemainder(src, base, n, nextEmit, dst, d);
                }
                long x = load64(src, base + s - 1);
                table[hash((int) x, shift)] = s - 1;
                int currHash = hash((int) (x >>> 8), shift);
                candidate = table[currHash];
                table[currHash] = s;
                if ((int) (x >>> 8) != load32(src, base + candidate)) {
                    nextHash = hash((int) (x >>> 16), shift);
                    s++;
                    break;
                }
            }
        }
    }

    private static int emitRemainder(byte[] src, int base, int n, int nextEmit, byte[] dst, int d) {
        return nextEmit < n ? emitLiteral(dst, d, src, base + nextEmit, n - nextEmit) : d;
    }

    /** Returns the first position at or after {@code s} (relative to base) where the match with {@code i} ends. */
    private static int extendMatch(byte[] src, int base, int n, int i, int s) {
        while (s + 8 <= n) {
            long diff = load64(src, base + i) ^ load64(src, base + s);
            if (diff != 0) {
                return s + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
            i += 8;
            s += 8;
        }
        while (s < n && src[base + i] == src[base + s]) {
            i++;
            s++;
        }
        return s;
    }

    /** Emits a literal of 1 to 65536 bytes; returns the new end of dst. */
    private static int emitLiteral(byte[] dst, int d, byte[] src, int from, int len) {
        int m = len - 1;
        if (m < 60) {
            dst[d++] = (byte) (m << 2);
        } else if (m < 1 << 8) {
            dst[d++] = (byte) (60 << 2);
            dst[d++] = (byte) m;
        } else {
            dst[d++] = (byte) (61 << 2);
            dst[d++] = (byte) m;
            dst[d++] = (byte) (m >>> 8);
        }
        System.arraycopy(src, from, dst, d, len);
        return d + len;
    }

    /** Emits a copy of any length from 4 with an offset below 65536; returns the new end of dst. */
    private static int emitCopy(byte[] dst, int d, int offset, int length) {
        if (length < 12 && offset < 2048) {
            // The common case first: a 2-byte copy (length 4 to 11, offset below 2048).
            dst[d] = (byte) (((offset >>> 8) << 5) | ((length - 4) << 2) | 1);
            dst[d + 1] = (byte) offset;
            return d + 2;
        }
        // Long copies go out as 64-byte 2-byte-offset copies, keeping the tail at 4 or more bytes.
        while (length >= 68) {
            d = putCopy2(dst, d, offset, 64);
            length -= 64;
        }
        if (length > 64) {
            d = putCopy2(dst, d, offset, 60);
            length -= 60;
        }
        if (length >= 12 || offset >= 2048) {
            return putCopy2(dst, d, offset, length);
        }
        dst[d] = (byte) (((offset >>> 8) << 5) | ((length - 4) << 2) | 1);
        dst[d + 1] = (byte) offset;
        return d + 2;
    }

    private static int putCopy2(byte[] dst, int d, int offset, int length) {
        dst[d] = (byte) (((length - 1) << 2) | 2);
        dst[d + 1] = (byte) offset;
        dst[d + 2] = (byte) (offset >>> 8);
        return d + 3;
    }

    // ---- decompression

    /**
     * Reads the decoded length from a block's header.
     *
     * @return the length the block says it decodes to, 0 to 2^32 - 1
     * @throws SnappyFormatException if the varint is truncated, overlong or above 2^32 - 1
     */
    public static long decodedLength(byte[] src, int off, int len) throws SnappyFormatException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        long v = 0;
        for (int i = 0; i < 10 && i < len; i++) {
            int b = src[off + i] & 0xff;
            long group = b & 0x7f;
            int shift = 7 * i;
            if (group != 0 && (shift >= 32 || (group << shift) > 0xffffffffL)) {
                throw new SnappyFormatException("snappy block: decoded length does not fit in 32 bits");
            }
            v |= group << shift;
            if (b < 0x80) {
                if (v > 0xffffffffL) {
                    throw new SnappyFormatException("snappy block: decoded length does not fit in 32 bits");
                }
                return v;
            }
        }
        throw new SnappyFormatException("snappy block: truncated or overlong decoded-length varint");
    }

    private static int uvarintSize(byte[] src, int off) {
        int i = 0;
        while ((src[off + i] & 0x80) != 0) {
            i++;
        }
        return i + 1;
    }

    /**
     * Copies {@code length} bytes from {@code offset} bytes back to {@code dst[d]}; both already checked. With
     * 8 bytes of room past the copy it moves 8 bytes at a time; an offset below 8 is first widened by copying
     * the pattern onto itself (each 8-byte move makes {@code offset} more bytes final and doubles the distance).
     */
    private static void copyMatch(byte[] dst, int d, int offset, int length, int dstLimit) {
        int from = d - offset;
        if (d + length + 8 <= dstLimit) {
            int end = d + length;
            while (d - from < 8) {
                store64(dst, d, load64(dst, from));
                d += d - from;
                if (d >= end) {
                    return;
                }
            }
            // Each 8-byte word read here was complete before it is read (d - from >= 8).
            for (; d < end; d += 8, from += 8) {
                store64(dst, d, load64(dst, from));
            }
        } else if (offset >= length) {
            System.arraycopy(dst, from, dst, d, length);
        } else {
            // Overlapping copy: each byte may be one this copy just wrote (run-length style).
            for (int k = 0; k < length; k++) {
                dst[d + k] = dst[from + k];
            }
        }
    }

    /**
     * Decompresses the block {@code src[srcOff, srcOff + srcLen)} into {@code dst} at {@code dstOff}. Every
     * length and offset is checked, so hostile input fails with a message and never writes outside
     * {@code dst[dstOff, dstOff + maxLength)}; bytes of that range past the decoded length may be overwritten.
     *
     * @param maxLength the largest decoded length accepted; a block that claims more is rejected before decoding
     * @return the decoded length
     * @throws SnappyFormatException if the block is corrupt, names the problem and where it was found
     */
    public static int decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int maxLength)
            throws SnappyFormatException {
        return decompress(src, srcOff, srcLen, dst, dstOff, maxLength, maxLength);
    }

    /**
     * As {@link #decompress(byte[], int, int, byte[], int, int)}, but bytes may be overwritten up to
     * {@code dst[dstOff + scratchLength)}, past the largest decoded length: with {@link #DECODE_SLACK} bytes
     * of slack the last few elements of a full block take the fast path too.
     *
     * @param scratchLength the bytes of dst from dstOff that may be overwritten, at least maxLength
     * @return the decoded length
     * @throws SnappyFormatException if the block is corrupt
     */
    public static int decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int maxLength,
            int scratchLength) throws SnappyFormatException {
        long declared = checkedDecodedLength(src, srcOff, srcLen, dst, dstOff, maxLength, scratchLength);
        final int end = dstOff + (int) declared;
        final int srcEnd = srcOff + srcLen;
        final int dstLimit = dstOff + scratchLength;
        int s = srcOff + uvarintSize(src, srcOff);
        int d = dstOff;
        // The fast loop: while at least FAST_SRC input bytes remain and FAST_DST bytes may be written at d, an
        // element's tag and operands come from one 8-byte load, a literal of up to 16 bytes and a copy of up
        // to 16 bytes with offset >= 8 are two unconditional 8-byte moves each (the bytes past the element are
        // overwritten later, or lie past the decoded length within the scratch range), as golang/snappy's
        // amd64 decoder does. Every length and offset is still checked against the input and output ends.
        while (s < srcEnd - FAST_SRC && d < dstLimit - FAST_DST) {
            long x = load64(src, s);
            int tag = (int) x & 0xff;
            int length;
            int offset;
            int kind = tag & 3;
            if (kind == 1) {
                length = 4 + ((tag >>> 2) & 7);
                offset = ((tag & 0xe0) << 3) | ((int) (x >>> 8) & 0xff);
                s += 2;
            } else if (kind == 2) {
                length = 1 + (tag >>> 2);
                offset = (int) (x >>> 8) & 0xffff;
                s += 3;
            } else if (kind == 0) {
                length = (tag >>> 2) + 1;
                if (length <= 16) {
                    if (length > end - d) {
                        throw corrupt(LITERAL_OVERRUN, length, s + 1, srcOff, d, dstOff, declared);
                    }
                    // s + 1 + 16 <= srcEnd here, so the literal is inside the block.
                    store64(dst, d, load64(src, s + 1));
                    store64(dst, d + 8, load64(src, s + 9));
                    s += 1 + length;
                    d += length;
                    continue;
                }
                s++;
                // 61 to 64: the next 1 to 4 bytes (all inside the 8 loaded) hold the length - 1.
                long n = length <= 60 ? length : ((x >>> 8) & (0xffffffffL >>> (32 - 8 * (length - 60)))) + 1;
                s += Math.max(0, length - 60);
                copyLiteral(src, s, srcOff, srcEnd, dst, d, dstOff, end, n, declared);
                s += (int) n;
                d += (int) n;
                continue;
            } else {
                length = 1 + (tag >>> 2);
                offset = (int) Math.min((x >>> 8) & 0xffffffffL, Integer.MAX_VALUE);
                s += 5;
            }
            // One unsigned compare: offset 0 wraps to -1, above every distance back.
            if (Integer.compareUnsigned(offset - 1, d - dstOff) >= 0) {
                throw corrupt(COPY_OFFSET, offset, s, srcOff, d, dstOff, declared);
            }
            if (length > end - d) {
                throw corrupt(COPY_OVERRUN, length, s, srcOff, d, dstOff, declared);
            }
            if (offset >= 8) {
                // The second load may read bytes the first store wrote (8 <= offset < 16): they are final.
                int from = d - offset;
                store64(dst, d, load64(dst, from));
                store64(dst, d + 8, load64(dst, from + 8));
                if (length > 16) {
                    copyMatch(dst, d + 16, offset, length - 16, dstLimit);
                }
            } else {
                copyMatch(dst, d, offset, length, dstLimit);
            }
            d += length;
        }
        // The last few elements: every byte read is checked. head = the tag and its operand bytes.
        while (s < srcEnd) {
            int tag = src[s] & 0xff;
            int kind = tag & 3;
            int head = kind == 0 ? (tag < 60 << 2 ? 1 : (tag >>> 2) - 58) : kind == 3 ? 5 : kind + 1;
            if (srcEnd - s < head) {
                throw corrupt(kind == 0 ? LITERAL_HEADER : COPY_TRUNCATED, 0, s, srcOff, d, dstOff, declared);
            }
            long operand = 0;
            for (int k = head - 1; k >= 1; k--) {
                operand = (operand << 8) | (src[s + k] & 0xff);
            }
            s += head;
            if (kind == 0) {
                long length = head == 1 ? (tag >>> 2) + 1 : operand + 1;
                copyLiteral(src, s, srcOff, srcEnd, dst, d, dstOff, end, length, declared);
                s += (int) length;
                d += (int) length;
                continue;
            }
            int length = kind == 1 ? 4 + ((tag >>> 2) & 7) : 1 + (tag >>> 2);
            int offset = kind == 1 ? ((tag & 0xe0) << 3) | (int) operand : (int) Math.min(operand, Integer.MAX_VALUE);
            if (offset <= 0 || offset > d - dstOff) {
                throw corrupt(COPY_OFFSET, offset, s, srcOff, d, dstOff, declared);
            }
            if (length > end - d) {
                throw corrupt(COPY_OVERRUN, length, s, srcOff, d, dstOff, declared);
            }
            copyMatch(dst, d, offset, length, dstLimit);
            d += length;
        }
        if (d != end) {
            throw new SnappyFormatException("snappy block: decoded " + (d - dstOff) + " bytes but the header says "
                    + declared);
        }
        return d - dstOff;
    }

    /** Checks decompress's arguments and returns the block's decoded length, at most maxLength. */
    private static long checkedDecodedLength(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff,
            int maxLength, int scratchLength) throws SnappyFormatException {
        java.util.Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        if (scratchLength < maxLength || maxLength < 0) {
            throw new IllegalArgumentException("scratchLength " + scratchLength + " must be at least maxLength "
                    + maxLength + ", which must not be negative");
        }
        java.util.Objects.checkFromIndexSize(dstOff, scratchLength, dst.length);
        long declared = decodedLength(src, srcOff, srcLen);
        if (declared > maxLength) {
            throw new SnappyFormatException("snappy block: decoded length " + declared + " exceeds the limit of "
                    + maxLength + " bytes");
        }
        return declared;
    }

    /** Copies a literal of n bytes from src[s] to dst[d] after checking that it lies within both ends. */
    private static void copyLiteral(byte[] src, int s, int srcOff, int srcEnd, byte[] dst, int d, int dstOff,
            int end, long n, long declared) throws SnappyFormatException {
        if (n > end - d) {
            throw corrupt(LITERAL_OVERRUN, n, s, srcOff, d, dstOff, declared);
        }
        if (n > srcEnd - s) {
            throw corrupt(LITERAL_PAST_INPUT, n, s, srcOff, d, dstOff, declared);
        }
        System.arraycopy(src, s, dst, d, (int) n);
    }

    /** The fast loop runs while more than this many input bytes remain: a tag and a 16-byte literal. */
    private static final int FAST_SRC = 17;
    /** ... and while at least this many bytes may be written at the output position. */
    private static final int FAST_DST = 16;
    /** Scratch bytes past the largest decoded length that let a full block's last elements take the fast path. */
    public static final int DECODE_SLACK = FAST_DST;

    private static final int LITERAL_HEADER = 0;
    private static final int LITERAL_OVERRUN = 1;
    private static final int LITERAL_PAST_INPUT = 2;
    private static final int COPY_TRUNCATED = 3;
    private static final int COPY_OFFSET = 4;
    private static final int COPY_OVERRUN = 5;

    private static SnappyFormatException corrupt(int what, long n, int s, int srcOff, int d, int dstOff,
            long declared) {
        String msg = switch (what) {
            case LITERAL_HEADER -> "literal length bytes run past the end of the block";
            case LITERAL_OVERRUN -> "literal of " + n + " bytes overruns the decoded length " + declared;
            case LITERAL_PAST_INPUT -> "literal of " + n + " bytes runs past the end of the block";
            case COPY_TRUNCATED -> "copy tag truncated";
            case COPY_OFFSET -> "copy offset " + n + " points before the start of the block";
            default -> "copy of " + n + " bytes overruns the decoded length " + declared;
        };
        return new SnappyFormatException("snappy block: " + msg + " (input byte " + (s - srcOff) + ", output byte "
                + (d - dstOff) + ")");
    }

}
