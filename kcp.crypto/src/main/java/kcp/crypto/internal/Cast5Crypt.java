package kcp.crypto.internal;

import org.bouncycastle.crypto.engines.CAST5Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * CAST-128 (RFC 2144; kcp-go {@code NewCast5BlockCrypt}, 16-byte key, 16 rounds) in kcp-go's local
 * CFB-64. The rounds and S-boxes are Bouncy Castle's {@link CAST5Engine}, reached through its protected
 * {@code CAST_Encipher(int, int, int[])} with a preallocated result array: the public
 * {@code processBlock} allocates a two-int array per block (measurable whenever escape analysis does not
 * remove it) and converts bytes twice. Thread-safety: NOT thread-safe (result scratch).
 */
public final class Cast5Crypt extends Cfb64Crypt {
    private final Engine engine = new Engine();

    /**
     * Creates the cipher.
     *
     * @param key exactly 16 bytes (checked by the factory)
     */
    public Cast5Crypt(byte[] key) {
        engine.init(true, new KeyParameter(key));
        initFeedback();
    }

    @Override
    long encryptBlock(long block) {
        return engine.encipher(block);
    }

    /** Exposes CAST5's word-level encipher step without per-call allocation. */
    private static final class Engine extends CAST5Engine {
        private final int[] result = new int[2];

        long encipher(long block) {
            CAST_Encipher((int) (block >>> 32), (int) block, result);
            return ((long) result[0] << 32) | (result[1] & 0xFFFF_FFFFL);
        }
    }
}
