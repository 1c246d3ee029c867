package kcp.fec.internal;

/**
 * A coefficient matrix prepared for one {@link CodingLoop}: output row r is the GF(2^8) dot product of row r with
 * the input shards. Holds the raw coefficients and, for table-driven SIMD loops, per-coefficient split-nibble
 * lookup tables so that nothing is computed per call.
 *
 * <p>Immutable after construction, so it may be cached and shared by the codec that built it.
 */
public final class CodingMatrix {
    private final int rows;
    private final int cols;
    private final byte[] coefficients;
    private final byte[] tables;

    /**
     * @param rows number of outputs
     * @param cols number of inputs
     * @param coefficients row-major rows x cols coefficients (not copied; the caller hands over ownership)
     * @param tables loop-specific lookup tables, or null when the loop needs none
     */
    CodingMatrix(int rows, int cols, byte[] coefficients, byte[] tables) {
        this.rows = rows;
        this.cols = cols;
        this.coefficients = coefficients;
        this.tables = tables;
    }

    /** Number of output rows. */
    public int rows() {
        return rows;
    }

    /** Number of input columns. */
    public int cols() {
        return cols;
    }

    /** Coefficient of output r and input c, as 0..255. */
    public int coefficient(int r, int c) {
        return coefficients[r * cols + c] & 0xFF;
    }

    byte[] coefficients() {
        return coefficients;
    }

    byte[] tables() {
        return tables;
    }
}
