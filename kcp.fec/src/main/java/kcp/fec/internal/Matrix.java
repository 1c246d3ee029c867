package kcp.fec.internal;

import java.util.Arrays;

/**
 * A dense matrix over GF(2^8), used to build the encoding matrix and to invert decode sub-matrices. Follows
 * Backblaze's {@code Matrix}: Vandermonde construction, multiplication, row-reduction inverse.
 *
 * <p>Not thread-safe (mutable). Only used when a codec is created or when a new erasure pattern is seen, never on
 * the per-byte path, so it allocates freely.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final byte[][] data;

    /** Creates a zero matrix. */
    public Matrix(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix dimensions must be positive: " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = new byte[rows][cols];
    }

    /** Returns the n x n identity matrix. */
    public static Matrix identity(int n) {
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i][i] = 1;
        }
        return m;
    }

    /** Returns the Vandermonde matrix V[r][c] = r^c (with 0^0 = 1). */
    public static Matrix vandermonde(int rows, int cols) {
        Matrix m = new Matrix(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.data[r][c] = (byte) Galois.exp(r, c);
            }
        }
        return m;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /** Returns element (r, c) as 0..255. */
    public int get(int r, int c) {
        return data[r][c] & 0xFF;
    }

    /** Sets element (r, c) to the low 8 bits of value. */
    public void set(int r, int c, int value) {
        data[r][c] = (byte) value;
    }

    /** Returns a copy of row r. */
    public byte[] row(int r) {
        return data[r].clone();
    }

    /** Returns this * right. */
    public Matrix times(Matrix right) {
        if (cols != right.rows) {
            throw new IllegalArgumentException("column count " + cols + " != row count " + right.rows);
        }
        Matrix out = new Matrix(rows, right.cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < right.cols; c++) {
                int v = 0;
                for (int i = 0; i < cols; i++) {
                    v ^= Galois.multiply(data[r][i], right.data[i][c]);
                }
                out.data[r][c] = (byte) v;
            }
        }
        return out;
    }

    /** Returns rows [rmin, rmax) and columns [cmin, cmax) as a new matrix. */
    public Matrix submatrix(int rmin, int cmin, int rmax, int cmax) {
        Matrix out = new Matrix(rmax - rmin, cmax - cmin);
        for (int r = rmin; r < rmax; r++) {
            System.arraycopy(data[r], cmin, out.data[r - rmin], 0, cmax - cmin);
        }
        return out;
    }

    /**
     * Returns the inverse of this square matrix by Gauss-Jordan elimination.
     *
     * @throws ArithmeticException if the matrix is singular
     */
    public Matrix invert() {
        if (rows != cols) {
            throw new IllegalArgumentException("only square matrices can be inverted: " + rows + "x" + cols);
        }
        int n = rows;
        byte[][] work = new byte[n][2 * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(data[r], 0, work[r], 0, n);
            work[r][n + r] = 1;
        }
        for (int r = 0; r < n; r++) {
            if (work[r][r] == 0) {
                int below = r + 1;
                while (below < n && work[below][r] == 0) {
                    below++;
                }
                if (below == n) {
                    throw new ArithmeticException("matrix is singular");
                }
                byte[] tmp = work[r];
                work[r] = work[below];
                work[below] = tmp;
            }
            int pivot = work[r][r] & 0xFF;
            if (pivot != 1) {
                int scale = Galois.divide(1, pivot);
                for (int c = 0; c < 2 * n; c++) {
                    work[r][c] = (byte) Galois.multiply(work[r][c], scale);
                }
            }
            for (int other = 0; other < n; other++) {
                int factor = work[other][r] & 0xFF;
                if (other != r && factor != 0) {
                    for (int c = 0; c < 2 * n; c++) {
                        work[other][c] ^= (byte) Galois.multiply(factor, work[r][c]);
                    }
                }
            }
        }
        Matrix inv = new Matrix(n, n);
        for (int r = 0; r < n; r++) {
            System.arraycopy(work[r], n, inv.data[r], 0, n);
        }
        return inv;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && Arrays.deepEquals(data, m.data);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (byte[] row : data) {
            sb.append(java.util.HexFormat.of().formatHex(row)).append('\n');
        }
        return sb.toString();
    }
}
