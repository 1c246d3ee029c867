package kcp.fec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Field laws checked exhaustively, in the spirit of Backblaze's GaloisTest. */
class GaloisTest {

    @Test
    void shouldSatisfyAssociativityOfAdditionAndMultiplicationForAllTriples() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                int ab = Galois.multiply(a, b);
                int aPlusB = Galois.add(a, b);
                for (int c = 0; c < 256; c++) {
                    assertEquals(Galois.add(aPlusB, c), Galois.add(a, Galois.add(b, c)));
                    if (Galois.multiply(ab, c) != Galois.multiply(a, Galois.multiply(b, c))) {
                        throw new AssertionError("(a*b)*c != a*(b*c) for " + a + "," + b + "," + c);
                    }
                }
            }
        }
    }

    @Test
    void shouldSatisfyDistributivityForAllTriples() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 256; c++) {
                    int left = Galois.multiply(a, Galois.add(b, c));
                    int right = Galois.add(Galois.multiply(a, b), Galois.multiply(a, c));
                    if (left != right) {
                        throw new AssertionError("a*(b+c) != a*b+a*c for " + a + "," + b + "," + c);
                    }
                }
            }
        }
    }

    @Test
    void shouldSatisfyCommutativityIdentitiesAndInversesForAllPairs() {
        for (int a = 0; a < 256; a++) {
            assertEquals(a, Galois.add(a, 0));
            assertEquals(a, Galois.multiply(a, 1));
            assertEquals(0, Galois.add(a, a), "additive inverse is the element itself");
            assertEquals(0, Galois.multiply(a, 0));
            for (int b = 0; b < 256; b++) {
                assertEquals(Galois.add(a, b), Galois.add(b, a));
                assertEquals(Galois.multiply(a, b), Galois.multiply(b, a));
                assertEquals(Galois.subtract(a, b), Galois.add(a, b));
                if (b != 0) {
                    assertEquals(a, Galois.multiply(Galois.divide(a, b), b), "(a/b)*b for " + a + "," + b);
                }
            }
            if (a != 0) {
                assertEquals(1, Galois.multiply(a, Galois.divide(1, a)), "a * a^-1 for " + a);
            }
        }
    }

    @Test
    void shouldMatchCarrylessMultiplicationModulo0x11d() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                int product = 0;
                for (int bit = 0; bit < 8; bit++) {
                    if ((b & (1 << bit)) != 0) {
                        product ^= a << bit;
                    }
                }
                for (int bit = 15; bit >= 8; bit--) {
                    if ((product & (1 << bit)) != 0) {
                        product ^= 0x11D << (bit - 8);
                    }
                }
                assertEquals(product, Galois.multiply(a, b), a + " * " + b);
            }
        }
    }

    @Test
    void shouldGenerateTheWholeMultiplicativeGroupFromTwo() {
        boolean[] seen = new boolean[256];
        for (int n = 0; n < 255; n++) {
            int v = Galois.exp(2, n);
            assertEquals(false, seen[v], "2^" + n + " repeats " + v);
            seen[v] = true;
            assertEquals(n, Galois.log(v));
        }
        assertEquals(false, seen[0]);
        assertEquals(1, Galois.exp(0, 0), "0^0 = 1 as in klauspost's galExp");
        assertEquals(0, Galois.exp(0, 3));
        for (int a = 0; a < 256; a++) {
            int power = 1;
            for (int n = 0; n < 10; n++) {
                assertEquals(power, Galois.exp(a, n), a + "^" + n);
                power = Galois.multiply(power, a);
            }
        }
    }

    @Test
    void shouldMatchKnownProductsFromKlauspostTables() {
        // Values from klauspost/reedsolomon galois_test.go TestGalois (mulTable spot checks).
        assertEquals(12, Galois.multiply(3, 4));
        assertEquals(21, Galois.multiply(7, 7));
        assertEquals(41, Galois.multiply(23, 45));
        assertEquals(4, Galois.exp(2, 2));
        assertEquals(235, Galois.exp(5, 20));
        assertEquals(43, Galois.exp(13, 7));
    }

    @Test
    void shouldRejectDivisionByZeroNamingTheOperands() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Galois.divide(7, 0));
        assertEquals("divide by zero in GF(256): 7 / 0", e.getMessage());
    }
}
