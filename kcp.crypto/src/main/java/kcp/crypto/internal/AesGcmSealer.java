package kcp.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.NonceSource;
import kcp.crypto.PacketSealer;

/**
 * The AEAD framing of kcp-go v5.6.49+ ({@code NewAESGCMCrypt}): 12-byte nonce in clear, then
 * AES-GCM ciphertext of the payload followed by the 16-byte tag; no CRC, no additional data. Any
 * modified byte (nonce, ciphertext or tag) fails authentication and {@link #open} returns -1.
 *
 * <p>JCE's GCM must be initialised with every new nonce, which allocates a few small objects per
 * packet inside the JDK; the ciphertext goes through a preallocated scratch array. Thread-safety: NOT
 * thread-safe (one per session per direction).
 */
public final class AesGcmSealer implements PacketSealer {
    /** GCM standard nonce size (Go {@code aead.NonceSize()}). */
    static final int NONCE_SIZE = 12;
    /** GCM tag size (Go {@code aead.Overhead()}). */
    static final int TAG_SIZE = 16;
    private static final int TAG_BITS = TAG_SIZE * 8;

    private final SecretKeySpec key;
    private final NonceSource nonces;
    private final Cipher cipher;
    private byte[] scratch = new byte[KcpCfb.MTU_LIMIT + TAG_SIZE];

    /**
     * Creates the sealer.
     *
     * @param key 16, 24 or 32 bytes (copied)
     * @param nonces 12-byte nonce source (owned from now on)
     */
    public AesGcmSealer(byte[] key, NonceSource nonces) {
        Objects.requireNonNull(key, "key is null");
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES-GCM key length " + key.length + " bytes: needs 16, 24 or 32");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.nonces = Objects.requireNonNull(nonces, "nonces is null: use NonceSource.secureDefault()");
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable in this JDK", e);
        }
    }

    @Override
    public int headerSize() {
        return NONCE_SIZE;
    }

    @Override
    public int trailerSize() {
        return TAG_SIZE;
    }

    @Override
    public int seal(byte[] buf, int off, int payloadLen) {
        if (payloadLen < 0) {
            throw new IllegalArgumentException("payloadLen < 0: " + payloadLen);
        }
        Objects.checkFromIndexSize(off, NONCE_SIZE + payloadLen + TAG_SIZE, buf.length);
        nonces.fill(buf, off, NONCE_SIZE);
        byte[] out = scratch(payloadLen + TAG_SIZE);
        int n;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, buf, off, NONCE_SIZE));
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("AES-GCM refused the nonce (the NonceSource repeated a nonce under"
                    + " this key; nonces must be unique): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM init failed", e);
        }
        try {
            n = cipher.doFinal(buf, off + NONCE_SIZE, payloadLen, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed on " + payloadLen + " bytes", e);
        }
        System.arraycopy(out, 0, buf, off + NONCE_SIZE, n);
        return NONCE_SIZE + n;
    }

    @Override
    public int open(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < NONCE_SIZE + TAG_SIZE) {
            return -1;
        }
        byte[] out = scratch(len);
        int n;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, buf, off, NONCE_SIZE));
            n = cipher.doFinal(buf, off + NONCE_SIZE, len - NONCE_SIZE, out, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed on " + len + " bytes", e);
        }
        System.arraycopy(out, 0, buf, off + NONCE_SIZE, n);
        return n;
    }

    /** Drops the ciphertext scratch; the next seal or open allocates it again. */
    @Override
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
