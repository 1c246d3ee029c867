package kcp.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.NonceSource;

/**
 * The default {@link NonceSource}: AES-128 in counter mode under a key and initial counter drawn from
 * {@link SecureRandom}, generated {@value #POOL_BYTES} bytes at a time with one JCE call (the CTR
 * intrinsic) and re-keyed every {@value #REKEY_REFILLS} refills (kcp-go v5.6.72 re-keys its AES chain
 * every 2^24 reads). A call of up to 16 bytes consumes one whole AES output block, and distinct counter
 * values give distinct blocks under one key, so 16-byte nonces never repeat within a key epoch.
 * Allocation-free after construction except when re-keying. Thread-safety: NOT thread-safe.
 */
public final class AesCtrNonceSource implements NonceSource {
    private static final int BLOCK = 16;
    /** 16 nonces per JCE call: small, since every session holds one pool (idle-session memory). */
    private static final int POOL_BYTES = 256;
    /** CTR input: the keystream itself is the output. Shared and never written. */
    private static final byte[] ZEROS = new byte[POOL_BYTES];
    private static final int REKEY_REFILLS = 1 << 16;

    private final SecureRandom random = new SecureRandom();
    private final Cipher ctr;
    private final byte[] pool = new byte[POOL_BYTES];
    private int pos = POOL_BYTES;
    private int refills;

    /** Creates a source with a fresh random key. */
    public AesCtrNonceSource() {
        try {
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR/NoPadding unavailable in this JDK", e);
        }
        rekey();
    }

    @Override
    public void fill(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        while (len > 0) {
            if (pos == POOL_BYTES) {
                refill();
            }
            int n = Math.min(len, POOL_BYTES - pos);
            System.arraycopy(pool, pos, buf, off, n);
            off += n;
            len -= n;
            // start the next request on a fresh AES block
            pos += (n + BLOCK - 1) & -BLOCK;
        }
    }

    private void refill() {
        if (++refills >= REKEY_REFILLS) {
            rekey();
        }
        try {
            ctr.update(ZEROS, 0, POOL_BYTES, pool, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
        pos = 0;
    }

    private void rekey() {
        byte[] key = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(key);
        random.nextBytes(iv);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR init failed", e);
        }
        refills = 0;
    }
}
