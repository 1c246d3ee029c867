package kcp.fec.internal;

/**
 * A coefficient matrix prepared for one {@link CodingLoop}: output row r is the GF(2^8) dot product of row r with
 * the input shards. Holds the raw coefficients and what the loops derive from them once, so that nothing is computed
 * per call: per-coefficient split-nibble lookup tables for the vector loop, the bit plan for {@link SwarCodingLoop}.
 * A matrix prepared by {@link AdaptiveCodingLoop} carries both.
 *
 * <p>Immutable after construction, so it may be cached and shared by the codec that built it.
 */
public final class CodingMatrix {
    private final int rows;
    private final int cols;
    private final byte[] coefficients;
    private final byte[] tables;
    private final byte[] plan;

    /**
     * @param rows number of outputs
     * @param cols number of inputs
     * @param coefficients row-major rows x cols coefficients (not copied; the caller hands over ownership)
     * @param tables the vector loop's lookup tables, or null
     * @param plan {@link SwarCodingLoop}'s bit plan, or null
     */
    CodingMatrix(int rows, int cols, byte[] coefficients, byte[] tables, byte[] plan) {
        this.rows = rows;
        this.cols = cols;
        this.coefficients = coefficients;
        this.tables = tables;
        this.plan = plan;
    }

    /** A matrix with the coefficients of {@code a} and the derived data of both (same coefficients). */
    static CodingMatrix merge(CodingMatrix a, CodingMatrix b) {
        return new CodingMatrix(a.rows, a.cols, a.coefficients, a.tables != null ? a.tables : b.tables,
                a.plan != null ? a.plan : b.plan);
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

    byte[] plan() {
        return plan;
    }
}
