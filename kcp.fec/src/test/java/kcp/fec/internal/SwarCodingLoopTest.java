package kcp.fec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Property tests of {@link SwarCodingLoop} against Backblaze's table loop on random shards: every coefficient, every
 * range length 0..2000 (odd tails, the short-range fallback and its threshold), random offsets, outputs prefilled
 * with garbage (they must be overwritten) and guard bytes around the range (they must stay untouched).
 */
class SwarCodingLoopTest {
    private static final CodingLoop SWAR = SwarCodingLoop.instance();
    private static final CodingLoop TABLE = ScalarCodingLoop.bytewise();
    private static final int GUARD = 11;

    /** Codes with both loops into garbage-filled outputs and compares every byte, including the guards. */
    private static void assertSameAsTable(byte[] coef, int rows, int cols, byte[][] in, int off, int len,
                                          SplittableRandom rnd, String what) {
        CodingMatrix swar = SWAR.prepare(rows, cols, coef.clone());
        CodingMatrix table = TABLE.prepare(rows, cols, coef.clone());
        byte[][] expected = new byte[rows][off + len + GUARD];
        byte[][] actual = new byte[rows][off + len + GUARD];
        for (int r = 0; r < rows; r++) {
            rnd.nextBytes(expected[r]);
            actual[r] = expected[r].clone();
        }
        TABLE.code(table, in, expected, off, len);
        SWAR.code(swar, in, actual, off, len);
        for (int r = 0; r < rows; r++) {
            assertArrayEquals(expected[r], actual[r], what + " row " + r);
        }
    }

    private static byte[][] shards(int n, int size, SplittableRandom rnd) {
        byte[][] s = new byte[n][size];
        for (byte[] b : s) {
            rnd.nextBytes(b);
        }
        return s;
    }

    @Test
    void shouldMatchTheTableLoopForEveryCoefficientAndEveryLengthUpTo2000() {
        SplittableRandom rnd = new SplittableRandom(0x5A4);
        // 4 rows x 64 columns hold each of the 256 coefficients exactly once, in a shuffled order per length.
        int rows = 4;
        int cols = 64;
        byte[][] in = shards(cols, 2000 + 2 * GUARD, rnd);
        byte[] coef = new byte[rows * cols];
        for (int i = 0; i < coef.length; i++) {
            coef[i] = (byte) i;
        }
        for (int len = 0; len <= 2000; len++) {
            for (int i = coef.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                byte t = coef[i];
                coef[i] = coef[j];
                coef[j] = t;
            }
            int off = rnd.nextInt(GUARD + 1);
            assertSameAsTable(coef, rows, cols, in, off, len, rnd, "len " + len + " off " + off);
        }
    }

    @Test
    void shouldMatchTheTableLoopForEverySingleCoefficientOnLongAndOddRanges() {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[][] in = shards(1, 1500, rnd);
        for (int c = 0; c < 256; c++) {
            for (int len : new int[] {63, 64, 65, 1399, 1400, 1401}) {
                assertSameAsTable(new byte[] {(byte) c}, 1, 1, in, 3, len, rnd, "coefficient " + c + " len " + len);
            }
        }
    }

    @Test
    void shouldMatchTheTableLoopOnRandomShapesIncludingXorOnlyZeroAndIdentityRows() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int trial = 0; trial < 400; trial++) {
            int rows = 1 + rnd.nextInt(12);
            int cols = 1 + rnd.nextInt(trial < 390 ? 24 : 255);
            byte[] coef = new byte[rows * cols];
            rnd.nextBytes(coef);
            int special = rnd.nextInt(rows);
            for (int c = 0; c < cols; c++) {
                switch (trial % 4) {
                    case 0 -> coef[special * cols + c] = 1;                        // plain XOR of all inputs
                    case 1 -> coef[special * cols + c] = 0;                        // all-zero row
                    case 2 -> coef[special * cols + c] = (byte) (c == 0 ? 1 : 0);  // copy of input 0
                    default -> { }
                }
            }
            int len = rnd.nextInt(2001);
            int off = rnd.nextInt(40);
            byte[][] in = shards(cols, off + len + GUARD, rnd);
            assertSameAsTable(coef, rows, cols, in, off, len, rnd, "trial " + trial + " " + rows + "x" + cols
                    + " len " + len);
        }
    }

    @Test
    void shouldDoubleEightPackedBytesLikeTheFieldDoes() {
        for (int x = 0; x < 256; x++) {
            long packed = 0x0101010101010101L * x;
            long expected = 0x0101010101010101L * Galois.multiply(2, x);
            assertEquals(expected, SwarCodingLoop.times2(packed), "2 * " + x);
        }
    }
}
