package kcp.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.Aead;

/**
 * AES-GCM through the JDK ({@code AES/GCM/NoPadding}, AES-NI and CLMUL intrinsics): 12-byte nonce,
 * 16-byte tag, no additional data. JCE's GCM must be initialised with every new nonce, which
 * allocates about 1.9 KB per seal+open inside the JDK (see docs/crypto-aead.md); the ciphertext goes
 * through a preallocated scratch array because JCE copies overlapping in-place input. Thread-safety:
 * NOT thread-safe.
 */
public final class AesGcmAead implements Aead {
    private static final int NONCE_SIZE = 12;
    private static final int TAG_SIZE = 16;

    private final SecretKeySpec key;
    private final Cipher cipher;
    private byte[] scratch = new byte[0];

    /**
     * Creates the cipher.
     *
     * @param key 16, 24 or 32 bytes (copied)
     */
    public AesGcmAead(byte[] key) {
        Objects.requireNonNull(key, "key is null");
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES-GCM key length " + key.length + " bytes: needs 16, 24 or 32");
        }
        this.key = new SecretKeySpec(key, "AES");
        try {
            cipher = JceCiphers.get("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable in this JDK", e);
        }
    }

    @Override
    public int nonceSize() {
        return NONCE_SIZE;
    }

    @Override
    public int overhead() {
        return TAG_SIZE;
    }

    @Override
    public int seal(byte[] nonce, int nonceOff, byte[] buf, int off, int len) {
        byte[] out = scratch(len + TAG_SIZE);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE * 8, nonce, nonceOff, NONCE_SIZE));
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("AES-GCM refused the nonce (the NonceSource repeated a nonce under"
                    + " this key; nonces must be unique): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM init failed", e);
        }
        int n;
        try {
            n = cipher.doFinal(buf, off, len, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed on " + len + " bytes", e);
        }
        System.arraycopy(out, 0, buf, off, n);
        return n;
    }

    @Override
    public int open(byte[] nonce, int nonceOff, byte[] buf, int off, int len) {
        if (len < TAG_SIZE) {
            return -1;
        }
        byte[] out = scratch(len);
        int n;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE * 8, nonce, nonceOff, NONCE_SIZE));
            n = cipher.doFinal(buf, off, len, out, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed on " + len + " bytes", e);
        }
        System.arraycopy(out, 0, buf, off, n);
        return n;
    }

    /** Drops the ciphertext scratch; the next seal or open allocates it again. */
    public void trim() {
        scratch = new byte[0];
    }

    private byte[] scratch(int size) {
        if (scratch.length < size) { // contents are per call: no copy needed
            scratch = new byte[Math.max(size, KcpCfb.MTU_LIMIT + TAG_SIZE)];
        }
        return scratch;
    }
}
