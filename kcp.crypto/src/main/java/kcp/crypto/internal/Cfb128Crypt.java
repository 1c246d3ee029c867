package kcp.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import kcp.crypto.BlockCrypt;

/**
 * kcp-go's local CFB for hand-written 128-bit block ciphers, keeping the feedback register in two
 * {@code long}s (big-endian views of the block's two halves) so no block goes through a scratch array.
 * Thread-safety: NOT thread-safe ({@link #encryptBlock} returns its result in fields).
 */
abstract class Cfb128Crypt implements BlockCrypt {
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Result of the last {@link #encryptBlock}: bytes 0..7 and 8..15 as big-endian longs. */
    long outHi;
    long outLo;
    /** E(IV) halves, the first keystream block of every packet. */
    private long k1Hi;
    private long k1Lo;

    /** Must be called by the subclass constructor after its key schedule is ready. */
    final void initFeedback() {
        byte[] iv = KcpCfb.iv(16);
        encryptBlock((long) LONG_BE.get(iv, 0), (long) LONG_BE.get(iv, 8));
        k1Hi = outHi;
        k1Lo = outLo;
    }

    /**
     * Encrypts one 128-bit block given as two big-endian longs; stores it in {@link #outHi}/{@link #outLo}.
     *
     * @param hi bytes 0..7
     * @param lo bytes 8..15
     */
    abstract void encryptBlock(long hi, long lo);

    @Override
    public final void encrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        long kh = k1Hi;
        long kl = k1Lo;
        int end = off + len;
        int p = off;
        for (; p + 16 <= end; p += 16) {
            long ch = (long) LONG_BE.get(buf, p) ^ kh;
            long cl = (long) LONG_BE.get(buf, p + 8) ^ kl;
            LONG_BE.set(buf, p, ch);
            LONG_BE.set(buf, p + 8, cl);
            encryptBlock(ch, cl);
            kh = outHi;
            kl = outLo;
        }
        xorTail(buf, p, end, kh, kl);
    }

    @Override
    public final void decrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        long kh = k1Hi;
        long kl = k1Lo;
        int end = off + len;
        int p = off;
        for (; p + 16 <= end; p += 16) {
            long ch = (long) LONG_BE.get(buf, p);
            long cl = (long) LONG_BE.get(buf, p + 8);
            LONG_BE.set(buf, p, ch ^ kh);
            LONG_BE.set(buf, p + 8, cl ^ kl);
            encryptBlock(ch, cl);
            kh = outHi;
            kl = outLo;
        }
        xorTail(buf, p, end, kh, kl);
    }

    private static void xorTail(byte[] buf, int p, int end, long kh, long kl) {
        for (int i = 0; p < end; p++, i++) {
            long k = i < 8 ? kh : kl;
            buf[p] ^= (byte) (k >>> (56 - 8 * (i & 7)));
        }
    }
}
