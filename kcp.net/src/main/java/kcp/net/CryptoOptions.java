package kcp.net;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

import kcp.crypto.PacketSealer;

/**
 * How datagrams are sealed: a kcp-go cipher by name and key, a factory of sealers, or nothing. Validated once: the
 * name and key must make a sealer. Immutable: the key is copied on the way in and on the way out, and kept out of
 * {@link #toString()}. Part of {@link SessionOptions}.
 *
 * @param cipherName    a {@link PacketSealer#forName} name (kcp-go's CFB family, "none", "aes-128-gcm" ...), or null
 *                      for no crypto at all (not the same as {@code "none"}, which keeps nonce + CRC); default null
 * @param key           cipher key bytes (copied), required when {@code cipherName} is set and only then
 * @param sealerFactory alternative to {@code cipherName}: makes one {@link PacketSealer} per session and direction
 *                      (e.g. with an injected nonce source); default null
 */
public record CryptoOptions(String cipherName, byte[] key, Supplier<PacketSealer> sealerFactory) {
    /** Header bytes a CFB-family cipher (or "none") puts in front of every datagram: nonce 16 + CRC 4. */
    public static final int CFB_HEADER_BYTES = 20;

    /** No crypto. */
    public static final CryptoOptions NONE = new CryptoOptions(null, null, null);

    /** Validates the combination and copies the key; see the class javadoc. */
    public CryptoOptions {
        if (cipherName == null) {
            if (key != null) {
                throw new IllegalArgumentException("a key is set without a cipher name: name the cipher, e.g. "
                        + "cipher(\"aes\", key), or use cipher(null, null) for no crypto");
            }
        } else {
            if (sealerFactory != null) {
                throw new IllegalArgumentException("set either cipherName or sealerFactory, not both: cipherName="
                        + cipherName);
            }
            if (key == null) {
                throw new IllegalArgumentException("key must be set when cipherName is set: cipherName="
                        + cipherName + ", key=null");
            }
            try {
                PacketSealer.forName(cipherName, key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cipherName/key rejected: " + e.getMessage(), e);
            }
            key = key.clone();
        }
    }

    /** {@return a copy of the cipher key, or null without a cipher name} */
    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    /** {@return true if datagrams are sealed (cipherName or sealerFactory set)} */
    public boolean enabled() {
        return cipherName != null || sealerFactory != null;
    }

    /** {@return a new sealer for one direction of one session, or null without crypto} */
    public PacketSealer newSealer() {
        if (cipherName != null) {
            return PacketSealer.forName(cipherName, key);
        }
        return sealerFactory == null ? null : sealerFactory.get();
    }

    /**
     * {@return the bytes sealing adds to each datagram: 0, 20 for the CFB family and "none", nonce + 16-byte tag for
     * the AEADs (28 for AES-GCM and ChaCha20-Poly1305, 40 for XChaCha20-Poly1305)}
     */
    public int overheadBytes() {
        if (cipherName != null) {
            if (cipherName.startsWith("xchacha20")) {
                return 24 + 16;
            }
            return cipherName.endsWith("gcm") || cipherName.endsWith("poly1305") ? 12 + 16 : CFB_HEADER_BYTES;
        }
        if (sealerFactory != null) {
            PacketSealer probe = Objects.requireNonNull(sealerFactory.get(), "sealerFactory returned null");
            return probe.headerSize() + probe.trailerSize();
        }
        return 0;
    }

    /** Equal name, equal key bytes and the same factory object. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CryptoOptions c && Objects.equals(cipherName, c.cipherName) && Arrays.equals(key, c.key)
                && sealerFactory == c.sealerFactory;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cipherName, Arrays.hashCode(key), System.identityHashCode(sealerFactory));
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "CryptoOptions[cipherName=" + cipherName + ", key=" + (key == null ? "null" : "<" + key.length
                + " bytes>") + ", sealerFactory=" + (sealerFactory != null) + "]";
    }
}
