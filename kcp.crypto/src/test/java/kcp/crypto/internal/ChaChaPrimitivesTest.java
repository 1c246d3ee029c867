package kcp.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import kcp.crypto.AeadVectors;
import kcp.crypto.AeadVectors.Primitive;
import org.junit.jupiter.api.Test;

/** HChaCha20 and Poly1305 against golang.org/x/crypto's output (golden/aead-vectors.txt) and RFC 8439. */
class ChaChaPrimitivesTest {
    @Test
    void shouldDeriveTheSameHChaCha20SubkeysAsGo() throws Exception {
        int checked = 0;
        for (Primitive p : AeadVectors.load().primitives) {
            if (!p.kind().equals("hchacha20")) {
                continue;
            }
            byte[] out = new byte[40];
            byte[] nonce = new byte[20];
            System.arraycopy(p.fields().get(1), 0, nonce, 3, 16);
            HChaCha20.subkey(p.fields().get(0), 0, nonce, 3, out, 5);
            assertArrayEquals(p.fields().get(2), Arrays.copyOfRange(out, 5, 37));
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void shouldComputeTheSameTagsAsGoPoly1305() throws Exception {
        int checked = 0;
        byte[] scratch = new byte[16];
        for (Primitive p : AeadVectors.load().primitives) {
            if (!p.kind().startsWith("poly1305")) {
                continue;
            }
            byte[] msg = p.kind().equals("poly1305ff") ? filled(p.n()) : pattern(p.n());
            assertArrayEquals(p.fields().get(1), tag(p.fields().get(0), msg, scratch), p.kind() + " n=" + p.n());
            checked++;
        }
        assertEquals(15, checked);
    }

    @Test
    void shouldMatchRfc8439Section252() {
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", hex.formatHex(tag(key, msg, new byte[16])));
    }

    private static byte[] tag(byte[] key, byte[] msg, byte[] scratch) {
        Poly1305 poly = new Poly1305();
        poly.init(key, 0);
        int whole = msg.length & ~15;
        poly.blocks(msg, 0, whole);
        if (whole != msg.length) {
            poly.tail(msg, whole, msg.length - whole, scratch);
        }
        byte[] out = new byte[16];
        poly.finish(out, 0);
        return out;
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (7 * i + 3);
        }
        return b;
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xff);
        return b;
    }
}
