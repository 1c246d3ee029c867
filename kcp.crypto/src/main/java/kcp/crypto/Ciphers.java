package kcp.crypto;

import java.util.List;
import kcp.crypto.internal.BlowfishCrypt;
import kcp.crypto.internal.Cast5Crypt;
import kcp.crypto.internal.EngineCfbCrypt;
import kcp.crypto.internal.JceCfbCrypt;
import kcp.crypto.internal.NoneCrypt;
import kcp.crypto.internal.Salsa20Crypt;
import kcp.crypto.internal.Sm4Crypt;
import kcp.crypto.internal.TeaCrypt;
import kcp.crypto.internal.TripleDesCrypt;
import kcp.crypto.internal.XorCrypt;
import kcp.crypto.internal.XteaCrypt;

/**
 * Creates kcp-go's packet ciphers by the names kcptun uses. The key is used exactly as kcp-go's
 * constructor uses it (see {@link KeyDerivation#keyFor} for kcptun's passphrase slicing):
 *
 * <table>
 * <caption>names and key sizes</caption>
 * <tr><th>name</th><th>kcp-go constructor</th><th>key bytes</th></tr>
 * <tr><td>aes</td><td>NewAESBlockCrypt</td><td>16, 24 or 32 (selects AES-128/192/256)</td></tr>
 * <tr><td>aes-128, aes-192, aes-256</td><td>NewAESBlockCrypt</td><td>exactly 16, 24, 32</td></tr>
 * <tr><td>tea</td><td>NewTEABlockCrypt (16 rounds)</td><td>16</td></tr>
 * <tr><td>xtea</td><td>NewXTEABlockCrypt</td><td>16</td></tr>
 * <tr><td>xor</td><td>NewSimpleXORBlockCrypt</td><td>any (PBKDF2 password)</td></tr>
 * <tr><td>blowfish</td><td>NewBlowfishBlockCrypt</td><td>1..56</td></tr>
 * <tr><td>twofish</td><td>NewTwofishBlockCrypt</td><td>16, 24 or 32</td></tr>
 * <tr><td>cast5</td><td>NewCast5BlockCrypt</td><td>16</td></tr>
 * <tr><td>3des</td><td>NewTripleDESBlockCrypt</td><td>24</td></tr>
 * <tr><td>salsa20</td><td>NewSalsa20BlockCrypt</td><td>any (zero-padded or truncated to 32)</td></tr>
 * <tr><td>sm4</td><td>NewSM4BlockCrypt</td><td>16</td></tr>
 * <tr><td>none</td><td>NewNoneBlockCrypt</td><td>ignored (may be null)</td></tr>
 * </table>
 *
 * <p>Thread-safety: the factory is thread-safe; each returned cipher is NOT (one per session per
 * direction). The key array is copied, never retained.
 */
public final class Ciphers {
    private static final List<String> NAMES = List.of("aes", "aes-128", "aes-192", "aes-256", "tea", "xtea",
            "xor", "blowfish", "twofish", "cast5", "3des", "salsa20", "sm4", "none");

    private Ciphers() {
    }

    /**
     * Creates a new cipher instance.
     *
     * @param name one of {@link #names()}
     * @param key the cipher key (copied)
     * @return a fresh cipher, not shared with any other caller
     * @throws IllegalArgumentException if the name is unknown or the key size does not fit the cipher
     */
    public static BlockCrypt create(String name, byte[] key) {
        if (name == null) {
            throw new IllegalArgumentException("cipher name is null: use one of " + NAMES);
        }
        if (key == null && !name.equals("none")) {
            throw new IllegalArgumentException("key is null for cipher '" + name + "'");
        }
        return switch (name) {
            case "aes" -> JceCfbCrypt.aes(checkLength(name, key, 16, 24, 32));
            case "aes-128" -> JceCfbCrypt.aes(checkLength(name, key, 16));
            case "aes-192" -> JceCfbCrypt.aes(checkLength(name, key, 24));
            case "aes-256" -> JceCfbCrypt.aes(checkLength(name, key, 32));
            case "tea" -> new TeaCrypt(checkLength(name, key, 16));
            case "xtea" -> new XteaCrypt(checkLength(name, key, 16));
            case "xor" -> new XorCrypt(key);
            case "blowfish" -> new BlowfishCrypt(checkRange(name, key, 1, 56));
            case "twofish" -> EngineCfbCrypt.twofish(checkLength(name, key, 16, 24, 32));
            case "cast5" -> new Cast5Crypt(checkLength(name, key, 16));
            case "3des" -> new TripleDesCrypt(checkLength(name, key, 24));
            case "salsa20" -> new Salsa20Crypt(key);
            case "sm4" -> new Sm4Crypt(checkLength(name, key, 16));
            case "none" -> new NoneCrypt();
            default -> throw new IllegalArgumentException("unknown cipher name '" + name + "': use one of " + NAMES);
        };
    }

    /**
     * The accepted cipher names, in kcptun's spelling.
     *
     * @return an immutable list
     */
    public static List<String> names() {
        return NAMES;
    }

    private static byte[] checkLength(String name, byte[] key, int... allowed) {
        for (int a : allowed) {
            if (key.length == a) {
                return key;
            }
        }
        throw new IllegalArgumentException("key length " + key.length + " bytes is invalid for cipher '" + name
                + "': needs " + java.util.Arrays.toString(allowed)
                + " bytes (KeyDerivation.keyFor slices a kcptun passphrase key for you)");
    }

    private static byte[] checkRange(String name, byte[] key, int min, int max) {
        if (key.length < min || key.length > max) {
            throw new IllegalArgumentException("key length " + key.length + " bytes is invalid for cipher '" + name
                    + "': needs " + min + ".." + max + " bytes");
        }
        return key;
    }
}
