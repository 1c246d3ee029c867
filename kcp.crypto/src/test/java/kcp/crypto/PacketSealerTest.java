package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sealing/opening: round trips, wrong keys, tampering, short and random datagrams. */
class PacketSealerTest {
    private static final long SEED = 0x5ea1ed;

    static Stream<String> sealerNames() {
        return Stream.concat(Ciphers.names().stream(), PacketSealer.aeadNames().stream());
    }

    private static PacketSealer sealer(String name, byte[] pass) {
        return PacketSealer.forName(name, KeyDerivation.keyFor(name, pass));
    }

    private static byte[] pass(long seed) {
        byte[] p = new byte[32];
        new SplittableRandom(seed).nextBytes(p);
        return p;
    }

    @ParameterizedTest
    @MethodSource("sealerNames")
    void shouldRoundTripEveryPayloadLengthUpTo2048AcrossTrims(String name) {
        PacketSealer s = sealer(name, pass(SEED));
        PacketSealer o = sealer(name, pass(SEED));
        SplittableRandom rnd = new SplittableRandom(SEED);
        int h = s.headerSize();
        boolean aead = PacketSealer.aeadNames().contains(name);
        assertEquals(aead ? (name.startsWith("xchacha") ? 24 : 12) : 20, h);
        assertEquals(aead ? 16 : 0, s.trailerSize());
        byte[] buf = new byte[7 + h + 2048 + s.trailerSize()];
        byte[] payload = new byte[2048];
        for (int n = 0; n <= 2048; n++) {
            rnd.nextBytes(payload);
            System.arraycopy(payload, 0, buf, 7 + h, n);
            if (n % 97 == 0) { // an idle pause now and then must not change a byte
                s.trim();
                o.trim();
            }
            int len = s.seal(buf, 7, n);
            assertEquals(h + n + s.trailerSize(), len);
            assertEquals(n, o.open(buf, 7, len), name + " payload " + n + " (seed " + SEED + ")");
            assertTrue(Arrays.equals(payload, 0, n, buf, 7 + h, 7 + h + n), name + " payload " + n);
        }
    }

    @ParameterizedTest
    @MethodSource("sealerNames")
    void shouldReportWrongKeyAsFailureNeverAsException(String name) {
        if (name.equals("none")) {
            return; // no key at all
        }
        PacketSealer s = sealer(name, pass(1));
        PacketSealer wrong = sealer(name, pass(2));
        SplittableRandom rnd = new SplittableRandom(SEED);
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            int n = rnd.nextInt(0, 1400);
            byte[] buf = new byte[s.headerSize() + n + s.trailerSize()];
            rnd.nextBytes(buf);
            int len = s.seal(buf, 0, n);
            if (wrong.open(buf, 0, len) == -1) {
                failures++;
            }
        }
        assertEquals(200, failures, name + ": every packet under the wrong key must fail the CRC/tag check");
    }

    @ParameterizedTest
    @MethodSource("sealerNames")
    void shouldRejectEveryFlippedBitInTheProtectedRegion(String name) {
        PacketSealer s = sealer(name, pass(3));
        PacketSealer o = sealer(name, pass(3));
        int n = 100;
        byte[] sealed = new byte[s.headerSize() + n + s.trailerSize()];
        new SplittableRandom(SEED).nextBytes(sealed);
        int len = s.seal(sealed, 0, n);
        // AES-GCM authenticates every byte. kcp-go's CFB framing checks a CRC over the payload only, so
        // nonce bytes whose change garbles nothing checked are unprotected, exactly as in kcp-go: the
        // first 8 bytes for 8-byte-block ciphers, all 16 for xor/none, bytes 8..15 for Salsa20 (XORed
        // with the keystream; bytes 0..7 are the Salsa20 nonce and garble everything).
        int from = switch (name) {
            case "none", "xor" -> 16;
            case "tea", "xtea", "blowfish", "cast5", "3des" -> 8;
            default -> 0;
        };
        for (int i = from; i < len; i++) {
            if (name.equals("salsa20") && i >= 8 && i < 16) {
                continue;
            }
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] b = sealed.clone();
                b[i] ^= (byte) (1 << bit);
                assertEquals(-1, o.open(b, 0, len), name + ": flipped bit " + bit + " of byte " + i + " accepted");
            }
        }
        assertEquals(n, o.open(sealed.clone(), 0, len), name + ": untouched datagram must open");
    }

    @ParameterizedTest
    @MethodSource("sealerNames")
    void shouldNeverThrowOnShortOrRandomDatagrams(String name) {
        PacketSealer o = sealer(name, pass(4));
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int len = 0; len <= 1500; len += (len < 64 ? 1 : 37)) {
            byte[] b = new byte[len + 2];
            rnd.nextBytes(b);
            int r = o.open(b, 1, len);
            if (len < o.headerSize() + o.trailerSize()) {
                assertEquals(-1, r, name + " short datagram " + len);
            }
            assertTrue(r == -1 || (name.equals("none") && r == len - 20),
                    name + " random datagram " + len + " -> " + r);
        }
    }

    @Test
    void shouldRejectMisuseWithDescriptiveExceptions() {
        PacketSealer s = PacketSealer.forName("aes-128", new byte[16]);
        assertThrows(IndexOutOfBoundsException.class, () -> s.seal(new byte[30], 0, 20));
        assertThrows(IllegalArgumentException.class, () -> s.seal(new byte[30], 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.open(new byte[30], 20, 20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PacketSealer.forName("aes-128-gcm", new byte[32]));
        assertTrue(e.getMessage().contains("32 bytes") && e.getMessage().contains("16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PacketSealer.forName("chacha-gcm", new byte[32]));
        assertThrows(IllegalArgumentException.class,
                () -> PacketSealer.aesGcm(new byte[15], NonceSource.secureDefault()));
        PacketSealer gcm = PacketSealer.aesGcm(new byte[16], GoldenVectors.fixedNonce());
        gcm.seal(new byte[40], 0, 12);
        IllegalStateException reuse = assertThrows(IllegalStateException.class, () -> gcm.seal(new byte[40], 0, 12));
        assertTrue(reuse.getMessage().contains("nonce"), reuse.getMessage());
    }

    @Test
    void shouldAcceptKcpGoDatagramsSealedWithTheNoneCipherAndCheckTheirCrc() {
        PacketSealer s = PacketSealer.cfb(Ciphers.create("none", null), GoldenVectors.fixedNonce());
        byte[] b = new byte[25];
        b[20] = 42;
        assertEquals(25, s.seal(b, 0, 5));
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, Arrays.copyOf(b, 16));
        assertEquals(5, s.open(b, 0, 25));
        b[24] ^= 1;
        assertEquals(-1, s.open(b, 0, 25));
    }
}
