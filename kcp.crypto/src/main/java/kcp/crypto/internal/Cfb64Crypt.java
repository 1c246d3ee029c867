package kcp.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import kcp.crypto.BlockCrypt;

/**
 * kcp-go's local CFB for hand-written 64-bit block ciphers (TEA, XTEA), keeping the feedback register
 * in a {@code long} (big-endian view of the block, as TEA/XTEA read it) so no block is copied through
 * a scratch array. Thread-safety: stateless apart from the key schedule, but NOT promised thread-safe.
 */
abstract class Cfb64Crypt implements BlockCrypt {
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** E(IV[0:8]) as a big-endian long; computed by subclasses once the key schedule exists. */
    private long k1;

    /** Must be called by the subclass constructor after its key schedule is ready. */
    final void initFeedback() {
        k1 = encryptBlock((long) LONG_BE.get(KcpCfb.iv(8), 0));
    }

    /**
     * Encrypts one 64-bit block.
     *
     * @param block the block as a big-endian long
     * @return the encrypted block as a big-endian long
     */
    abstract long encryptBlock(long block);

    @Override
    public final void encrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        long k = k1;
        int end = off + len;
        int p = off;
        for (; p + 8 <= end; p += 8) {
            long c = (long) LONG_BE.get(buf, p) ^ k;
            LONG_BE.set(buf, p, c);
            k = encryptBlock(c);
        }
        xorTail(buf, p, end, k);
    }

    @Override
    public final void decrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        long k = k1;
        int end = off + len;
        int p = off;
        for (; p + 8 <= end; p += 8) {
            long c = (long) LONG_BE.get(buf, p);
            LONG_BE.set(buf, p, c ^ k);
            k = encryptBlock(c);
        }
        xorTail(buf, p, end, k);
    }

    private static void xorTail(byte[] buf, int p, int end, long k) {
        for (int shift = 56; p < end; p++, shift -= 8) {
            buf[p] ^= (byte) (k >>> shift);
        }
    }
}
