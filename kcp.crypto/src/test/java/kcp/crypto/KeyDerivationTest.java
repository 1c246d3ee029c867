package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** PBKDF2-HMAC-SHA1 (RFC 6070 vectors) and kcptun's per-cipher key slicing. */
class KeyDerivationTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldMatchRfc6070Vectors() {
        HexFormat hex = HexFormat.of();
        assertEquals("0c60c80f961f0e71f3a9b524af6012062fe037a6",
                hex.formatHex(KeyDerivation.pbkdf2HmacSha1(ascii("password"), ascii("salt"), 1, 20)));
        assertEquals("4b007901b765489abead49d926f721d065a429c1",
                hex.formatHex(KeyDerivation.pbkdf2HmacSha1(ascii("password"), ascii("salt"), 4096, 20)));
        assertEquals("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038",
                hex.formatHex(KeyDerivation.pbkdf2HmacSha1(ascii("passwordPASSWORDpassword"),
                        ascii("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096, 25)));
        assertEquals("56fa6aa75548099dcc37d7f03425e0c3",
                hex.formatHex(KeyDerivation.pbkdf2HmacSha1(ascii("pass\0word"), ascii("sa\0lt"), 4096, 16)));
    }

    @Test
    void shouldSliceThePassLikeKcptun() {
        byte[] pass = KeyDerivation.kcptun("it's a secrect");
        assertEquals(32, pass.length);
        for (String n : new String[] {"aes-128", "tea", "xtea", "sm4", "cast5", "aes-128-gcm"}) {
            assertArrayEquals(Arrays.copyOf(pass, 16), KeyDerivation.keyFor(n, pass), n);
        }
        for (String n : new String[] {"aes-192", "3des", "aes-192-gcm"}) {
            assertArrayEquals(Arrays.copyOf(pass, 24), KeyDerivation.keyFor(n, pass), n);
        }
        for (String n : new String[] {"aes", "aes-256", "blowfish", "twofish", "salsa20", "xor", "none", "aes-gcm"}) {
            assertArrayEquals(pass, KeyDerivation.keyFor(n, pass), n);
        }
        for (String n : Ciphers.names()) {
            Ciphers.create(n, KeyDerivation.keyFor(n, pass)); // every slice is a valid key
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyDerivation.keyFor("aes-192", new byte[16]));
        assertTrue(e.getMessage().contains("16") && e.getMessage().contains("24"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KeyDerivation.keyFor("rc4", pass));
        assertThrows(IllegalArgumentException.class, () -> KeyDerivation.pbkdf2HmacSha1(pass, pass, 0, 16));
    }
}
