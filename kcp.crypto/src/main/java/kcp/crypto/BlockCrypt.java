package kcp.crypto;

/**
 * One of kcp-go's packet ciphers ({@code crypt.go}'s {@code BlockCrypt}), working in place on a whole
 * datagram (nonce, CRC and payload). Block ciphers run kcp-go's "local CFB" mode: full-block feedback
 * with the fixed initial vector {@code a7734f9c...}, the final partial block XORed stream-wise, so the
 * output length always equals the input length (kcp-go {@code crypt.go encrypt/decrypt}).
 *
 * <p>Thread-safety: NOT thread-safe; instances keep per-call scratch state. Use one instance per
 * session per direction (kcp-go up to 5.6.46 shared scratch buffers between sessions and corrupted
 * packets). Buffer ownership: the range is only touched during the call. Units: bytes.
 *
 * <p>Untrusted input never makes these methods throw; out-of-range arguments (caller bugs) throw
 * {@link IndexOutOfBoundsException}.
 */
public interface BlockCrypt {
    /**
     * Encrypts {@code buf[off, off+len)} in place, exactly as kcp-go's {@code Encrypt(dst, src)} with
     * {@code dst == src}.
     *
     * @param buf the datagram
     * @param off first byte
     * @param len number of bytes, any value {@code >= 0}
     */
    void encrypt(byte[] buf, int off, int len);

    /**
     * Decrypts {@code buf[off, off+len)} in place, exactly as kcp-go's {@code Decrypt(dst, src)}.
     *
     * @param buf the datagram
     * @param off first byte
     * @param len number of bytes, any value {@code >= 0}
     */
    void decrypt(byte[] buf, int off, int len);

    /**
     * Releases per-packet scratch memory (for example a keystream array sized for the largest datagram) while the
     * cipher is expected to stay unused for a while; the next call allocates it again. Output is unaffected. The
     * default does nothing: most ciphers keep only a few blocks of state.
     */
    default void trim() {
    }
}
