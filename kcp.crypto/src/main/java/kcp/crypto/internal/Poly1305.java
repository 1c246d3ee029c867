package kcp.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 one-time authenticator (RFC 8439 section 2.5) in 26-bit limbs ("donna-32" arithmetic on
 * {@code long}), allocation-free. The JDK has Poly1305 only inside its ChaCha20-Poly1305 cipher, which
 * allocates several KB per packet; this class lets {@link ChaCha20Poly1305Aead} drive the JDK's
 * (intrinsified) ChaCha20 stream and authenticate itself.
 *
 * <p>Usage: {@link #init} with the 32-byte one-time key, {@link #blocks} for whole 16-byte blocks,
 * {@link #tail} for a final partial block, {@link #finish} to write the tag. Thread-safety: NOT
 * thread-safe; state lives in fields.
 */
final class Poly1305 {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M26 = 0x3ffffff;
    private long r0, r1, r2, r3, r4;
    private long s1, s2, s3, s4;
    private long h0, h1, h2, h3, h4;
    private long pad0, pad1, pad2, pad3;

    /**
     * Starts a new tag under a one-time key {@code r || s} (r is clamped as RFC 8439 requires).
     *
     * @param key buffer holding the key
     * @param off first of its 32 bytes
     */
    void init(byte[] key, int off) {
        r0 = le32(key, off) & 0x3ffffff;
        r1 = (le32(key, off + 3) >>> 2) & 0x3ffff03;
        r2 = (le32(key, off + 6) >>> 4) & 0x3ffc0ff;
        r3 = (le32(key, off + 9) >>> 6) & 0x3f03fff;
        r4 = (le32(key, off + 12) >>> 8) & 0x00fffff;
        s1 = r1 * 5;
        s2 = r2 * 5;
        s3 = r3 * 5;
        s4 = r4 * 5;
        h0 = h1 = h2 = h3 = h4 = 0;
        pad0 = le32(key, off + 16);
        pad1 = le32(key, off + 20);
        pad2 = le32(key, off + 24);
        pad3 = le32(key, off + 28);
    }

    /**
     * Absorbs whole 16-byte blocks.
     *
     * @param m message buffer
     * @param off first byte
     * @param len a multiple of 16
     */
    void blocks(byte[] m, int off, int len) {
        absorb(m, off, len, 1L << 24);
    }

    /**
     * Absorbs a final partial block of 1..15 bytes (padded with 0x01 then zeros, RFC 8439 2.5.1).
     *
     * @param m message buffer
     * @param off first byte
     * @param len 1..15
     * @param scratch 16 bytes of scratch space
     */
    void tail(byte[] m, int off, int len, byte[] scratch) {
        java.util.Arrays.fill(scratch, 0, 16, (byte) 0);
        System.arraycopy(m, off, scratch, 0, len);
        scratch[len] = 1;
        absorb(scratch, 0, 16, 0);
    }

    private void absorb(byte[] m, int off, int len, long hibit) {
        long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
        final long r0 = this.r0, r1 = this.r1, r2 = this.r2, r3 = this.r3, r4 = this.r4;
        final long s1 = this.s1, s2 = this.s2, s3 = this.s3, s4 = this.s4;
        for (int end = off + len; off < end; off += 16) {
            h0 += le32(m, off) & M26;
            h1 += (le32(m, off + 3) >>> 2) & M26;
            h2 += (le32(m, off + 6) >>> 4) & M26;
            h3 += (le32(m, off + 9) >>> 6) & M26;
            h4 += (le32(m, off + 12) >>> 8) | hibit;

            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

            long c = d0 >>> 26;
            h0 = d0 & M26;
            d1 += c;
            c = d1 >>> 26;
            h1 = d1 & M26;
            d2 += c;
            c = d2 >>> 26;
            h2 = d2 & M26;
            d3 += c;
            c = d3 >>> 26;
            h3 = d3 & M26;
            d4 += c;
            c = d4 >>> 26;
            h4 = d4 & M26;
            h0 += c * 5;
            c = h0 >>> 26;
            h0 &= M26;
            h1 += c;
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
        this.h3 = h3;
        this.h4 = h4;
    }

    /**
     * Writes the 16-byte tag; the state must be {@link #init initialised} again before reuse.
     *
     * @param out destination
     * @param off first of 16 bytes
     */
    void finish(byte[] out, int off) {
        long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
        long c = h1 >>> 26;
        h1 &= M26;
        h2 += c;
        c = h2 >>> 26;
        h2 &= M26;
        h3 += c;
        c = h3 >>> 26;
        h3 &= M26;
        h4 += c;
        c = h4 >>> 26;
        h4 &= M26;
        h0 += c * 5;
        c = h0 >>> 26;
        h0 &= M26;
        h1 += c;

        // g = h + 5 - 2^130: use it when it does not borrow (h >= p)
        long g0 = h0 + 5;
        c = g0 >>> 26;
        g0 &= M26;
        long g1 = h1 + c;
        c = g1 >>> 26;
        g1 &= M26;
        long g2 = h2 + c;
        c = g2 >>> 26;
        g2 &= M26;
        long g3 = h3 + c;
        c = g3 >>> 26;
        g3 &= M26;
        long g4 = h4 + c - (1L << 26);
        long useG = (g4 >>> 63) - 1; // all ones when g4 >= 0
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        h3 = (h3 & ~useG) | (g3 & useG);
        h4 = (h4 & ~useG) | (g4 & useG);

        long w0 = (h0 | (h1 << 26)) & 0xffffffffL;
        long w1 = ((h1 >>> 6) | (h2 << 20)) & 0xffffffffL;
        long w2 = ((h2 >>> 12) | (h3 << 14)) & 0xffffffffL;
        long w3 = ((h3 >>> 18) | (h4 << 8)) & 0xffffffffL;

        long f = w0 + pad0;
        put32(out, off, f);
        f = w1 + pad1 + (f >>> 32);
        put32(out, off + 4, f);
        f = w2 + pad2 + (f >>> 32);
        put32(out, off + 8, f);
        f = w3 + pad3 + (f >>> 32);
        put32(out, off + 12, f);
    }

    private static long le32(byte[] b, int off) {
        return (int) LE_INT.get(b, off) & 0xffffffffL;
    }

    private static void put32(byte[] b, int off, long v) {
        LE_INT.set(b, off, (int) v);
    }
}
