package kcp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a passphrase into cipher keys the way kcptun does, so a Java peer given the same passphrase
 * and cipher name joins a kcptun/kcp-go deployment:
 * {@code pass = PBKDF2-HMAC-SHA1(passphrase, "kcp-go", 4096, 32)}, then a per-cipher slice of
 * {@code pass} ({@link #keyFor}).
 *
 * <p>PBKDF2 runs over raw bytes with {@link Mac} ("HmacSHA1"), not the JCE {@code PBEKeySpec}, whose
 * {@code char[]} password cannot carry arbitrary bytes. Thread-safe (stateless). Units: bytes.
 */
public final class KeyDerivation {
    /** The PBKDF2 salt kcptun derives keys with (kcptun's {@code SALT}). */
    public static final String KCPTUN_SALT = "kcp-go";
    /** kcptun's PBKDF2 iteration count. */
    public static final int KCPTUN_ITERATIONS = 4096;
    /** kcptun's derived key length in bytes. */
    public static final int KCPTUN_KEY_LENGTH = 32;

    private KeyDerivation() {
    }

    /**
     * kcptun's master key: PBKDF2-HMAC-SHA1(UTF-8 passphrase, "kcp-go", 4096, 32).
     *
     * @param passphrase the shared secret ({@code --key} in kcptun); may be empty
     * @return 32 bytes
     */
    public static byte[] kcptun(String passphrase) {
        Objects.requireNonNull(passphrase, "passphrase is null: pass \"\" for an empty key");
        return pbkdf2HmacSha1(passphrase.getBytes(StandardCharsets.UTF_8),
                KCPTUN_SALT.getBytes(StandardCharsets.US_ASCII), KCPTUN_ITERATIONS, KCPTUN_KEY_LENGTH);
    }

    /**
     * kcptun's per-cipher slice of the master key: {@code aes-128}, {@code tea}, {@code xtea},
     * {@code sm4}, {@code cast5} and {@code aes-128-gcm} take {@code pass[:16]}; {@code aes-192},
     * {@code 3des} and {@code aes-192-gcm} take {@code pass[:24]}; {@code aes} (AES-256),
     * {@code aes-256}, {@code aes-256-gcm}, {@code aes-gcm}, {@code blowfish}, {@code twofish},
     * {@code salsa20}, {@code xor}, {@code none}, {@code chacha20-poly1305} and
     * {@code xchacha20-poly1305} take the whole {@code pass}.
     *
     * @param cipherName a {@link Ciphers#names() cipher name} or a {@link PacketSealer#aeadNames() AEAD name}
     * @param pass the master key from {@link #kcptun(String)}
     * @return a new array holding the key for {@link Ciphers#create} / {@link PacketSealer#forName}
     * @throws IllegalArgumentException on an unknown name or a master key too short for the slice
     */
    public static byte[] keyFor(String cipherName, byte[] pass) {
        Objects.requireNonNull(pass, "pass is null: derive it with KeyDerivation.kcptun(passphrase)");
        int n = switch (cipherName == null ? "" : cipherName) {
            case "aes-128", "tea", "xtea", "sm4", "cast5", "aes-128-gcm" -> 16;
            case "aes-192", "3des", "aes-192-gcm" -> 24;
            case "aes", "aes-256", "aes-256-gcm", "aes-gcm", "blowfish", "twofish", "salsa20", "xor", "none",
                    "chacha20-poly1305", "xchacha20-poly1305" ->
                    pass.length;
            default -> throw new IllegalArgumentException("unknown cipher name '" + cipherName
                    + "': use one of " + Ciphers.names() + " or " + PacketSealer.aeadNames());
        };
        if (pass.length < n) {
            throw new IllegalArgumentException("pass has " + pass.length + " bytes, cipher '" + cipherName
                    + "' needs " + n + ": derive it with KeyDerivation.kcptun(passphrase)");
        }
        return Arrays.copyOf(pass, n);
    }

    /**
     * PBKDF2 (RFC 8018) with HMAC-SHA1 over raw password bytes, identical to Go's
     * {@code pbkdf2.Key(password, salt, iterations, length, sha1.New)}.
     *
     * @param password password bytes (may be empty)
     * @param salt salt bytes
     * @param iterations iteration count, {@code >= 1}
     * @param length output bytes, {@code >= 0}
     * @return the derived key
     */
    public static byte[] pbkdf2HmacSha1(byte[] password, byte[] salt, int iterations, int length) {
        Objects.requireNonNull(password, "password is null");
        Objects.requireNonNull(salt, "salt is null");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations < 1: " + iterations);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length < 0: " + length);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            // SecretKeySpec rejects an empty key; HMAC zero-pads keys to the block size, so an empty
            // key and a single zero byte produce the same MAC.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA1"));
            int hLen = mac.getMacLength();
            byte[] out = new byte[length];
            byte[] u = new byte[hLen];
            byte[] t = new byte[hLen];
            byte[] counter = new byte[4];
            for (int block = 1, pos = 0; pos < length; block++, pos += hLen) {
                counter[0] = (byte) (block >>> 24);
                counter[1] = (byte) (block >>> 16);
                counter[2] = (byte) (block >>> 8);
                counter[3] = (byte) block;
                mac.update(salt);
                mac.update(counter);
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hLen);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < hLen; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, pos, Math.min(hLen, length - pos));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable in this JDK", e);
        }
    }
}
