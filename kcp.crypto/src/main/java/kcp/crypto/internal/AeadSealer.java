package kcp.crypto.internal;

import java.util.Objects;
import kcp.crypto.Aead;
import kcp.crypto.NonceSource;
import kcp.crypto.PacketSealer;

/**
 * kcp-go v5.6.72's AEAD framing ({@code NewAEADCrypt}, crypt.go lines 82-108; sess.go lines 210-216,
 * 710-718 and 970-990): {@code nonce (NonceSize, clear) | ciphertext | tag (Overhead)}, no CRC, no
 * additional data, a fresh random nonce per datagram. {@link #open} returns -1 for a datagram shorter
 * than nonce + tag (kcp-go drops it silently) and for one that fails authentication (kcp-go counts it
 * in {@code InCsumErrors}). Thread-safety: NOT thread-safe (one per session per direction).
 */
public final class AeadSealer implements PacketSealer {
    private final Aead aead;
    private final NonceSource nonces;
    private final int nonceSize;
    private final int overhead;

    /**
     * Creates the sealer.
     *
     * @param aead the cipher, owned from now on
     * @param nonces nonce source, owned from now on
     */
    public AeadSealer(Aead aead, NonceSource nonces) {
        this.aead = Objects.requireNonNull(aead,
                "aead is null: use Aead.aesGcm, chacha20Poly1305 or xchacha20Poly1305");
        this.nonces = Objects.requireNonNull(nonces, "nonces is null: use NonceSource.secureDefault()");
        this.nonceSize = aead.nonceSize();
        this.overhead = aead.overhead();
        if (nonceSize < 1 || overhead < 0) {
            throw new IllegalArgumentException("aead reports nonceSize " + nonceSize + " and overhead " + overhead
                    + ": needs nonceSize >= 1 and overhead >= 0");
        }
    }

    @Override
    public int headerSize() {
        return nonceSize;
    }

    @Override
    public int trailerSize() {
        return overhead;
    }

    @Override
    public int seal(byte[] buf, int off, int payloadLen) {
        if (payloadLen < 0) {
            throw new IllegalArgumentException("payloadLen < 0: " + payloadLen);
        }
        Objects.checkFromIndexSize(off, nonceSize + payloadLen + overhead, buf.length);
        nonces.fill(buf, off, nonceSize);
        return nonceSize + aead.seal(buf, off, buf, off + nonceSize, payloadLen);
    }

    @Override
    public int open(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < nonceSize + overhead) {
            return -1;
        }
        return aead.open(buf, off, buf, off + nonceSize, len - nonceSize);
    }

    @Override
    public void trim() {
        if (aead instanceof AesGcmAead gcm) {
            gcm.trim();
        }
    }
}
