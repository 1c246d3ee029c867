package kcp.fec.internal;

/**
 * The seam between the Reed-Solomon bookkeeping and the byte crunching: computes
 * {@code outputs[r][off .. off+len) = XOR over c of coefficient(r, c) * inputs[c][off .. off+len)} in GF(2^8).
 *
 * <p>Implementations: {@link SwarCodingLoop} (portable default), {@link ScalarCodingLoop} (portable table loops, for
 * short ranges and comparison) and {@code VectorCodingLoop} (JDK Vector API, only when the
 * {@code jdk.incubator.vector} module is in the boot layer); {@link CodingLoops} picks one.
 * Implementations are stateless and thread-safe; outputs must not alias inputs. Nothing is allocated per call.
 */
public interface CodingLoop {
    /** A short name for reports and benchmarks ("scalar", "vector256", ...). */
    String name();

    /** Prepares a row-major rows x cols coefficient matrix for this loop; takes ownership of the array. */
    CodingMatrix prepare(int rows, int cols, byte[] coefficients);

    /**
     * Codes {@code m.rows()} outputs from {@code m.cols()} inputs over the byte range [offset, offset + length).
     * Arrays may be longer than the matrix needs; extra entries are ignored. Outputs are overwritten.
     */
    void code(CodingMatrix m, byte[][] inputs, byte[][] outputs, int offset, int length);
}
