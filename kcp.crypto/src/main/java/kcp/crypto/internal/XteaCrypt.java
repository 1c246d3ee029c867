package kcp.crypto.internal;

/**
 * XTEA (64 rounds = 32 cycles, big-endian) in kcp-go's local CFB-64, with the per-round
 * {@code sum + key[...]} values precomputed once per key exactly like golang.org/x/crypto/xtea's
 * {@code table}. Thread-safety: NOT thread-safe by contract (immutable in practice).
 */
public final class XteaCrypt extends Cfb64Crypt {
    private static final int DELTA = 0x9E3779B9;
    private static final int ROUNDS = 64;
    private final int[] table = new int[ROUNDS];

    /**
     * Creates the cipher.
     *
     * @param key exactly 16 bytes (checked by the factory)
     */
    public XteaCrypt(byte[] key) {
        int[] k = new int[4];
        for (int i = 0; i < 4; i++) {
            k[i] = (key[4 * i] & 0xff) << 24 | (key[4 * i + 1] & 0xff) << 16
                    | (key[4 * i + 2] & 0xff) << 8 | (key[4 * i + 3] & 0xff);
        }
        int sum = 0;
        for (int i = 0; i < ROUNDS; ) {
            table[i++] = sum + k[sum & 3];
            sum += DELTA;
            table[i++] = sum + k[(sum >>> 11) & 3];
        }
        initFeedback();
    }

    @Override
    long encryptBlock(long block) {
        int v0 = (int) (block >>> 32);
        int v1 = (int) block;
        int[] t = table;
        for (int i = 0; i < ROUNDS; i += 2) {
            v0 += (((v1 << 4) ^ (v1 >>> 5)) + v1) ^ t[i];
            v1 += (((v0 << 4) ^ (v0 >>> 5)) + v0) ^ t[i + 1];
        }
        return ((long) v0 << 32) | (v1 & 0xFFFF_FFFFL);
    }
}
