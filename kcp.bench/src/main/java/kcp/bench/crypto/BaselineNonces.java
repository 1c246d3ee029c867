package kcp.bench.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.NonceSource;

/**
 * The default nonce source as kcp.crypto had it until 7 Dec 2026 (AES-128-CTR, 256 bytes = 16 nonces per JCE
 * call), kept here only so benchmarks can compare it with the current one in the same JMH run.
 * Thread-safety: NOT thread-safe.
 */
final class BaselineNonces implements NonceSource {
    private static final int POOL = 256;
    private static final byte[] ZEROS = new byte[POOL];
    private final Cipher ctr;
    private final byte[] pool = new byte[POOL];
    private int pos = POOL;

    BaselineNonces() {
        try {
            SecureRandom random = new SecureRandom();
            byte[] key = new byte[16];
            byte[] iv = new byte[16];
            random.nextBytes(key);
            random.nextBytes(iv);
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void fill(byte[] buf, int off, int len) {
        while (len > 0) {
            if (pos == POOL) {
                try {
                    ctr.update(ZEROS, 0, POOL, pool, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                pos = 0;
            }
            int n = Math.min(len, POOL - pos);
            System.arraycopy(pool, pos, buf, off, n);
            off += n;
            len -= n;
            pos += (n + 15) & -16;
        }
    }
}
