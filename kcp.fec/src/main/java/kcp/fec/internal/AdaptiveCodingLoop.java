package kcp.fec.internal;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Uses the vector loop once the JIT has made it fast and the scalar loop until then. The Vector API runs as
 * allocating Java code until C2 compiles it, which made a fresh JVM's first second of FEC traffic about twice as
 * slow as with the scalar loop (measured: 16 vs 29 MiB echoed in the first second of a 256 MiB aes + FEC 10/3
 * echo), while the compiled vector loop is several times faster than the scalar one.
 *
 * <pre>
 *   warming:  call 0, 16, 32 ... -> vector (timed)   call 8, 24, 40 ... -> scalar (timed)   others -> scalar
 *   switch:   the last {@value #WINDOW} vector samples all beat the best scalar sample by 20%  -> vector for good
 *   give up:  {@value #MAX_VECTOR_SAMPLES} vector samples without that                         -> scalar for good
 * </pre>
 *
 * Samples are taken only on calls with at least {@value #MIN_WORK} coefficient-bytes (rows x cols x length) and
 * compared per coefficient-byte. Both loops compute the same bytes, so the choice never changes output. The
 * vector loop is still called often enough while warming for C2 to compile it (its inner loops run hundreds of
 * iterations per call).
 *
 * <p>Thread-safe: one instance is shared by every codec of the JVM (JIT state is per JVM); statistics are updated
 * under a lock taken only on sampled calls while warming, and the decision is a volatile read afterwards. Allocates
 * nothing per call.
 */
public final class AdaptiveCodingLoop implements CodingLoop {
    /** One call in this many runs the vector loop while warming (another one is a timed scalar call). */
    static final int SAMPLE_EVERY = 16;
    /** Vector samples that must all beat the scalar loop. */
    static final int WINDOW = 8;
    /** Vector samples after which the vector loop is given up. */
    static final int MAX_VECTOR_SAMPLES = 50_000;
    /** Smallest call (rows x cols x length) that is timed. */
    static final long MIN_WORK = 4096;
    /** The vector loop must take at most this fraction of the scalar loop's time per coefficient-byte. */
    private static final double MARGIN = 0.8;

    private static final int WARMING = 0;
    private static final int VECTOR = 1;
    private static final int SCALAR = 2;

    private final CodingLoop scalar;
    private final CodingLoop vector;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int state = WARMING;
    /** Call counter while warming; racy increments only shift which calls are sampled. */
    private int calls;

    // guarded by lock
    private double bestScalar = Double.MAX_VALUE;
    private final double[] recentVector = new double[WINDOW];
    private int vectorSamples;

    /**
     * Creates a loop that starts on {@code scalar} and moves to {@code vector} once it is faster.
     *
     * @param scalar    the portable loop
     * @param vector    the SIMD loop (its prepared matrices must also carry the coefficients)
     * @param nanoClock time source for the samples ({@code System::nanoTime})
     */
    public AdaptiveCodingLoop(CodingLoop scalar, CodingLoop vector, LongSupplier nanoClock) {
        this.scalar = Objects.requireNonNull(scalar, "scalar");
        this.vector = Objects.requireNonNull(vector, "vector");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public String name() {
        return "adaptive-" + vector.name();
    }

    /** {@return The loop in use now: the scalar one's name while warming or after giving up, else the vector one's} */
    public String current() {
        return state == VECTOR ? vector.name() : scalar.name();
    }

    @Override
    public CodingMatrix prepare(int rows, int cols, byte[] coefficients) {
        return CodingMatrix.merge(vector.prepare(rows, cols, coefficients),
                scalar.prepare(rows, cols, coefficients.clone()));
    }

    @Override
    public void code(CodingMatrix m, byte[][] inputs, byte[][] outputs, int offset, int length) {
        int s = state;
        if (s == VECTOR) {
            vector.code(m, inputs, outputs, offset, length);
            return;
        }
        long work = (long) m.rows() * m.cols() * length;
        if (s == SCALAR || work < MIN_WORK) {
            scalar.code(m, inputs, outputs, offset, length);
            return;
        }
        int n = calls++;
        int phase = n % SAMPLE_EVERY;
        if (phase == 0) {
            long t0 = nanoClock.getAsLong();
            vector.code(m, inputs, outputs, offset, length);
            recordVector((double) (nanoClock.getAsLong() - t0) / work);
        } else if (phase == SAMPLE_EVERY / 2) {
            long t0 = nanoClock.getAsLong();
            scalar.code(m, inputs, outputs, offset, length);
            recordScalar((double) (nanoClock.getAsLong() - t0) / work);
        } else {
            scalar.code(m, inputs, outputs, offset, length);
        }
    }

    private void recordScalar(double nsPerByte) {
        lock.lock();
        try {
            bestScalar = Math.min(bestScalar, nsPerByte);
        } finally {
            lock.unlock();
        }
    }

    private void recordVector(double nsPerByte) {
        lock.lock();
        try {
            recentVector[vectorSamples % WINDOW] = nsPerByte;
            vectorSamples++;
            if (vectorSamples >= WINDOW && bestScalar != Double.MAX_VALUE) {
                double worst = 0;
                for (double v : recentVector) {
                    worst = Math.max(worst, v);
                }
                if (worst <= MARGIN * bestScalar) {
                    state = VECTOR;
                    return;
                }
            }
            if (vectorSamples >= MAX_VECTOR_SAMPLES) {
                state = SCALAR;
            }
        } finally {
            lock.unlock();
        }
    }
}
