package kcp.bench.cli;

/**
 * The echo client's seeded pseudo-random byte stream, addressable by position: byte {@code p} is byte
 * {@code p & 7} (little-endian) of {@code splitmix64(seed + (p >>> 3) * GOLDEN)}. The writer and the
 * checker each regenerate any range independently, whatever the write and read sizes.
 *
 * <p>Stateless and thread-safe.
 */
final class Payload {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Payload() {
    }

    /** splitmix64's output function. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code dst[off, off+len)} with stream bytes {@code [pos, pos+len)}. */
    static void fill(long seed, long pos, byte[] dst, int off, int len) {
        long word = 0;
        long wordIndex = -1;
        for (int i = 0; i < len; i++) {
            long p = pos + i;
            long w = p >>> 3;
            if (w != wordIndex) {
                wordIndex = w;
                word = mix(seed + w * GOLDEN);
            }
            dst[off + i] = (byte) (word >>> ((p & 7) << 3));
        }
    }

    /**
     * @return the index in {@code [0, len)} of the first byte of {@code buf[off, off+len)} that differs from
     *     stream bytes {@code [pos, pos+len)}, or -1 if all match
     */
    static int firstMismatch(long seed, long pos, byte[] buf, int off, int len) {
        long word = 0;
        long wordIndex = -1;
        for (int i = 0; i < len; i++) {
            long p = pos + i;
            long w = p >>> 3;
            if (w != wordIndex) {
                wordIndex = w;
                word = mix(seed + w * GOLDEN);
            }
            if (buf[off + i] != (byte) (word >>> ((p & 7) << 3))) {
                return i;
            }
        }
        return -1;
    }
}
