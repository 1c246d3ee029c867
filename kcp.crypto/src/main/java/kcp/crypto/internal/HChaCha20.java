package kcp.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha section 2.2, Go's {@code chacha20.HChaCha20}): derives the
 * XChaCha20 subkey from a 32-byte key and the first 16 bytes of the 24-byte nonce. 20 ChaCha rounds
 * over constants | key | nonce16, output words 0..3 and 12..15 without the final addition. Static,
 * allocation-free, thread-safe.
 */
final class HChaCha20 {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private HChaCha20() {
    }

    /**
     * Computes the subkey.
     *
     * @param key buffer holding the 32-byte key at {@code keyOff}
     * @param keyOff first key byte
     * @param nonce buffer holding the 16 nonce bytes at {@code nonceOff}
     * @param nonceOff first nonce byte
     * @param out receives 32 bytes at {@code outOff}
     * @param outOff first output byte
     */
    static void subkey(byte[] key, int keyOff, byte[] nonce, int nonceOff, byte[] out, int outOff) {
        int x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
        int x4 = get(key, keyOff), x5 = get(key, keyOff + 4), x6 = get(key, keyOff + 8), x7 = get(key, keyOff + 12);
        int x8 = get(key, keyOff + 16), x9 = get(key, keyOff + 20);
        int x10 = get(key, keyOff + 24), x11 = get(key, keyOff + 28);
        int x12 = get(nonce, nonceOff), x13 = get(nonce, nonceOff + 4);
        int x14 = get(nonce, nonceOff + 8), x15 = get(nonce, nonceOff + 12);
        for (int i = 0; i < 10; i++) {
            // column round
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            // diagonal round
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        LE_INT.set(out, outOff, x0);
        LE_INT.set(out, outOff + 4, x1);
        LE_INT.set(out, outOff + 8, x2);
        LE_INT.set(out, outOff + 12, x3);
        LE_INT.set(out, outOff + 16, x12);
        LE_INT.set(out, outOff + 20, x13);
        LE_INT.set(out, outOff + 24, x14);
        LE_INT.set(out, outOff + 28, x15);
    }

    private static int get(byte[] b, int off) {
        return (int) LE_INT.get(b, off);
    }
}
