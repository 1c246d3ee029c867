package kcp.bench.cli;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The echo client's seeded pseudo-random byte stream, addressable by position: byte {@code p} is byte
 * {@code p & 7} (little-endian) of {@code splitmix64(seed + (p >>> 3) * GOLDEN)}. The writer and the
 * checker each regenerate any range independently, whatever the write and read sizes. Whole words are
 * written and compared 8 bytes at a time, so generating and checking cost about a nanosecond per 8 bytes.
 *
 * <p>Stateless and thread-safe.
 */
final class Payload {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Payload() {
    }

    /** splitmix64's output function. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static byte at(long seed, long p) {
        return (byte) (mix(seed + (p >>> 3) * GOLDEN) >>> ((p & 7) << 3));
    }

    /** Fills {@code dst[off, off+len)} with stream bytes {@code [pos, pos+len)}. */
    static void fill(long seed, long pos, byte[] dst, int off, int len) {
        int i = 0;
        while (i < len && ((pos + i) & 7) != 0) {
            dst[off + i] = at(seed, pos + i);
            i++;
        }
        for (; i + 8 <= len; i += 8) {
            LONG_LE.set(dst, off + i, mix(seed + ((pos + i) >>> 3) * GOLDEN));
        }
        for (; i < len; i++) {
            dst[off + i] = at(seed, pos + i);
        }
    }

    /**
     * @return the index in {@code [0, len)} of the first byte of {@code buf[off, off+len)} that differs from
     *     stream bytes {@code [pos, pos+len)}, or -1 if all match
     */
    static int firstMismatch(long seed, long pos, byte[] buf, int off, int len) {
        int i = 0;
        while (i < len && ((pos + i) & 7) != 0) {
            if (buf[off + i] != at(seed, pos + i)) {
                return i;
            }
            i++;
        }
        for (; i + 8 <= len; i += 8) {
            long diff = (long) LONG_LE.get(buf, off + i) ^ mix(seed + ((pos + i) >>> 3) * GOLDEN);
            if (diff != 0) {
                return i + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
        }
        for (; i < len; i++) {
            if (buf[off + i] != at(seed, pos + i)) {
                return i;
            }
        }
        return -1;
    }
}
