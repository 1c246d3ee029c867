package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips over every length 0..2048 for every cipher, independent instances, misuse errors. */
class CipherPropertiesTest {
    private static final long SEED = 0x6b63702d6a617661L;

    static Stream<String> names() {
        return Ciphers.names().stream();
    }

    /** A key of the size kcptun would give this cipher, from a seeded generator. */
    static byte[] keyFor(String name, SplittableRandom rnd) {
        byte[] pass = new byte[32];
        rnd.nextBytes(pass);
        return KeyDerivation.keyFor(name, pass);
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldRoundTripEveryLengthUpTo2048(String name) {
        SplittableRandom rnd = new SplittableRandom(SEED ^ name.hashCode());
        byte[] key = keyFor(name, rnd);
        BlockCrypt enc = Ciphers.create(name, key);
        BlockCrypt dec = Ciphers.create(name, key);
        byte[] plain = new byte[2048 + 3];
        byte[] buf = new byte[plain.length];
        for (int len = 0; len <= 2048; len++) {
            rnd.nextBytes(plain);
            System.arraycopy(plain, 0, buf, 0, plain.length);
            enc.encrypt(buf, 3, len);
            if (!name.equals("none") && len >= 24) {
                assertFalse(Arrays.equals(plain, 3, 3 + len, buf, 3, 3 + len),
                        name + " left " + len + " bytes unencrypted (seed " + SEED + ")");
            }
            dec.decrypt(buf, 3, len);
            assertArrayEquals(plain, buf, name + " round trip failed at length " + len + " (seed " + SEED + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldKeepInstancesIndependentWhenInterleaved(String name) {
        // kcp-go <= 5.6.46 shared scratch buffers across sessions; two of our instances must not interfere.
        SplittableRandom rnd = new SplittableRandom(SEED);
        byte[] key = keyFor(name, rnd);
        BlockCrypt a = Ciphers.create(name, key);
        BlockCrypt b = Ciphers.create(name, key);
        byte[] p1 = new byte[1500];
        byte[] p2 = new byte[1399];
        rnd.nextBytes(p1);
        rnd.nextBytes(p2);
        byte[] ref1 = p1.clone();
        byte[] ref2 = p2.clone();
        Ciphers.create(name, key).encrypt(ref1, 0, ref1.length);
        Ciphers.create(name, key).encrypt(ref2, 0, ref2.length);
        byte[] c1 = p1.clone();
        byte[] c2 = p2.clone();
        a.encrypt(c1, 0, c1.length);
        b.encrypt(c2, 0, c2.length);
        b.decrypt(c1, 0, c1.length);
        a.decrypt(c2, 0, c2.length);
        assertArrayEquals(p1, c1, name);
        assertArrayEquals(p2, c2, name);
        a.encrypt(c1, 0, c1.length);
        assertArrayEquals(ref1, c1, name + ": output depends on the instance's history");
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldEncryptAndDecryptTheSameAfterTrim(String name) {
        SplittableRandom rnd = new SplittableRandom(SEED ^ 77);
        byte[] key = keyFor(name, rnd);
        BlockCrypt trimmed = Ciphers.create(name, key);
        BlockCrypt fresh = Ciphers.create(name, key);
        for (int len : new int[] {1500, 0, 17, 1400, 2048, 33}) {
            byte[] p = new byte[len];
            rnd.nextBytes(p);
            byte[] a = p.clone();
            byte[] b = p.clone();
            trimmed.trim();
            trimmed.encrypt(a, 0, len);
            fresh.encrypt(b, 0, len);
            assertArrayEquals(b, a, name + " encrypt after trim, length " + len);
            trimmed.trim();
            trimmed.decrypt(a, 0, len);
            assertArrayEquals(p, a, name + " decrypt after trim, length " + len);
        }
    }

    @Test
    void shouldRejectUnknownNamesAndBadKeySizesNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ciphers.create("rot13", new byte[16]));
        assertTrue(e.getMessage().contains("rot13") && e.getMessage().contains("aes-128"), e.getMessage());
        byte[] invalid = "invalid".getBytes(java.nio.charset.StandardCharsets.US_ASCII); // kcp-go TestCryptErrors
        for (String name : new String[] {"sm4", "twofish", "3des", "cast5", "aes", "aes-128", "tea", "xtea"}) {
            IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                    () -> Ciphers.create(name, invalid), name);
            assertTrue(k.getMessage().contains("7 bytes") && k.getMessage().contains(name), k.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Ciphers.create("blowfish", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Ciphers.create("blowfish", new byte[57]));
        assertThrows(IllegalArgumentException.class, () -> Ciphers.create("aes", null));
        Ciphers.create("none", null).encrypt(new byte[4], 0, 4);
        Ciphers.create("salsa20", new byte[0]).encrypt(new byte[40], 0, 40);
        Ciphers.create("xor", new byte[0]).encrypt(new byte[40], 0, 40);
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldThrowIndexOutOfBoundsForRangesOutsideTheBuffer(String name) {
        BlockCrypt c = Ciphers.create(name, keyFor(name, new SplittableRandom(SEED)));
        assertThrows(IndexOutOfBoundsException.class, () -> c.encrypt(new byte[10], 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> c.decrypt(new byte[10], -1, 2));
    }

    @Test
    void shouldLeaveSalsa20DatagramsShorterThanItsNonceUnchanged() {
        BlockCrypt c = Ciphers.create("salsa20", new byte[32]);
        byte[] b = {1, 2, 3, 4, 5, 6, 7};
        c.decrypt(b, 0, 7);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, b);
        byte[] nine = GoldenVectors.pattern(9);
        c.encrypt(nine, 0, 9);
        assertArrayEquals(Arrays.copyOf(GoldenVectors.pattern(9), 8), Arrays.copyOf(nine, 8), "nonce stays clear");
        assertEquals(9, nine.length);
    }
}
