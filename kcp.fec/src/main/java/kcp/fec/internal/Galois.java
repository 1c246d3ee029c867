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
    private static final int[] LOG;
    /** EXP[i] = 2^i for i in 0..509, doubled so that LOG[a] + LOG[b] never needs a modulo. */
    private static final int[] EXP;
    /** MUL[a][b] = a * b; each row is the 256-entry lookup table the scalar coding loop uses. */
    private static final byte[][] MUL;

    static {
        // Built in locals and stored at the end: this runs once per JVM, in the interpreter, on the thread that makes
        // the first codec (a session's dial or accept), and while a class initialises, each read of its own static
        // fields takes the interpreter's slow path. Reading the fields in the 65,536-entry loop took 30 ms.
        int[] log = new int[FIELD_SIZE];
        int[] exp = new int[2 * FIELD_SIZE - 2];
        int b = 1;
        for (int i = 0; i < FIELD_SIZE - 1; i++) {
            exp[i] = b;
            exp[i + FIELD_SIZE - 1] = b;
            log[b] = i;
            b <<= 1;
            if (b >= FIELD_SIZE) {
                b = (b - FIELD_SIZE) ^ GENERATING_POLYNOMIAL;
            }
        }
        byte[][] mul = new byte[FIELD_SIZE][FIELD_SIZE]; // row and column 0 stay 0
        for (int x = 1; x < FIELD_SIZE; x++) {
            byte[] row = mul[x];
            int logX = log[x];
            for (int y = 1; y < FIELD_SIZE; y++) {
                row[y] = (byte) exp[logX + log[y]];
            }
        }
        LOG = log;
        EXP = exp;
        MUL = mul;
    }

    private Galois() {
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
