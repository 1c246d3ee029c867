package kcp.crypto;

import java.util.List;
import kcp.crypto.internal.AeadSealer;
import kcp.crypto.internal.CfbSealer;

/**
 * Frames a datagram the way kcp-go's session does before it hits the socket, and checks it on the
 * way in.
 *
 * <pre>
 * CFB family and "none" (kcp-go sess.go)                any AEAD (kcp-go v5.6.49+ NewAEADCrypt)
 * 0       16 bytes nonce                                   0    N bytes nonce (clear; N = 12, or 24 for XChaCha20)
 * 16      u32 LE CRC-32/IEEE of the payload                N    ciphertext of the payload
 * 20      payload (FEC header + KCP segments)              end  16 bytes tag, no AAD
 * then the whole datagram is encrypted in place
 * </pre>
 *
 * The caller leaves {@link #headerSize()} bytes free before the payload and {@link #trailerSize()}
 * bytes after it. {@link #open} reports every bad datagram (too short, CRC mismatch, wrong key,
 * tampered AEAD packet) as {@code -1} and never throws for bad input; out-of-range arguments are
 * caller bugs and throw {@link IndexOutOfBoundsException}.
 *
 * <p>Thread-safety: NOT thread-safe; one sealer per session per direction. Buffers are only touched
 * during the call. Units: bytes.
 */
public interface PacketSealer {
    /**
     * Bytes in front of the payload.
     *
     * @return 20 (16-byte nonce + CRC32) for CFB ciphers and "none", the AEAD's nonce size (12, or 24 for
     *     XChaCha20-Poly1305) for AEADs
     */
    int headerSize();

    /**
     * Bytes after the payload.
     *
     * @return 0 for CFB ciphers and "none", the AEAD's tag size (16) for AEADs
     */
    int trailerSize();

    /**
     * Seals a datagram in place: writes the nonce (and CRC), encrypts.
     *
     * @param buf buffer holding the payload at {@code off + headerSize()}, with room for the trailer
     * @param off start of the datagram
     * @param payloadLen payload bytes
     * @return datagram length ({@code headerSize() + payloadLen + trailerSize()})
     */
    int seal(byte[] buf, int off, int payloadLen);

    /**
     * Opens a received datagram in place.
     *
     * @param buf the datagram
     * @param off its first byte
     * @param len its length
     * @return the payload length (payload at {@code off + headerSize()}), or -1 if the datagram is too
     *     short, fails the CRC or fails AEAD authentication
     */
    int open(byte[] buf, int off, int len);

    /**
     * Releases per-packet scratch memory of a sealer that will be idle for a while (kcp.net calls it when a session
     * has been idle for seconds); the next seal or open allocates it again. Output is unaffected. The default does
     * nothing.
     */
    default void trim() {
    }

    /**
     * kcp-go's CFB framing (nonce + CRC32, whole datagram encrypted) around any {@link BlockCrypt}.
     *
     * @param crypt the cipher, owned by the sealer from now on
     * @param nonces the nonce source, owned by the sealer from now on
     * @return a new sealer
     */
    static PacketSealer cfb(BlockCrypt crypt, NonceSource nonces) {
        return new CfbSealer(crypt, nonces);
    }

    /**
     * The AES-GCM framing of kcp-go v5.6.49+ ({@code NewAESGCMCrypt}): an opt-in mode that kcp-go 5.6.1
     * peers do not understand. The key size (16, 24 or 32 bytes) selects AES-128/192/256.
     *
     * @param key the AES key (copied)
     * @param nonces supplies 12-byte nonces; they must not repeat under one key (a repeated nonce makes
     *     {@link #seal} throw {@link IllegalStateException})
     * @return a new sealer
     */
    static PacketSealer aesGcm(byte[] key, NonceSource nonces) {
        return aead(Aead.aesGcm(key), nonces);
    }

    /**
     * kcp-go v5.6.72's {@code NewAEADCrypt(cipher.AEAD)} framing around any {@link Aead}: nonce in clear,
     * ciphertext, tag; no CRC. Like AES-GCM, an opt-in mode that kcp-go 5.6.1 peers do not understand.
     *
     * @param aead the cipher, owned by the sealer from now on
     * @param nonces supplies {@link Aead#nonceSize()}-byte nonces, owned by the sealer from now on
     * @return a new sealer
     */
    static PacketSealer aead(Aead aead, NonceSource nonces) {
        return new AeadSealer(aead, nonces);
    }

    /**
     * The AEAD names {@link #forName} accepts besides {@link Ciphers#names()}.
     *
     * @return an immutable list: the AES-GCM names, chacha20-poly1305 and xchacha20-poly1305
     */
    static List<String> aeadNames() {
        return List.of("aes-128-gcm", "aes-192-gcm", "aes-256-gcm", "chacha20-poly1305", "xchacha20-poly1305");
    }

    /**
     * A sealer by name with the {@linkplain NonceSource#secureDefault() default nonce source}: any
     * {@link Ciphers#names() cipher name} (CFB framing), or {@code "aes-128-gcm"}, {@code "aes-192-gcm"},
     * {@code "aes-256-gcm"} or {@code "aes-gcm"} (key size selects) for the AES-GCM framing, and
     * {@code "chacha20-poly1305"} or {@code "xchacha20-poly1305"} (32-byte key) for the same framing
     * around those ciphers.
     *
     * @param name cipher name
     * @param key cipher key (not a passphrase; see {@link KeyDerivation#keyFor})
     * @return a new sealer
     * @throws IllegalArgumentException on an unknown name or a bad key size
     */
    static PacketSealer forName(String name, byte[] key) {
        if ("chacha20-poly1305".equals(name) || "xchacha20-poly1305".equals(name)) {
            if (key == null) {
                throw new IllegalArgumentException("key is null for '" + name + "': needs 32 bytes");
            }
            Aead aead = name.startsWith("x") ? Aead.xchacha20Poly1305(key) : Aead.chacha20Poly1305(key);
            return aead(aead, NonceSource.secureDefault());
        }
        if (name != null && name.endsWith("gcm")) {
            int need = switch (name) {
                case "aes-128-gcm" -> 16;
                case "aes-192-gcm" -> 24;
                case "aes-256-gcm" -> 32;
                case "aes-gcm" -> key == null ? 0 : key.length;
                default -> throw new IllegalArgumentException("unknown AEAD name '" + name
                        + "': use aes-128-gcm, aes-192-gcm, aes-256-gcm or aes-gcm");
            };
            if (key == null || key.length != need) {
                throw new IllegalArgumentException("key length " + (key == null ? "null" : key.length + " bytes")
                        + " is invalid for '" + name + "': needs " + (need == 0 ? "16, 24 or 32" : need) + " bytes");
            }
            return aesGcm(key, NonceSource.secureDefault());
        }
        return cfb(Ciphers.create(name, key), NonceSource.secureDefault());
    }
}
