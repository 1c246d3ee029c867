package kcp.crypto;

import kcp.crypto.internal.AesCtrNonceSource;

/**
 * Supplies the per-datagram nonce written in front of every sealed packet. kcp-go's receivers never
 * check nonces; they only make equal payloads encrypt differently (CFB) or are required to be unique
 * per key (AES-GCM). Tests inject a fixed source to reproduce kcp-go's vectors.
 *
 * <p>Thread-safety: implementations need not be thread-safe; a sealer owns its source.
 */
@FunctionalInterface
public interface NonceSource {
    /**
     * Writes {@code len} nonce bytes to {@code buf[off, off+len)}.
     *
     * @param buf destination
     * @param off first byte
     * @param len number of bytes (16 for CFB sealers, 12 for AES-GCM)
     */
    void fill(byte[] buf, int off, int len);

    /**
     * The default source: an AES-128 counter-mode generator keyed from {@link java.security.SecureRandom}
     * and re-keyed periodically (kcp-go uses a comparable AES chain). Each call of up to 16 bytes takes
     * a fresh AES output block, so 16-byte nonces never repeat under one key. Allocation-free after
     * construction; NOT thread-safe (one per sealer).
     *
     * @return a new, independently keyed source
     */
    static NonceSource secureDefault() {
        return new AesCtrNonceSource();
    }
}
