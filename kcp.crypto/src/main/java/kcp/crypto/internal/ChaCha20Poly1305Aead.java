package kcp.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.Aead;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8, no additional data) and XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha, Go's {@code chacha20poly1305.NewX}), byte-identical to Go's
 * {@code golang.org/x/crypto/chacha20poly1305}.
 *
 * <p>The keystream comes from the JDK's plain {@code ChaCha20} cipher (AVX2/AVX-512 intrinsic); the tag
 * from our {@link Poly1305}: the JDK's own {@code ChaCha20-Poly1305} cipher is about 3x slower on
 * 1.5 KB datagrams and allocates about 4.4 KB per seal+open (docs/crypto-aead.md). Per packet: one
 * JCE init (nonce), keystream block 0 gives the Poly1305 key, blocks 1.. encrypt the payload, the tag
 * covers {@code ciphertext | zero pad to 16 | le64(0) | le64(len)}. XChaCha20 first derives the
 * subkey with {@link HChaCha20} and runs the same construction with nonce {@code 0000 | nonce[16:24]}.
 * {@link #open} checks the tag before it decrypts anything.
 *
 * <p>Thread-safety: NOT thread-safe.
 */
public final class ChaCha20Poly1305Aead implements Aead {
    private static final int TAG_SIZE = 16;
    private static final byte[] ZEROS = new byte[64];

    private final boolean extended;
    private final byte[] key;
    private final SecretKeySpec keySpec;
    private final Cipher chacha;
    private final Poly1305 poly = new Poly1305();
    private final byte[] innerNonce = new byte[12];
    private final byte[] subkey = new byte[32];
    private final byte[] block0 = new byte[64];
    private final byte[] pad = new byte[16];
    private final byte[] tag = new byte[TAG_SIZE];

    /**
     * Creates the cipher.
     *
     * @param key 32 bytes (copied)
     * @param extended true for XChaCha20-Poly1305 (24-byte nonce), false for ChaCha20-Poly1305
     */
    public ChaCha20Poly1305Aead(byte[] key, boolean extended) {
        Objects.requireNonNull(key, "key is null");
        if (key.length != 32) {
            throw new IllegalArgumentException((extended ? "X" : "") + "ChaCha20-Poly1305 key length " + key.length
                    + " bytes: needs 32 (KeyDerivation.keyFor slices a kcptun passphrase key for you)");
        }
        this.extended = extended;
        this.key = key.clone();
        this.keySpec = new SecretKeySpec(key, "ChaCha20");
        try {
            chacha = JceCiphers.get("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 unavailable in this JDK", e);
        }
    }

    @Override
    public int nonceSize() {
        return extended ? 24 : 12;
    }

    @Override
    public int overhead() {
        return TAG_SIZE;
    }

    @Override
    public int seal(byte[] nonce, int nonceOff, byte[] buf, int off, int len) {
        start(Cipher.ENCRYPT_MODE, nonce, nonceOff);
        xor(buf, off, len);
        authenticate(buf, off, len, buf, off + len);
        return len + TAG_SIZE;
    }

    @Override
    public int open(byte[] nonce, int nonceOff, byte[] buf, int off, int len) {
        if (len < TAG_SIZE) {
            return -1;
        }
        int ctLen = len - TAG_SIZE;
        start(Cipher.DECRYPT_MODE, nonce, nonceOff);
        authenticate(buf, off, ctLen, tag, 0);
        int diff = 0;
        for (int i = 0; i < TAG_SIZE; i++) { // constant time: no early exit
            diff |= tag[i] ^ buf[off + ctLen + i];
        }
        if (diff != 0) {
            return -1;
        }
        xor(buf, off, ctLen);
        return ctLen;
    }

    /** Initialises the keystream for one packet and takes block 0 as the one-time Poly1305 key. */
    private void start(int mode, byte[] nonce, int nonceOff) {
        SecretKeySpec k;
        if (extended) {
            HChaCha20.subkey(key, 0, nonce, nonceOff, subkey, 0);
            k = new SecretKeySpec(subkey, "ChaCha20");
            innerNonce[0] = innerNonce[1] = innerNonce[2] = innerNonce[3] = 0;
            System.arraycopy(nonce, nonceOff + 16, innerNonce, 4, 8);
        } else {
            k = keySpec;
            System.arraycopy(nonce, nonceOff, innerNonce, 0, 12);
        }
        try {
            chacha.init(mode, k, new ChaCha20ParameterSpec(innerNonce, 0));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("ChaCha20 refused the nonce (the NonceSource repeated the previous"
                    + " nonce under this key; nonces must be unique): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 init failed", e);
        }
        xorInto(ZEROS, 0, 64, block0, 0);
        poly.init(block0, 0);
    }

    /** Tag over ciphertext | zero pad | le64(aad length 0) | le64(ciphertext length), written to out. */
    private void authenticate(byte[] ct, int off, int len, byte[] out, int outOff) {
        int whole = len & ~15;
        poly.blocks(ct, off, whole);
        if (whole != len) {
            Arrays.fill(pad, (byte) 0);
            System.arraycopy(ct, off + whole, pad, 0, len - whole);
            poly.blocks(pad, 0, 16);
        }
        Arrays.fill(pad, (byte) 0);
        long n = len;
        for (int i = 0; i < 8; i++) {
            pad[8 + i] = (byte) (n >>> (8 * i));
        }
        poly.blocks(pad, 0, 16);
        poly.finish(out, outOff);
    }

    private void xor(byte[] buf, int off, int len) {
        xorInto(buf, off, len, buf, off);
    }

    private void xorInto(byte[] in, int off, int len, byte[] out, int outOff) {
        if (len == 0) {
            return;
        }
        try {
            chacha.update(in, off, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 failed on " + len + " bytes", e);
        }
    }
}
