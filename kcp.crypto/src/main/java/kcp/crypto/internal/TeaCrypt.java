package kcp.crypto.internal;

/**
 * TEA as kcp-go builds it: {@code tea.NewCipherWithRounds(key, 16)}, i.e. 16 Feistel rounds = 8
 * cycles (Bouncy Castle's {@code TEAEngine} runs the classic 32 cycles and does not match), big-endian
 * words, in kcp-go's local CFB-64. Only the encryption direction is needed. Algorithm from
 * golang.org/x/crypto/tea. Thread-safety: NOT thread-safe by contract (immutable in practice).
 */
public final class TeaCrypt extends Cfb64Crypt {
    private static final int DELTA = 0x9E3779B9;
    private final int k0;
    private final int k1;
    private final int k2;
    private final int k3;

    /**
     * Creates the cipher.
     *
     * @param key exactly 16 bytes (checked by the factory)
     */
    public TeaCrypt(byte[] key) {
        k0 = be(key, 0);
        k1 = be(key, 4);
        k2 = be(key, 8);
        k3 = be(key, 12);
        initFeedback();
    }

    private static int be(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    @Override
    long encryptBlock(long block) {
        int v0 = (int) (block >>> 32);
        int v1 = (int) block;
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += DELTA;
            v0 += ((v1 << 4) + k0) ^ (v1 + sum) ^ ((v1 >>> 5) + k1);
            v1 += ((v0 << 4) + k2) ^ (v0 + sum) ^ ((v0 >>> 5) + k3);
        }
        return ((long) v0 << 32) | (v1 & 0xFFFF_FFFFL);
    }
}
