package kcp.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;

/**
 * {@link Cipher#getInstance(String)} without the provider search after the first call. Every session makes its own
 * cipher objects (JCE ciphers are not thread-safe), and a plain {@code getInstance} walks the provider list and
 * parses the transformation each time, about as long as the key schedule itself. The first call of each
 * transformation searches as usual; later calls ask the provider it found directly, so a provider installed after
 * that first call is not considered for that transformation.
 *
 * <p>Thread-safe. Holds one entry per transformation string of this package, a handful in all.
 */
final class JceCiphers {
    private static final ConcurrentHashMap<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    private JceCiphers() {
    }

    /**
     * Returns a new, uninitialised cipher for {@code transformation}.
     *
     * @param transformation a constant such as {@code "AES/CTR/NoPadding"}
     * @return the cipher
     * @throws GeneralSecurityException if no installed provider supports it
     */
    static Cipher get(String transformation) throws GeneralSecurityException {
        Provider known = PROVIDERS.get(transformation);
        if (known != null) {
            return Cipher.getInstance(transformation, known);
        }
        Cipher c = Cipher.getInstance(transformation);
        PROVIDERS.putIfAbsent(transformation, c.getProvider());
        return c;
    }
}
