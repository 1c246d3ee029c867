package kcp.fec.internal;

/**
 * Everything a reconstruction needs for one erasure pattern, computed once and cached by {@link InversionCache}:
 * which shards feed the decode (the first {@code d} present ones, as Backblaze and klauspost choose), the rows of
 * the inverted sub-matrix that rebuild the missing data shards, and the encoding rows that rebuild missing parity.
 *
 * <p>Immutable; owned by the cache of one codec.
 */
public final class DecodePlan {
    final int[] inputs;
    final int[] missingData;
    final CodingMatrix dataRows;
    final int[] missingParity;
    final CodingMatrix parityRows;

    DecodePlan(int[] inputs, int[] missingData, CodingMatrix dataRows, int[] missingParity,
               CodingMatrix parityRows) {
        this.inputs = inputs;
        this.missingData = missingData;
        this.dataRows = dataRows;
        this.missingParity = missingParity;
        this.parityRows = parityRows;
    }

    /**
     * Builds the plan for one erasure pattern.
     *
     * @param encoding the (d + p) x d systematic encoding matrix
     * @param present bit i of the 4-long mask = shard i present; at least d shards must be present
     * @param loop the loop the coding rows are prepared for
     * @throws IllegalArgumentException if fewer than d shards are present
     */
    public static DecodePlan build(Matrix encoding, long[] present, CodingLoop loop) {
        int d = encoding.cols();
        int total = encoding.rows();
        int[] inputs = new int[d];
        int used = 0;
        int missingDataCount = 0;
        int missingParityCount = 0;
        for (int i = 0; i < total; i++) {
            boolean here = (present[i >>> 6] & (1L << i)) != 0;
            if (here && used < d) {
                inputs[used++] = i;
            } else if (!here) {
                if (i < d) {
                    missingDataCount++;
                } else {
                    missingParityCount++;
                }
            }
        }
        if (used < d) {
            throw new IllegalArgumentException("not enough shards present: " + used + " < " + d
                    + " data shards; reconstruction needs at least as many present shards as data shards");
        }
        int[] missingData = new int[missingDataCount];
        int[] missingParity = new int[missingParityCount];
        for (int i = 0, md = 0, mp = 0; i < total; i++) {
            if ((present[i >>> 6] & (1L << i)) == 0) {
                if (i < d) {
                    missingData[md++] = i;
                } else {
                    missingParity[mp++] = i;
                }
            }
        }
        CodingMatrix dataRows = null;
        if (missingDataCount > 0) {
            Matrix sub = new Matrix(d, d);
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    sub.set(r, c, encoding.get(inputs[r], c));
                }
            }
            Matrix inverse = sub.invert();
            byte[] coef = new byte[missingDataCount * d];
            for (int k = 0; k < missingDataCount; k++) {
                System.arraycopy(inverse.row(missingData[k]), 0, coef, k * d, d);
            }
            dataRows = loop.prepare(missingDataCount, d, coef);
        }
        CodingMatrix parityRows = null;
        if (missingParityCount > 0) {
            byte[] coef = new byte[missingParityCount * d];
            for (int k = 0; k < missingParityCount; k++) {
                System.arraycopy(encoding.row(missingParity[k]), 0, coef, k * d, d);
            }
            parityRows = loop.prepare(missingParityCount, d, coef);
        }
        return new DecodePlan(inputs, missingData, dataRows, missingParity, parityRows);
    }

    /** Shard indices used as decode inputs, ascending. */
    public int inputIndex(int i) {
        return inputs[i];
    }

    /** Number of missing data shards this plan rebuilds. */
    public int missingDataCount() {
        return missingData.length;
    }

    /** Number of missing parity shards this plan rebuilds. */
    public int missingParityCount() {
        return missingParity.length;
    }

    /** Index of the i-th missing data shard. */
    public int missingDataIndex(int i) {
        return missingData[i];
    }

    /** Index of the i-th missing parity shard. */
    public int missingParityIndex(int i) {
        return missingParity[i];
    }

    /** Coding rows for the missing data shards (null when none are missing). */
    public CodingMatrix dataRows() {
        return dataRows;
    }

    /** Coding rows for the missing parity shards (null when none are missing). */
    public CodingMatrix parityRows() {
        return parityRows;
    }
}
