package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kcp-go v5.6.72's AEAD framing ({@code NewAEADCrypt}) for AES-GCM, ChaCha20-Poly1305 and XChaCha20-Poly1305:
 * Java seals Go's bytes exactly, opens them, drops every damaged datagram, and Go opens what Java seals.
 */
class AeadTest {
    private static AeadVectors golden;

    @BeforeAll
    static void load() throws Exception {
        golden = AeadVectors.load();
    }

    private static int nonceSize(String name) {
        return name.startsWith("xchacha") ? 24 : 12;
    }

    @Test
    void shouldSealAndOpenEveryAeadDatagramExactlyAsGo() {
        Set<String> names = new HashSet<>();
        for (AeadVectors.Datagram v : golden.datagrams) {
            int ns = nonceSize(v.name());
            PacketSealer s = PacketSealer.aead(aead(v.name(), v.key()), GoldenVectors.fixedNonce());
            assertEquals(ns, s.headerSize(), v.toString());
            assertEquals(16, s.trailerSize(), v.toString());
            // in the middle of a larger buffer: offsets honoured, neighbours untouched
            byte[] buf = new byte[3 + ns + v.n() + 16 + 4];
            Arrays.fill(buf, (byte) 0x5A);
            System.arraycopy(AeadVectors.payloadFor(v.n()), 0, buf, 3 + ns, v.n());
            assertEquals(v.data().length, s.seal(buf, 3, v.n()), v.toString());
            assertArrayEquals(v.data(), Arrays.copyOfRange(buf, 3, 3 + v.data().length), v.toString());
            PacketSealer o = PacketSealer.forName(v.name(), v.key());
            assertEquals(v.n(), o.open(buf, 3, v.data().length), v.toString());
            assertArrayEquals(AeadVectors.payloadFor(v.n()), Arrays.copyOfRange(buf, 3 + ns, 3 + ns + v.n()),
                    v.toString());
            assertEquals((byte) 0x5A, buf[2], v.toString());
            assertEquals((byte) 0x5A, buf[buf.length - 1], v.toString());
            names.add(v.name());
        }
        assertEquals(Set.of("aes-128-gcm", "aes-256-gcm", "chacha20-poly1305", "xchacha20-poly1305"), names);
        assertEquals(44, golden.datagrams.size());
    }

    @Test
    void shouldDropTruncatedTamperedAndMisKeyedDatagramsFromGo() {
        int dropped = 0;
        for (AeadVectors.Datagram v : golden.datagrams) {
            PacketSealer o = PacketSealer.forName(v.name(), v.key());
            byte[] d = v.data();
            // truncated: one byte short, and everything shorter than nonce + tag
            assertEquals(-1, o.open(d.clone(), 0, d.length - 1), v + " truncated by one byte");
            for (int len = 0; len < nonceSize(v.name()) + 16; len++) {
                assertEquals(-1, o.open(d.clone(), 0, Math.min(len, d.length)), v + " truncated to " + len);
            }
            // tag, first nonce byte, last nonce byte, first ciphertext byte: each flipped
            for (int i : new int[] {d.length - 1, d.length - 16, 0, nonceSize(v.name()) - 1,
                nonceSize(v.name())}) {
                byte[] t = d.clone();
                t[i] ^= 0x01;
                assertEquals(-1, o.open(t, 0, t.length), v + " byte " + i + " flipped");
                dropped++;
            }
            byte[] wrongKey = v.key().clone();
            wrongKey[0] ^= 1;
            assertEquals(-1, PacketSealer.forName(v.name(), wrongKey).open(d.clone(), 0, d.length), v + " wrong key");
            // an extra byte makes the last 16 bytes no longer the tag
            byte[] longer = Arrays.copyOf(d, d.length + 1);
            assertEquals(-1, o.open(longer, 0, longer.length), v + " one byte appended");
            // and the untouched datagram still opens with the same opener
            assertEquals(v.n(), o.open(d.clone(), 0, d.length), v.toString());
        }
        assertTrue(dropped >= 5 * 44);
    }

    @Test
    void shouldBeOpenedByGoWhenSealedByJavaWithRandomNonces() throws Exception {
        Path root = GoldenRegenerationTest.root();
        Path bin = GoldenRegenerationTest.goBinary(root, "aeadvec");
        HexFormat hex = HexFormat.of();
        StringBuilder lines = new StringBuilder();
        SplittableRandom rnd = new SplittableRandom(0xAEADL);
        int count = 0;
        for (String name : PacketSealer.aeadNames()) {
            byte[] key = KeyDerivation.keyFor(name, KeyDerivation.kcptun("go verifies java"));
            PacketSealer s = PacketSealer.forName(name, key); // secure default nonces, as a session uses
            for (int n : new int[] {0, 1, 15, 16, 17, 29, 64, 1000, 1500 - s.headerSize() - s.trailerSize()}) {
                byte[] payload = new byte[n];
                rnd.nextBytes(payload);
                byte[] buf = new byte[s.headerSize() + n + s.trailerSize()];
                System.arraycopy(payload, 0, buf, s.headerSize(), n);
                assertEquals(buf.length, s.seal(buf, 0, n));
                // "-" keeps an empty payload a visible field
                lines.append(name).append(' ').append(hex.formatHex(key)).append(" -").append(hex.formatHex(payload))
                        .append(' ').append(hex.formatHex(buf)).append('\n');
                count++;
            }
        }
        String out = GoldenRegenerationTest.run(root, 60, lines.toString(), bin.toString(), "verify");
        assertEquals("ok " + count, out.strip());
    }

    @Test
    void shouldRefuseBadKeysAndRepeatedNoncesWithMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PacketSealer.forName("chacha20-poly1305", new byte[16]));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Aead.xchacha20Poly1305(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> PacketSealer.forName("xchacha20-poly1305", null));
        PacketSealer cc = PacketSealer.aead(Aead.chacha20Poly1305(new byte[32]), GoldenVectors.fixedNonce());
        cc.seal(new byte[40], 0, 12);
        IllegalStateException reuse = assertThrows(IllegalStateException.class, () -> cc.seal(new byte[40], 0, 12));
        assertTrue(reuse.getMessage().contains("nonce"), reuse.getMessage());
    }

    private static Aead aead(String name, byte[] key) {
        return switch (name) {
            case "chacha20-poly1305" -> Aead.chacha20Poly1305(key);
            case "xchacha20-poly1305" -> Aead.xchacha20Poly1305(key);
            default -> Aead.aesGcm(key);
        };
    }
}
