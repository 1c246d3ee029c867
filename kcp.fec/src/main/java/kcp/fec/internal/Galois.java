package kcp.fec.internal;

/**
 * Arithmetic in GF(2^8) with the reduction polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator 2, the
 * field of klauspost/reedsolomon ({@code generatingPolynomial = 29}) and Backblaze's JavaReedSolomon.
 *
 * <p>Stateless and thread-safe: all tables are built once in the static initialiser and never written again.
 * Values are bytes interpreted as unsigned (0..255).
 */
public final class Galois {
    /** Field size. */
    public static final int FIELD_SIZE = 256;
    /** The low 8 bits of the reduction polynomial 0x11D. */
    public static final int GENERATING_POLYNOMIAL = 29;

    /** LOG[a] for a in 1..255; LOG[0] is unused (0 has no logarithm). */
    private static final int[] LOG = new int[FIELD_SIZE];
    /** EXP[i] = 2^i for i in 0..509, doubled so that LOG[a] + LOG[b] never needs a modulo. */
    private static final int[] EXP = new int[2 * FIELD_SIZE - 2];
    /** MUL[a][b] = a * b; each row is the 256-entry lookup table the scalar coding loop uses. */
    private static final byte[][] MUL = new byte[FIELD_SIZE][FIELD_SIZE];

    static {
        int b = 1;
        for (int log = 0; log < FIELD_SIZE - 1; log++) {
            EXP[log] = b;
            EXP[log + FIELD_SIZE - 1] = b;
            LOG[b] = log;
            b <<= 1;
            if (b >= FIELD_SIZE) {
                b = (b - FIELD_SIZE) ^ GENERATING_POLYNOMIAL;
            }
        }
        for (int x = 0; x < FIELD_SIZE; x++) {
            for (int y = 0; y < FIELD_SIZE; y++) {
                MUL[x][y] = (byte) slowMultiply(x, y);
            }
        }
    }

    private Galois() {
    }

    private static int slowMultiply(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    /** Returns a + b (= a - b = a XOR b). */
    public static int add(int a, int b) {
        return (a ^ b) & 0xFF;
    }

    /** Returns a - b, which in characteristic 2 equals a + b. */
    public static int subtract(int a, int b) {
        return (a ^ b) & 0xFF;
    }

    /** Returns a * b for a, b in 0..255. */
    public static int multiply(int a, int b) {
        return MUL[a & 0xFF][b & 0xFF] & 0xFF;
    }

    /**
     * Returns a / b.
     *
     * @throws ArithmeticException if b is 0
     */
    public static int divide(int a, int b) {
        a &= 0xFF;
        b &= 0xFF;
        if (b == 0) {
            throw new ArithmeticException("divide by zero in GF(256): " + a + " / 0");
        }
        if (a == 0) {
            return 0;
        }
        int log = LOG[a] - LOG[b];
        return EXP[log < 0 ? log + FIELD_SIZE - 1 : log];
    }

    /** Returns a^n for n >= 0, with 0^0 = 1 as in Backblaze's and klauspost's {@code galExp}. */
    public static int exp(int a, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative exponent: " + n);
        }
        a &= 0xFF;
        if (n == 0) {
            return 1;
        }
        if (a == 0) {
            return 0;
        }
        return EXP[(int) ((long) LOG[a] * n % (FIELD_SIZE - 1))];
    }

    /** Returns the discrete logarithm of a (base 2), for a in 1..255. */
    public static int log(int a) {
        if ((a & 0xFF) == 0) {
            throw new ArithmeticException("log(0) is undefined in GF(256)");
        }
        return LOG[a & 0xFF];
    }

    /**
     * Returns the 256-entry product row for coefficient c (row[x] = c * x). The array is shared: callers must
     * not write to it.
     */
    static byte[] mulRow(int c) {
        return MUL[c & 0xFF];
    }
}
