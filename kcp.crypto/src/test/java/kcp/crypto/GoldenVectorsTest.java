package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Java output must equal the committed kcp-go known-answer vectors, byte for byte. */
class GoldenVectorsTest {
    private static GoldenVectors golden;

    @BeforeAll
    static void load() throws Exception {
        golden = GoldenVectors.load();
    }

    @Test
    void shouldEncryptAndDecryptEveryCipherVectorExactlyAsKcpGo() {
        Set<String> seen = new HashSet<>();
        int checked = 0;
        for (GoldenVectors.Vector v : golden.vectors) {
            if (!v.kind().equals("enc")) {
                continue;
            }
            // in the middle of a larger buffer, to prove offsets are honoured and neighbours untouched
            byte[] buf = new byte[v.n() + 10];
            Arrays.fill(buf, (byte) 0x5A);
            System.arraycopy(GoldenVectors.pattern(v.n()), 0, buf, 5, v.n());
            BlockCrypt c = Ciphers.create(v.name(), v.key());
            c.encrypt(buf, 5, v.n());
            assertArrayEquals(v.data(), Arrays.copyOfRange(buf, 5, 5 + v.n()), v.toString());
            c.decrypt(buf, 5, v.n());
            assertArrayEquals(GoldenVectors.pattern(v.n()), Arrays.copyOfRange(buf, 5, 5 + v.n()), v.toString());
            for (int i : new int[] {0, 1, 2, 3, 4, v.n() + 5, v.n() + 9}) {
                assertEquals((byte) 0x5A, buf[i], v + ": byte outside the range changed at " + i);
            }
            seen.add(v.name());
            checked++;
        }
        assertEquals(Set.copyOf(Ciphers.names()), seen, "every cipher name must have golden vectors");
        assertTrue(checked > 250, "expected the full vector set, checked " + checked);
    }

    @Test
    void shouldSealAndOpenEveryCipherDatagramExactlyAsKcpGo() {
        int checked = 0;
        for (GoldenVectors.Vector v : golden.vectors) {
            if (!v.kind().equals("sealed")) {
                continue;
            }
            PacketSealer s = PacketSealer.cfb(Ciphers.create(v.name(), v.key()), GoldenVectors.fixedNonce());
            byte[] buf = new byte[s.headerSize() + v.n()];
            System.arraycopy(payloadFor(v.n()), 0, buf, s.headerSize(), v.n());
            assertEquals(v.data().length, s.seal(buf, 0, v.n()), v.toString());
            assertArrayEquals(v.data(), buf, v.toString());
            PacketSealer opener = PacketSealer.cfb(Ciphers.create(v.name(), v.key()), GoldenVectors.fixedNonce());
            assertEquals(v.n(), opener.open(buf, 0, buf.length), v.toString());
            assertArrayEquals(payloadFor(v.n()), Arrays.copyOfRange(buf, 20, buf.length), v.toString());
            checked++;
        }
        assertTrue(checked >= 3 * Ciphers.names().size(), "sealed vectors checked: " + checked);
    }

    @Test
    void shouldSealAndOpenAesGcmDatagramsExactlyAsGo() {
        int checked = 0;
        for (GoldenVectors.Vector v : golden.vectors) {
            if (!v.kind().equals("gcm")) {
                continue;
            }
            PacketSealer s = PacketSealer.aesGcm(v.key(), GoldenVectors.fixedNonce());
            byte[] buf = new byte[12 + v.n() + 16];
            System.arraycopy(payloadFor(v.n()), 0, buf, 12, v.n());
            assertEquals(buf.length, s.seal(buf, 0, v.n()), v.toString());
            assertArrayEquals(v.data(), buf, v.toString());
            PacketSealer opener = PacketSealer.forName(v.name(), v.key());
            assertEquals(v.n(), opener.open(buf, 0, buf.length), v.toString());
            assertArrayEquals(payloadFor(v.n()), Arrays.copyOfRange(buf, 12, 12 + v.n()), v.toString());
            checked++;
        }
        assertEquals(9, checked, "AES-128/192/256-GCM x 3 payloads");
    }

    @Test
    void shouldDeriveTheSimpleXorTableAndKcptunKeysAsKcpGo() {
        byte[] zeros = new byte[1500];
        Ciphers.create("xor", golden.pass).encrypt(zeros, 0, zeros.length);
        assertArrayEquals(golden.xorTable, zeros);
        byte[] pass = KeyDerivation.pbkdf2HmacSha1("testkey".getBytes(StandardCharsets.US_ASCII),
                "testsalt".getBytes(StandardCharsets.US_ASCII), 4096, 32);
        assertArrayEquals(golden.pass, pass);
        assertEquals(3, golden.kdfs.size());
        for (GoldenVectors.Kdf k : golden.kdfs) {
            assertArrayEquals(k.key(), KeyDerivation.kcptun(k.phrase()), "kcptun key for \"" + k.phrase() + "\"");
        }
    }

    @Test
    void shouldMatchTheSpecSection13VectorsIndependentlyOfTheGoldenFile() {
        // spec 13.5: KCP "hello" PUSH, AES-128 = pass[:16], nonce 00..0f / 00..0b
        HexFormat hex = HexFormat.of();
        byte[] pass = hex.parseHex("da1d64a0c5d75506d4ea09ec83eee11e3d781d8f59fe987cc94ad4b3cdc7ead9");
        byte[] kcp = hex.parseHex("0403020151002000e803000000000000000000000500000068656c6c6f");
        byte[] buf = new byte[20 + kcp.length];
        System.arraycopy(kcp, 0, buf, 20, kcp.length);
        PacketSealer.cfb(Ciphers.create("aes-128", Arrays.copyOf(pass, 16)), GoldenVectors.fixedNonce())
                .seal(buf, 0, kcp.length);
        assertEquals("837c11cfd0f743bef522599e0e635f7b84070500d9178e5a808eeee7a0d4b2af118a411f62bf529a1121b0"
                + "432d26b84fe6", hex.formatHex(buf));
        byte[] gcm = new byte[12 + kcp.length + 16];
        System.arraycopy(kcp, 0, gcm, 12, kcp.length);
        PacketSealer.aesGcm(Arrays.copyOf(pass, 16), GoldenVectors.fixedNonce()).seal(gcm, 0, kcp.length);
        assertEquals("000102030405060708090a0b7770bcb94dca43b9cf6097f90d524edfbd654f558bda2a73784258db5f113e"
                + "3a9288449c7f94efea08fadd90c7", hex.formatHex(gcm));
        byte[] tea = GoldenVectors.pattern(33);
        Ciphers.create("tea", Arrays.copyOf(pass, 16)).encrypt(tea, 0, 33);
        assertEquals("8f3a4104e40730b6e30bbb9b9d2148707a9fba10c96ed5c72a63a401147604f87c", hex.formatHex(tea));
    }

    /** The generator's payloads: spec 13.5's KCP packet for 29 bytes, else the (7i+3) pattern. */
    private static byte[] payloadFor(int n) {
        return n == 29 ? HexFormat.of().parseHex("0403020151002000e803000000000000000000000500000068656c6c6f")
                : GoldenVectors.pattern(n);
    }
}
