package kcp.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import kcp.crypto.BlockCrypt;

/**
 * kcp-go's Salsa20 packet cipher: Salsa20/20 with a 32-byte key (shorter keys zero-padded, longer
 * truncated, as kcp-go copies the key into a {@code [32]byte}), the 8-byte nonce = the datagram's first
 * 8 bytes, which stay in clear, and the 64-bit block counter starting at 0 (golang.org/x/crypto
 * {@code salsa20.XORKeyStream}). Encryption and decryption are the same XOR. Datagrams shorter than 8
 * bytes are left unchanged (kcp-go 5.6.1 would panic; v5.6.72 ignores them).
 *
 * <p>Hand-written (D. J. Bernstein, "The Salsa20 family of stream ciphers") so the per-packet nonce
 * needs no engine re-initialisation and nothing is allocated. When the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (and {@code -Dkcp.crypto.scalar=true} is not set), packets
 * of at least {@value #VECTOR_MIN_BYTES} bytes use {@link Salsa20Vector}, which computes many blocks per
 * pass in SIMD lanes like kcp-go's amd64 assembly; otherwise this scalar code runs and the incubator
 * module is never touched. Thread-safety: NOT thread-safe (scratch state).
 */
public final class Salsa20Crypt implements BlockCrypt {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Below this many bytes the scalar path is as fast (one vector pass always computes all lanes). */
    static final int VECTOR_MIN_BYTES = 256;
    private static final boolean VECTOR_AVAILABLE = !Boolean.getBoolean("kcp.crypto.scalar")
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final int SIGMA0 = 0x61707865;
    private static final int SIGMA1 = 0x3320646e;
    private static final int SIGMA2 = 0x79622d32;
    private static final int SIGMA3 = 0x6b206574;

    private final int k0;
    private final int k1;
    private final int k2;
    private final int k3;
    private final int k4;
    private final int k5;
    private final int k6;
    private final int k7;
    /** Scratch for the last partial 64-byte block (avoids a per-packet allocation). */
    private final int[] tailWords = new int[16];
    /** SIMD kernel, or null when the Vector API is not available. */
    private final Salsa20Vector vector;

    /**
     * Creates the cipher.
     *
     * @param key any length; zero-padded or truncated to 32 bytes
     */
    public Salsa20Crypt(byte[] key) {
        this(key, VECTOR_AVAILABLE);
    }

    /**
     * Creates the cipher, choosing the path explicitly (tests compare both).
     *
     * @param key any length; zero-padded or truncated to 32 bytes
     * @param useVector use the SIMD kernel; only valid when the Vector API module is resolved
     */
    Salsa20Crypt(byte[] key, boolean useVector) {
        byte[] k = java.util.Arrays.copyOf(key, 32);
        k0 = (int) INT_LE.get(k, 0);
        k1 = (int) INT_LE.get(k, 4);
        k2 = (int) INT_LE.get(k, 8);
        k3 = (int) INT_LE.get(k, 12);
        k4 = (int) INT_LE.get(k, 16);
        k5 = (int) INT_LE.get(k, 20);
        k6 = (int) INT_LE.get(k, 24);
        k7 = (int) INT_LE.get(k, 28);
        vector = useVector ? new Salsa20Vector(new int[] {k0, k1, k2, k3, k4, k5, k6, k7}) : null;
    }

    /**
     * Whether this instance uses the Vector API kernel for large packets.
     *
     * @return true when {@code jdk.incubator.vector} is resolved and not disabled
     */
    public boolean isVectorized() {
        return vector != null;
    }

    @Override
    public void encrypt(byte[] buf, int off, int len) {
        xorKeyStream(buf, off, len);
    }

    @Override
    public void decrypt(byte[] buf, int off, int len) {
        xorKeyStream(buf, off, len);
    }

    private void xorKeyStream(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 8) {
            return;
        }
        int n0 = (int) INT_LE.get(buf, off);
        int n1 = (int) INT_LE.get(buf, off + 4);
        if (vector != null && len - 8 >= VECTOR_MIN_BYTES) {
            vector.xorKeyStream(buf, off + 8, len - 8, n0, n1, 0);
            return;
        }
        long counter = 0;
        int end = off + len;
        for (int p = off + 8; p < end; p += 64, counter++) {
            block(buf, p, Math.min(64, end - p), n0, n1, (int) counter, (int) (counter >>> 32));
        }
    }

    /** One Salsa20/20 block for (nonce n0 n1, counter c0 c1), XORed into buf[p, p+n). */
    private void block(byte[] buf, int p, int n, int n0, int n1, int c0, int c1) {
        int x0 = SIGMA0, x1 = k0, x2 = k1, x3 = k2, x4 = k3, x5 = SIGMA1, x6 = n0, x7 = n1;
        int x8 = c0, x9 = c1, x10 = SIGMA2, x11 = k4, x12 = k5, x13 = k6, x14 = k7, x15 = SIGMA3;
        for (int i = 0; i < 10; i++) {
            x4 ^= Integer.rotateLeft(x0 + x12, 7);
            x9 ^= Integer.rotateLeft(x5 + x1, 7);
            x14 ^= Integer.rotateLeft(x10 + x6, 7);
            x3 ^= Integer.rotateLeft(x15 + x11, 7);
            x8 ^= Integer.rotateLeft(x4 + x0, 9);
            x13 ^= Integer.rotateLeft(x9 + x5, 9);
            x2 ^= Integer.rotateLeft(x14 + x10, 9);
            x7 ^= Integer.rotateLeft(x3 + x15, 9);
            x12 ^= Integer.rotateLeft(x8 + x4, 13);
            x1 ^= Integer.rotateLeft(x13 + x9, 13);
            x6 ^= Integer.rotateLeft(x2 + x14, 13);
            x11 ^= Integer.rotateLeft(x7 + x3, 13);
            x0 ^= Integer.rotateLeft(x12 + x8, 18);
            x5 ^= Integer.rotateLeft(x1 + x13, 18);
            x10 ^= Integer.rotateLeft(x6 + x2, 18);
            x15 ^= Integer.rotateLeft(x11 + x7, 18);

            x1 ^= Integer.rotateLeft(x0 + x3, 7);
            x6 ^= Integer.rotateLeft(x5 + x4, 7);
            x11 ^= Integer.rotateLeft(x10 + x9, 7);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            x2 ^= Integer.rotateLeft(x1 + x0, 9);
            x7 ^= Integer.rotateLeft(x6 + x5, 9);
            x8 ^= Integer.rotateLeft(x11 + x10, 9);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            x3 ^= Integer.rotateLeft(x2 + x1, 13);
            x4 ^= Integer.rotateLeft(x7 + x6, 13);
            x9 ^= Integer.rotateLeft(x8 + x11, 13);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            x0 ^= Integer.rotateLeft(x3 + x2, 18);
            x5 ^= Integer.rotateLeft(x4 + x7, 18);
            x10 ^= Integer.rotateLeft(x9 + x8, 18);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
        }
        x0 += SIGMA0; x1 += k0; x2 += k1; x3 += k2; x4 += k3; x5 += SIGMA1; x6 += n0; x7 += n1;
        x8 += c0; x9 += c1; x10 += SIGMA2; x11 += k4; x12 += k5; x13 += k6; x14 += k7; x15 += SIGMA3;
        if (n == 64) {
            xorInt(buf, p, x0); xorInt(buf, p + 4, x1); xorInt(buf, p + 8, x2); xorInt(buf, p + 12, x3);
            xorInt(buf, p + 16, x4); xorInt(buf, p + 20, x5); xorInt(buf, p + 24, x6); xorInt(buf, p + 28, x7);
            xorInt(buf, p + 32, x8); xorInt(buf, p + 36, x9); xorInt(buf, p + 40, x10); xorInt(buf, p + 44, x11);
            xorInt(buf, p + 48, x12); xorInt(buf, p + 52, x13); xorInt(buf, p + 56, x14); xorInt(buf, p + 60, x15);
        } else {
            int[] w = tailWords;
            w[0] = x0; w[1] = x1; w[2] = x2; w[3] = x3; w[4] = x4; w[5] = x5; w[6] = x6; w[7] = x7;
            w[8] = x8; w[9] = x9; w[10] = x10; w[11] = x11; w[12] = x12; w[13] = x13; w[14] = x14; w[15] = x15;
            for (int i = 0; i < n; i++) {
                buf[p + i] ^= (byte) (w[i >>> 2] >>> ((i & 3) << 3));
            }
        }
    }

    private static void xorInt(byte[] buf, int p, int v) {
        INT_LE.set(buf, p, (int) INT_LE.get(buf, p) ^ v);
    }
}
