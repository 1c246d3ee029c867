package kcp.crypto;

import kcp.crypto.internal.AesGcmSealer;
import kcp.crypto.internal.CfbSealer;

/**
 * Frames a datagram the way kcp-go's session does before it hits the socket, and checks it on the
 * way in.
 *
 * <pre>
 * CFB family and "none" (kcp-go sess.go)                   AES-GCM (kcp-go v5.6.49+)
 * 0       16 bytes nonce                                   0    12 bytes nonce (clear)
 * 16      u32 LE CRC-32/IEEE of the payload                12   ciphertext of the payload
 * 20      payload (FEC header + KCP segments)              end  16 bytes GCM tag, no AAD
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
     * @return 20 (16-byte nonce + CRC32) for CFB ciphers and "none", 12 for AES-GCM
     */
    int headerSize();

    /**
     * Bytes after the payload.
     *
     * @return 0 for CFB ciphers and "none", 16 (the GCM tag) for AES-GCM
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
     *     short, fails the CRC or fails GCM authentication
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
        return new AesGcmSealer(key, nonces);
    }

    /**
     * A sealer by name with the {@linkplain NonceSource#secureDefault() default nonce source}: any
     * {@link Ciphers#names() cipher name} (CFB framing), or {@code "aes-128-gcm"}, {@code "aes-192-gcm"},
     * {@code "aes-256-gcm"} or {@code "aes-gcm"} (key size selects) for the AES-GCM framing.
     *
     * @param name cipher name
     * @param key cipher key (not a passphrase; see {@link KeyDerivation#keyFor})
     * @return a new sealer
     * @throws IllegalArgumentException on an unknown name or a bad key size
     */
    static PacketSealer forName(String name, byte[] key) {
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
