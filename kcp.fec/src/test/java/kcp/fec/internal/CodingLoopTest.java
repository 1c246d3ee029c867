package kcp.fec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Every coding loop computes the same GF(2^8) matrix product as a reference built from Galois.multiply. */
class CodingLoopTest {

    static List<CodingLoop> loops() {
        List<CodingLoop> loops = new ArrayList<>(List.of(ScalarCodingLoop.bytewise(), ScalarCodingLoop.wide(),
                SwarCodingLoop.instance()));
        if (CodingLoops.vectorOrNull() != null) {
            loops.add(CodingLoops.vectorOrNull());
        } else if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: the vector loop must be tested (--add-modules jdk.incubator.vector)");
        }
        return loops;
    }

    @Test
    void shouldMatchTheReferenceProductForAllRowBlocksLengthsAndOffsets() {
        SplittableRandom rnd = new SplittableRandom(2024);
        List<CodingLoop> loops = loops();
        for (int rows = 1; rows <= 9; rows++) {
            int cols = 1 + rnd.nextInt(12);
            byte[] coef = new byte[rows * cols];
            rnd.nextBytes(coef);
            for (int len : new int[] {0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 100, 129, 200}) {
                int off = rnd.nextInt(9);
                byte[][] in = new byte[cols][off + len + 5];
                for (byte[] b : in) {
                    rnd.nextBytes(b);
                }
                byte[][] expected = new byte[rows][off + len + 5];
                for (int r = 0; r < rows; r++) {
                    for (int b = off; b < off + len; b++) {
                        int v = 0;
                        for (int c = 0; c < cols; c++) {
                            v ^= Galois.multiply(coef[r * cols + c], in[c][b]);
                        }
                        expected[r][b] = (byte) v;
                    }
                }
                for (CodingLoop loop : loops) {
                    CodingMatrix m = loop.prepare(rows, cols, coef.clone());
                    byte[][] out = new byte[rows][off + len + 5];
                    loop.code(m, in, out, off, len);
                    for (int r = 0; r < rows; r++) {
                        assertArrayEquals(expected[r], out[r], loop.name() + " rows " + rows + " cols " + cols
                                + " len " + len + " off " + off + " row " + r);
                    }
                }
            }
        }
    }

    @Test
    void shouldNameTheLoops() {
        assertEquals("scalar", ScalarCodingLoop.bytewise().name());
        assertEquals("scalar-wide", ScalarCodingLoop.wide().name());
        assertEquals("swar", SwarCodingLoop.instance().name());
    }
}
