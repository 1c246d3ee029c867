package kcp.smux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import kcp.smux.SnappyFormatException;

class SnappyBlockTest {
    private static final HexFormat HEX = HexFormat.of();

    /** golang/snappy 0.0.2's {@code Encode} of these inputs, each decoded by hand in the comment. */
    @Test
    void shouldEncodeExactlyAsGolangSnappy() {
        // 00: length 0
        assertEncodes("", "00");
        // 01 | literal(1) 'a'
        assertEncodes("a", "010061");
        // 05 | literal(5) "hello"
        assertEncodes("hello", "051068656c6c6f");
        // 20 | literal "a" | copy2 len 19 off 1
        assertEncodes("a".repeat(20), "1400614a0100");
        // 320 | literal(8) "abcdefgh" | 4 x copy2 len 64 off 8 | copy2 len 56 off 8
        assertEncodes("abcdefgh".repeat(40), "c0021c6162636465666768fe0800fe0800fe0800fe0800de0800");
        // 200 | literal "x" | 3 x copy2 len 64 off 1 | copy1 len 7 off 1
        assertEncodes("x".repeat(200), "c8010078fe0100fe0100fe01000d01");
        // 97 | literal(24) | copy1 len 4 off 9 | literal(21) | copy2 len 47 off 49 | literal "!"
        assertEncodes("Go is expressive, concise, clean, and efficient."
                        + " Go is expressive, concise, clean, and efficient!",
                "615c476f20697320657870726573736976652c20636f6e6369730109506c65616e2c20616e6420656666696369656e742e"
                        + "20ba31000021");
    }

    private static void assertEncodes(String text, String hex) {
        byte[] src = text.getBytes(StandardCharsets.US_ASCII);
        byte[] dst = new byte[SnappyBlock.maxCompressedLength(src.length) + 3];
        int n = new SnappyBlock().compress(src, 0, src.length, dst, 3);
        assertEquals(hex, HEX.formatHex(dst, 3, 3 + n), text);
    }

    @Test
    void shouldDecodeEveryTagKind() throws Exception {
        assertDecodes("hello", "051068656c6c6f");
        // literal "abcd" then copy1 len 8 off 4, copy2 len 8 off 4, copy4 len 8 off 4
        assertDecodes("abcdabcdabcd", "0c0c61626364" + "1104");
        assertDecodes("abcdabcdabcd", "0c0c61626364" + "1e0400");
        assertDecodes("abcdabcdabcd", "0c0c61626364" + "1f04000000");
        // overlapping copy (run length): "a" then copy1 len 9 off 1
        assertDecodes("a".repeat(10), "0a0061" + "1501");
        // literal lengths in 1, 2, 3 and 4 extra bytes (tags 60..63)
        for (int m = 60; m <= 63; m++) {
            int len = 61;
            StringBuilder hex = new StringBuilder("3d").append(HEX.toHexDigits((byte) (m << 2)));
            hex.append(HEX.toHexDigits((byte) (len - 1)));
            hex.append("00".repeat(m - 60));
            hex.append("7a".repeat(len));
            assertDecodes("z".repeat(len), hex.toString());
        }
        // copy1 with a high offset byte: offset 0x100 + 1 = 257
        String lit = "q".repeat(256) + "r";
        String hex = "8502" + "f0ff" + HEX.formatHex(("q".repeat(256)).getBytes(StandardCharsets.US_ASCII)) + "0072"
                + "2101";
        assertDecodes(lit + "qqqq", hex);
    }

    private static void assertDecodes(String text, String hex) throws SnappyFormatException {
        byte[] src = HEX.parseHex(hex);
        byte[] dst = new byte[text.length() + 10];
        int n = SnappyBlock.decompress(src, 0, src.length, dst, 5, text.length() + 5);
        assertEquals(text, new String(dst, 5, n, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRejectHostileBlocksWithAMessage() {
        assertCorrupt("", "truncated");
        assertCorrupt("80", "truncated");
        assertCorrupt("ffffffffffffffffffff01", "32 bits");
        assertCorrupt("8080808010", "32 bits");
        assertCorrupt("ffffffff0f", "exceeds the limit");
        assertCorrupt("0510686568", "runs past the end");
        assertCorrupt("02106868686868", "overruns the decoded length");
        assertCorrupt("05f0", "length bytes run past");
        assertCorrupt("05fcffffffff", "overruns the decoded length");
        assertCorrupt("050061" + "0d00", "offset 0");
        assertCorrupt("050061" + "0d02", "offset 2 points before the start");
        assertCorrupt("050061" + "1f00000080", "points before the start");
        assertCorrupt("050061" + "1f01000000", "overruns the decoded length");
        assertCorrupt("050061" + "0d", "copy tag truncated");
        assertCorrupt("050061" + "0e01", "copy tag truncated");
        assertCorrupt("050061" + "0f010000", "copy tag truncated");
        assertCorrupt("050061" + "0062", "decoded 2 bytes but the header says 5");
        assertCorrupt("0500", "runs past the end");
    }

    private static void assertCorrupt(String hex, String expected) {
        byte[] src = HEX.parseHex(hex);
        byte[] dst = new byte[64];
        byte[] before = dst.clone();
        SnappyFormatException e = assertThrows(SnappyFormatException.class,
                () -> SnappyBlock.decompress(src, 0, src.length, dst, 32, 32), hex);
        assertTrue(e.getMessage().contains(expected), hex + ": " + e.getMessage());
        assertArrayEquals(Arrays.copyOf(before, 32), Arrays.copyOf(dst, 32), "wrote before dstOff");
    }

    @Test
    void shouldRoundTripSeededDataOfEverySizeClass() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20261207);
        SnappyBlock block = new SnappyBlock();
        int[] sizes = {0, 1, 15, 16, 17, 18, 100, 1400, 4096, 65535, 65536, 65537, 200_000};
        for (int size : sizes) {
            for (int kind = 0; kind < 4; kind++) {
                byte[] src = TestData.make(rnd, size, kind);
                byte[] enc = new byte[SnappyBlock.maxCompressedLength(size)];
                int n = block.compress(src, 0, size, enc, 0);
                byte[] dec = new byte[size];
                assertEquals(size, SnappyBlock.decompress(enc, 0, n, dec, 0, size));
                assertArrayEquals(src, dec, "size " + size + " kind " + kind);
                if (kind == TestData.TEXT && size >= 4096) {
                    assertTrue(n < size / 2, "text of " + size + " compressed only to " + n);
                }
            }
        }
    }

    @Test
    void shouldNeverThrowAnythingButFormatExceptionsOnMutatedBlocks() {
        SplittableRandom rnd = new SplittableRandom(99);
        SnappyBlock block = new SnappyBlock();
        byte[] src = TestData.make(rnd, 3000, TestData.TEXT);
        byte[] enc = new byte[SnappyBlock.maxCompressedLength(src.length)];
        int n = block.compress(src, 0, src.length, enc, 0);
        byte[] dst = new byte[4000];
        int failures = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = Arrays.copyOf(enc, n);
            for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                bad[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(8) == 0 ? rnd.nextInt(n + 1) : n;
            try {
                SnappyBlock.decompress(bad, 0, len, dst, 0, dst.length);
            } catch (SnappyFormatException e) {
                failures++;
            }
        }
        assertTrue(failures > 1000, "mutations should mostly be caught, got " + failures);
    }
}
