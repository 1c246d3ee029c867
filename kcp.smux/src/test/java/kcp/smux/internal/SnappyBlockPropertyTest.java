package kcp.smux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import kcp.smux.SnappyFormatException;

/**
 * {@link SnappyBlock}'s fast paths (8-byte literal and copy moves, the fast decoder loop and its byte-checked
 * tail, the pattern-widening copy for offsets below 8, the reordered copy emitter) checked against
 * {@link SnappyBlockReference}, the plain implementation they replaced, and against a naive decoder.
 */
class SnappyBlockPropertyTest {
    private static final byte SENTINEL = (byte) 0xa5;

    /** Every length 0 to 2,100 and every length within 40 of each 64 KiB block boundary up to 70,000. */
    @Test
    void shouldMatchTheReferenceAtEveryLengthAndBlockBoundary() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20261207);
        for (int kind : new int[] {TestData.RANDOM, TestData.TEXT, TestData.RUNS, TestData.MIXED}) {
            byte[] data = TestData.make(rnd, 140_000, kind);
            for (int len = 0; len <= 2100; len++) {
                checkRoundTrip(data, 7, len);
            }
            for (int boundary : new int[] {16, 17, 4096, 65536, 65536 * 2}) {
                for (int len = Math.max(0, boundary - 40); len <= boundary + 40; len++) {
                    checkRoundTrip(data, 3, len);
                }
            }
            for (int len = 2101; len <= 70_000; len += 997) {
                checkRoundTrip(data, 0, len);
            }
        }
    }

    /** Compressed bytes equal the reference's (so golang/snappy's); both decoders restore the input. */
    private static void checkRoundTrip(byte[] data, int off, int len) throws SnappyFormatException {
        int max = SnappyBlock.maxCompressedLength(len);
        byte[] fast = new byte[max + 5];
        byte[] ref = new byte[max + 5];
        int n = new SnappyBlock().compress(data, off, len, fast, 5);
        int m = new SnappyBlockReference().compress(data, off, len, ref, 5);
        if (n != m || !Arrays.equals(fast, 5, 5 + n, ref, 5, 5 + m)) {
            fail("compressed bytes differ from the reference at length " + len + " (" + n + " vs " + m + ")");
        }
        byte[] expected = Arrays.copyOfRange(data, off, off + len);
        // Exact room, room with scratch, and a destination offset: every path of the decoder.
        byte[] exact = guarded(len, 0);
        assertEquals(len, SnappyBlock.decompress(fast, 5, n, exact, 2, len));
        assertDecoded(expected, exact, 2, len, 0);
        byte[] slack = guarded(len, SnappyBlock.DECODE_SLACK);
        assertEquals(len, SnappyBlock.decompress(fast, 5, n, slack, 2, len, len + SnappyBlock.DECODE_SLACK));
        assertDecoded(expected, slack, 2, len, SnappyBlock.DECODE_SLACK);
    }

    /** A destination with 2 guard bytes before the window and 2 after its scratch. */
    private static byte[] guarded(int len, int scratch) {
        byte[] b = new byte[2 + len + scratch + 2];
        Arrays.fill(b, SENTINEL);
        return b;
    }

    private static void assertDecoded(byte[] expected, byte[] dst, int off, int len, int scratch) {
        assertTrue(Arrays.equals(expected, 0, len, dst, off, off + len), "decoded bytes differ at length " + len);
        for (int i = 0; i < off; i++) {
            assertEquals(SENTINEL, dst[i], "byte written before the window at length " + len);
        }
        for (int i = off + len + scratch; i < dst.length; i++) {
            assertEquals(SENTINEL, dst[i], "byte written past the scratch range at length " + len);
        }
    }

    /** Every offset 1 to 64 with copy lengths 1 to 64 (and 65 to 200 for offsets 1 to 9), at a block's end. */
    @Test
    void shouldCopyOverlappingMatchesAtEveryOffset() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int offset = 1; offset <= 64; offset++) {
            int maxLength = offset <= 9 ? 200 : 64;
            for (int length = 1; length <= maxLength; length++) {
                for (int tail = 0; tail <= 20; tail += 20) {
                    // literal(offset bytes) copy(length, offset) [literal(tail bytes)]
                    byte[] head = new byte[offset];
                    rnd.nextBytes(head);
                    byte[] after = new byte[tail];
                    rnd.nextBytes(after);
                    ByteArrayOutputStream block = new ByteArrayOutputStream();
                    int total = offset + length + tail;
                    putUvarint(block, total);
                    putLiteral(block, head);
                    for (int left = length; left > 0; ) {
                        int k = Math.min(64, left);
                        block.write(((k - 1) << 2) | 2);
                        block.write(offset);
                        block.write(offset >>> 8);
                        left -= k;
                    }
                    if (tail > 0) {
                        putLiteral(block, after);
                    }
                    byte[] src = block.toByteArray();
                    byte[] expected = naiveDecode(src, total);
                    for (int scratch : new int[] {0, SnappyBlock.DECODE_SLACK}) {
                        byte[] dst = guarded(total, scratch);
                        SnappyBlock.decompress(src, 0, src.length, dst, 2, total, total + scratch);
                        assertDecoded(expected, dst, 2, total, scratch);
                    }
                    // Padded with a long literal in front, the copy runs inside the fast loop too.
                    byte[] lead = new byte[100];
                    rnd.nextBytes(lead);
                    ByteArrayOutputStream padded = new ByteArrayOutputStream();
                    putUvarint(padded, 100 + total + 40);
                    putLiteral(padded, lead);
                    padded.write(src, uvarintLength(total), src.length - uvarintLength(total));
                    putLiteral(padded, new byte[40]);
                    byte[] p = padded.toByteArray();
                    byte[] want = naiveDecode(p, 100 + total + 40);
                    byte[] dst = guarded(100 + total + 40, 0);
                    SnappyBlock.decompress(p, 0, p.length, dst, 2, 100 + total + 40);
                    assertDecoded(want, dst, 2, 100 + total + 40, 0);
                }
            }
        }
    }

    /** Mutated blocks: the fast decoder accepts exactly what the reference accepts, with the same output. */
    @Test
    void shouldAcceptExactlyWhatTheReferenceAccepts() {
        SplittableRandom rnd = new SplittableRandom(99);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++) {
            int kind = rnd.nextInt(4);
            byte[] data = TestData.make(rnd, 1 + rnd.nextInt(3000), kind);
            byte[] c = new byte[SnappyBlock.maxCompressedLength(data.length)];
            int n = new SnappyBlock().compress(data, 0, data.length, c, 0);
            byte[] src = Arrays.copyOf(c, n);
            int mutations = 1 + rnd.nextInt(3);
            for (int k = 0; k < mutations; k++) {
                int at = rnd.nextInt(src.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> src[at] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> src[at] = (byte) rnd.nextInt(256);
                    default -> src = Arrays.copyOf(src, at);
                }
                if (src.length == 0) {
                    break;
                }
            }
            int limit = 4000;
            byte[] fastOut = new byte[limit + SnappyBlock.DECODE_SLACK];
            byte[] refOut = new byte[limit];
            int fast;
            int ref;
            try {
                fast = SnappyBlock.decompress(src, 0, src.length, fastOut, 0, limit, fastOut.length);
            } catch (SnappyFormatException e) {
                fast = -1;
            }
            try {
                ref = SnappyBlockReference.decompress(src, 0, src.length, refOut, 0, limit);
            } catch (SnappyFormatException e) {
                ref = -1;
            }
            assertEquals(ref, fast, "round " + round + ": the decoders disagree on acceptance or length");
            if (ref >= 0) {
                accepted++;
                assertArrayEquals(Arrays.copyOf(refOut, ref), Arrays.copyOf(fastOut, fast), "round " + round);
            }
        }
        assertTrue(accepted > 100 && accepted < 19_000, "mutations too mild or too harsh: " + accepted);
    }

    private static void putUvarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int uvarintLength(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private static void putLiteral(ByteArrayOutputStream out, byte[] b) {
        int m = b.length - 1;
        if (m < 60) {
            out.write(m << 2);
        } else {
            out.write(60 << 2);
            out.write(m);
        }
        out.write(b, 0, b.length);
    }

    /** Decodes literal and 2-byte-offset copy tags one byte at a time (valid input only). */
    private static byte[] naiveDecode(byte[] src, int total) {
        byte[] out = new byte[total];
        int s = uvarintLength(total);
        int d = 0;
        while (s < src.length) {
            int tag = src[s] & 0xff;
            if ((tag & 3) == 0) {
                int len = (tag >>> 2) + 1;
                s++;
                if (len == 61) {
                    len = (src[s++] & 0xff) + 1;
                }
                System.arraycopy(src, s, out, d, len);
                s += len;
                d += len;
            } else {
                int len = (tag >>> 2) + 1;
                int off = (src[s + 1] & 0xff) | (src[s + 2] & 0xff) << 8;
                s += 3;
                for (int k = 0; k < len; k++, d++) {
                    out[d] = out[d - off];
                }
            }
        }
        assertEquals(total, d, "test block built wrong");
        return out;
    }
}
