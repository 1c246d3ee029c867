/**
 * Packet encryption compatible with kcp-go: {@link kcp.crypto.BlockCrypt} (in-place whole-datagram
 * ciphers created by {@link kcp.crypto.Ciphers} from kcp-go's names), {@link kcp.crypto.PacketSealer}
 * (the 16-byte nonce + CRC32 header of kcp-go's CFB mode, or the AES-GCM framing of kcp-go v5.6.49+),
 * {@link kcp.crypto.NonceSource} and {@link kcp.crypto.KeyDerivation} (kcptun's passphrase handling).
 *
 * <p>Thread-safety: cipher and sealer objects are NOT thread-safe; create one per session per
 * direction. The factories and {@link kcp.crypto.KeyDerivation} are thread-safe. All lengths are in
 * bytes; no method keeps a reference to a caller's buffer after it returns.
 */
package kcp.crypto;
