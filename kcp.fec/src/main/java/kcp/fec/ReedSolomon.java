package kcp.fec;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import kcp.fec.internal.CodingLoop;
import kcp.fec.internal.CodingLoops;
import kcp.fec.internal.CodingMatrix;
import kcp.fec.internal.DecodePlan;
import kcp.fec.internal.InversionCache;
import kcp.fec.internal.Matrix;

/**
 * Systematic Reed-Solomon erasure code over GF(2^8) (polynomial 0x11D), Backblaze's design: the encoding matrix
 * is a (d + p) x d Vandermonde matrix times the inverse of its top d x d square, so data shards pass through
 * unchanged and parity bytes equal klauspost/reedsolomon's {@code New(d, p)}, hence kcp-go's, byte for byte.
 *
 * <pre>{@code
 *   shards[0 .. d)      data     (input of encodeParity)
 *   shards[d .. d + p)  parity   (output of encodeParity)
 *   every shard covers bytes [offset, offset + byteCount); all shards of a call use the same range
 * }</pre>
 *
 * <p>Unlike Backblaze, reconstruction never inverts a matrix twice for the same erasure pattern (an
 * {@link InversionCache} keyed by the present mask, as klauspost and kcp-go do) and allocates nothing per call
 * once a pattern has been seen. The byte work runs on the JDK Vector API when {@code jdk.incubator.vector} is in
 * the boot layer (see {@link #create(int, int)}), otherwise on a portable loop of 64-bit XORs and shifts that the
 * JIT vectorises by itself (about 6x faster than a table lookup per byte).
 *
 * <p>NOT thread-safe: a codec owns scratch arrays and its pattern cache; use one per thread or session. Buffers
 * stay owned by the caller; the codec keeps no reference after a call returns. Codecs of the same shape and loop
 * share their encoding matrix and prepared parity rows, which never change: a server that creates a codec for every
 * new session builds them once (they cost more than the rest of a session's set-up, measured with
 * {@code AcceptBench}).
 */
public final class ReedSolomon {
    /** Largest total shard count of a GF(2^8) Vandermonde code. */
    public static final int MAX_TOTAL_SHARDS = 256;

    /** At most this many shapes are cached; further ones are built per codec (no application uses that many). */
    private static final int MAX_CACHED_CODES = 64;
    private static final ConcurrentHashMap<CodeKey, Code> CODES = new ConcurrentHashMap<>();

    private final int dataShards;
    private final int parityShards;
    private final int totalShards;
    private final CodingLoop loop;
    private final Matrix encoding;
    private final CodingMatrix parityRows;
    private final InversionCache cache = new InversionCache();
    private final long[] key = new long[4];
    private final byte[][] inputScratch;
    private final byte[][] outputScratch;
    private byte[][] checkScratch;

    private ReedSolomon(int dataShards, int parityShards, CodingLoop loop) {
        if (dataShards <= 0) {
            throw new IllegalArgumentException("dataShards <= 0: " + dataShards);
        }
        if (parityShards <= 0) {
            throw new IllegalArgumentException("parityShards <= 0: " + parityShards);
        }
        if (dataShards + parityShards > MAX_TOTAL_SHARDS) {
            throw new IllegalArgumentException("dataShards + parityShards > 256: " + (dataShards + parityShards)
                    + "; GF(2^8) codes support at most 256 shards in total");
        }
        this.dataShards = dataShards;
        this.parityShards = parityShards;
        this.totalShards = dataShards + parityShards;
        this.loop = Objects.requireNonNull(loop, "loop");
        Code code = code(dataShards, parityShards, loop);
        this.encoding = code.encoding;
        this.parityRows = code.parityRows;
        this.inputScratch = new byte[dataShards][];
        this.outputScratch = new byte[totalShards][];
    }

    /** A codec's shape: what its encoding matrix and parity rows depend on. */
    private record CodeKey(int dataShards, int parityShards, CodingLoop loop) {
    }

    /** The immutable part of a codec, shared by all codecs of one {@link CodeKey}; nothing here is ever written. */
    private record Code(Matrix encoding, CodingMatrix parityRows) {
    }

    private static Code code(int dataShards, int parityShards, CodingLoop loop) {
        CodeKey key = new CodeKey(dataShards, parityShards, loop);
        Code code = CODES.get(key);
        if (code != null) {
            return code;
        }
        Matrix vandermonde = Matrix.vandermonde(dataShards + parityShards, dataShards);
        Matrix encoding = vandermonde.times(vandermonde.submatrix(0, 0, dataShards, dataShards).invert());
        byte[] coef = new byte[parityShards * dataShards];
        for (int r = 0; r < parityShards; r++) {
            System.arraycopy(encoding.row(dataShards + r), 0, coef, r * dataShards, dataShards);
        }
        code = new Code(encoding, loop.prepare(parityShards, dataShards, coef));
        if (CODES.size() < MAX_CACHED_CODES) {
            Code raced = CODES.putIfAbsent(key, code);
            return raced != null ? raced : code;
        }
        return code;
    }

    /**
     * Creates a codec with the default coding loop: the Vector API loop when the JVM runs with
     * {@code --add-modules jdk.incubator.vector} (and {@code -Dkcp.fec.simd=false} is not set), else the portable
     * loop.
     *
     * @param dataShards number of data shards (d)
     * @param parityShards number of parity shards (p)
     * @return a new codec
     * @throws IllegalArgumentException if d &lt;= 0, p &lt;= 0 or d + p &gt; 256
     */
    public static ReedSolomon create(int dataShards, int parityShards) {
        return new ReedSolomon(dataShards, parityShards, CodingLoops.defaultLoop());
    }

    /**
     * Creates a codec on a chosen implementation.
     *
     * @param dataShards number of data shards (d)
     * @param parityShards number of parity shards (p)
     * @param simd true for the Vector API loop, false for the portable loop (no incubator module needed)
     * @return a new codec
     * @throws IllegalStateException if simd is requested but {@link #simdAvailable()} is false
     */
    public static ReedSolomon create(int dataShards, int parityShards, boolean simd) {
        CodingLoop chosen = simd ? CodingLoops.vectorOrNull() : CodingLoops.portable();
        if (chosen == null) {
            throw new IllegalStateException("SIMD coding loop unavailable: run the JVM with "
                    + "--add-modules jdk.incubator.vector");
        }
        return new ReedSolomon(dataShards, parityShards, chosen);
    }

    /** {@return True when the Vector API coding loop can be used in this JVM} */
    public static boolean simdAvailable() {
        return CodingLoops.vectorOrNull() != null;
    }

    /** {@return Name of the coding loop in use ("vector256", "swar", "adaptive-vector256", ...)} */
    public String implementation() {
        return loop.name();
    }

    /** {@return Number of data shards (d)} */
    public int dataShardCount() {
        return dataShards;
    }

    /** {@return Number of parity shards (p)} */
    public int parityShardCount() {
        return parityShards;
    }

    /** {@return d + p} */
    public int totalShardCount() {
        return totalShards;
    }

    /**
     * Reads the encoding matrix (rows 0 to d - 1 are the identity, the rest produce parity).
     *
     * @param r row, 0 to d + p - 1
     * @param c column, 0 to d - 1
     * @return element (r, c), 0..255
     */
    public int encodingMatrix(int r, int c) {
        return encoding.get(r, c);
    }

    /**
     * Computes the parity shards from the data shards over [offset, offset + byteCount).
     *
     * @param shards d + p shard buffers; data read from 0 to d - 1, parity written to d to d + p - 1
     * @param offset first byte of the range in every shard
     * @param byteCount length of the range
     * @throws IllegalArgumentException if the shard array or a shard is too short
     */
    public void encodeParity(byte[][] shards, int offset, int byteCount) {
        checkBuffers(shards, offset, byteCount);
        for (int j = 0; j < parityShards; j++) {
            outputScratch[j] = shards[dataShards + j];
        }
        loop.code(parityRows, shards, outputScratch, offset, byteCount);
        clear(outputScratch, parityShards);
    }

    /**
     * Returns true when the parity shards match the data shards over the range. Uses an internal scratch
     * buffer that grows to the largest offset + byteCount seen.
     *
     * @param shards d + p shard buffers
     * @param offset first byte of the range in every shard
     * @param byteCount length of the range
     * @return true when every parity byte in the range is correct
     */
    public boolean isParityCorrect(byte[][] shards, int offset, int byteCount) {
        checkBuffers(shards, offset, byteCount);
        if (checkScratch == null || checkScratch[0].length < offset + byteCount) {
            checkScratch = new byte[parityShards][offset + byteCount];
        }
        loop.code(parityRows, shards, checkScratch, offset, byteCount);
        for (int j = 0; j < parityShards; j++) {
            if (!java.util.Arrays.equals(checkScratch[j], offset, offset + byteCount,
                    shards[dataShards + j], offset, offset + byteCount)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rebuilds every shard whose {@code present[i]} is false (data and parity) over the range. Present shards
     * are read only. Buffers of missing shards must exist and be long enough; their old content is ignored.
     *
     * @param shards d + p shard buffers
     * @param present which shards hold valid data (at least d must)
     * @param offset first byte of the range in every shard
     * @param byteCount length of the range
     * @throws IllegalArgumentException if fewer than d shards are present or buffers are too short
     */
    public void decodeMissing(byte[][] shards, boolean[] present, int offset, int byteCount) {
        decode(shards, present, offset, byteCount, false);
    }

    /**
     * Like {@link #decodeMissing} but rebuilds only the missing data shards (klauspost's ReconstructData); missing
     * parity buffers are left untouched.
     *
     * @param shards d + p shard buffers
     * @param present which shards hold valid data (at least d must)
     * @param offset first byte of the range in every shard
     * @param byteCount length of the range
     * @throws IllegalArgumentException if fewer than d shards are present or buffers are too short
     */
    public void decodeMissingData(byte[][] shards, boolean[] present, int offset, int byteCount) {
        decode(shards, present, offset, byteCount, true);
    }

    private void decode(byte[][] shards, boolean[] present, int offset, int byteCount, boolean dataOnly) {
        checkBuffers(shards, offset, byteCount);
        if (present.length < totalShards) {
            throw new IllegalArgumentException("present.length < " + totalShards + ": " + present.length);
        }
        key[0] = 0;
        key[1] = 0;
        key[2] = 0;
        key[3] = 0;
        int count = 0;
        for (int i = 0; i < totalShards; i++) {
            if (present[i]) {
                key[i >>> 6] |= 1L << i;
                count++;
            }
        }
        if (count == totalShards) {
            return;
        }
        if (count < dataShards) {
            throw new IllegalArgumentException("not enough shards present: " + count + " < " + dataShards
                    + " data shards; reconstruction needs at least d present shards");
        }
        DecodePlan plan = cache.get(key);
        if (plan == null) {
            plan = DecodePlan.build(encoding, key, loop);
            cache.put(key, plan);
        }
        int missingData = plan.missingDataCount();
        if (missingData > 0) {
            for (int i = 0; i < dataShards; i++) {
                inputScratch[i] = shards[plan.inputIndex(i)];
            }
            for (int k = 0; k < missingData; k++) {
                outputScratch[k] = shards[plan.missingDataIndex(k)];
            }
            loop.code(plan.dataRows(), inputScratch, outputScratch, offset, byteCount);
        }
        int missingParity = plan.missingParityCount();
        if (!dataOnly && missingParity > 0) {
            for (int k = 0; k < missingParity; k++) {
                outputScratch[k] = shards[plan.missingParityIndex(k)];
            }
            loop.code(plan.parityRows(), shards, outputScratch, offset, byteCount);
        }
        clear(inputScratch, dataShards);
        clear(outputScratch, totalShards);
    }

    /** {@return Number of distinct erasure patterns inverted so far (cache misses)} */
    public long inversions() {
        return cache.misses();
    }

    private static void clear(byte[][] scratch, int n) {
        for (int i = 0; i < n; i++) {
            scratch[i] = null;
        }
    }

    private void checkBuffers(byte[][] shards, int offset, int byteCount) {
        if (shards.length < totalShards) {
            throw new IllegalArgumentException("shards.length < " + totalShards + ": " + shards.length
                    + "; pass d + p shard buffers");
        }
        if (offset < 0 || byteCount < 0) {
            throw new IllegalArgumentException("negative offset or byteCount: offset=" + offset
                    + " byteCount=" + byteCount);
        }
        for (int i = 0; i < totalShards; i++) {
            byte[] s = shards[i];
            if (s == null || s.length < offset + byteCount) {
                throw new IllegalArgumentException("shard " + i + " shorter than offset + byteCount = "
                        + (offset + byteCount) + ": " + (s == null ? "null" : s.length));
            }
        }
    }
}
