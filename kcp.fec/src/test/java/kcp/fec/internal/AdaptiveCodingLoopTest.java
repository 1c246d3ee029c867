package kcp.fec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.Test;

/** The adaptive loop's switching rule on a virtual clock, and its output against the real loops. */
class AdaptiveCodingLoopTest {

    /** Delegates to a real loop and advances the virtual clock by a cost that depends on how often it ran. */
    private static final class TimedLoop implements CodingLoop {
        private final CodingLoop real;
        private final long[] clock;
        private final IntUnaryOperator nsPerCall;
        int calls;

        TimedLoop(CodingLoop real, long[] clock, IntUnaryOperator nsPerCall) {
            this.real = real;
            this.clock = clock;
            this.nsPerCall = nsPerCall;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public CodingMatrix prepare(int rows, int cols, byte[] coefficients) {
            return real.prepare(rows, cols, coefficients);
        }

        @Override
        public void code(CodingMatrix m, byte[][] inputs, byte[][] outputs, int offset, int length) {
            clock[0] += nsPerCall.applyAsInt(calls++);
            real.code(m, inputs, outputs, offset, length);
        }
    }

    /** A loop that only costs virtual time (keeps the long give-up test fast). */
    private static final CodingLoop NOOP = new CodingLoop() {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public CodingMatrix prepare(int rows, int cols, byte[] coefficients) {
            return ScalarCodingLoop.bytewise().prepare(rows, cols, coefficients);
        }

        @Override
        public void code(CodingMatrix m, byte[][] inputs, byte[][] outputs, int offset, int length) {
        }
    };

    private static final int ROWS = 3;
    private static final int COLS = 10;
    private static final int LEN = 1400;

    private static byte[][] shards(int n, SplittableRandom rnd) {
        byte[][] s = new byte[n][LEN];
        for (byte[] b : s) {
            rnd.nextBytes(b);
        }
        return s;
    }

    @Test
    void shouldStayScalarWhileTheVectorLoopIsSlowAndSwitchOnceItIsFaster() {
        long[] clock = {0};
        TimedLoop scalar = new TimedLoop(ScalarCodingLoop.bytewise(), clock, n -> 10_000);
        // "Interpreted" for its first 40 calls, then 4x faster than scalar, like C2-compiled Vector API code.
        TimedLoop vector = new TimedLoop(ScalarCodingLoop.wide(), clock, n -> n < 40 ? 500_000 : 2_500);
        AdaptiveCodingLoop loop = new AdaptiveCodingLoop(scalar, vector, () -> clock[0]);
        SplittableRandom rnd = new SplittableRandom(5);
        byte[] coef = new byte[ROWS * COLS];
        rnd.nextBytes(coef);
        CodingMatrix m = loop.prepare(ROWS, COLS, coef);
        byte[][] in = shards(COLS, rnd);
        byte[][] out = new byte[ROWS][LEN];
        int call = 0;
        while (loop.current().equals(scalar.name())) {
            loop.code(m, in, out, 0, LEN);
            call++;
            assertTrue(call < 10_000, "never switched");
        }
        int switchedAt = call;
        int lastSample = 40 + AdaptiveCodingLoop.WINDOW - 1; // the WINDOW-th fast vector sample switches
        assertEquals(lastSample * AdaptiveCodingLoop.SAMPLE_EVERY + 1, switchedAt);
        assertEquals(40 + AdaptiveCodingLoop.WINDOW, vector.calls, "only sampled calls ran the vector loop");
        int scalarBefore = scalar.calls;
        for (int i = 0; i < 1000; i++) {
            loop.code(m, in, out, 0, LEN);
        }
        assertEquals(scalarBefore, scalar.calls, "after the switch every call runs the vector loop");
        assertEquals("adaptive-" + ScalarCodingLoop.wide().name(), loop.name());
    }

    @Test
    void shouldGiveUpTheVectorLoopWhenItNeverBeatsScalar() {
        long[] clock = {0};
        TimedLoop scalar = new TimedLoop(NOOP, clock, n -> 10_000);
        TimedLoop vector = new TimedLoop(NOOP, clock, n -> 9_000); // faster, but not by 20%
        AdaptiveCodingLoop loop = new AdaptiveCodingLoop(scalar, vector, () -> clock[0]);
        byte[] coef = new byte[ROWS * COLS];
        new SplittableRandom(6).nextBytes(coef);
        CodingMatrix m = loop.prepare(ROWS, COLS, coef);
        byte[][] in = shards(COLS, new SplittableRandom(7));
        byte[][] out = new byte[ROWS][LEN];
        int calls = AdaptiveCodingLoop.MAX_VECTOR_SAMPLES * AdaptiveCodingLoop.SAMPLE_EVERY;
        for (int i = 0; i < calls; i++) {
            loop.code(m, in, out, 0, 64); // 3 x 10 x 64 < MIN_WORK: never sampled
        }
        assertEquals(0, vector.calls, "small calls are not sampled");
        for (int i = 0; i < calls; i++) {
            loop.code(m, in, out, 0, LEN);
        }
        assertEquals(AdaptiveCodingLoop.MAX_VECTOR_SAMPLES, vector.calls);
        for (int i = 0; i < 1000; i++) {
            loop.code(m, in, out, 0, LEN);
        }
        assertEquals(AdaptiveCodingLoop.MAX_VECTOR_SAMPLES, vector.calls, "given up: scalar for good");
        assertEquals("noop", loop.current());
    }

    @Test
    void shouldComputeTheSameBytesAsTheScalarLoopInEveryPhase() {
        CodingLoop real = CodingLoops.vectorOrNull() != null ? CodingLoops.vectorOrNull() : ScalarCodingLoop.wide();
        // The portable side is the SWAR loop, as in production: one prepared matrix must serve both loops.
        AdaptiveCodingLoop loop = new AdaptiveCodingLoop(SwarCodingLoop.instance(), real, System::nanoTime);
        SplittableRandom rnd = new SplittableRandom(8);
        byte[] coef = new byte[ROWS * COLS];
        rnd.nextBytes(coef);
        CodingMatrix m = loop.prepare(ROWS, COLS, coef.clone());
        CodingMatrix reference = ScalarCodingLoop.bytewise().prepare(ROWS, COLS, coef.clone());
        for (int i = 0; i < 10_000; i++) {
            int len = 1 + rnd.nextInt(LEN);
            byte[][] in = shards(COLS, rnd);
            byte[][] out = new byte[ROWS][LEN];
            byte[][] expected = new byte[ROWS][LEN];
            loop.code(m, in, out, 0, len);
            ScalarCodingLoop.bytewise().code(reference, in, expected, 0, len);
            for (int r = 0; r < ROWS; r++) {
                assertArrayEquals(expected[r], out[r], "call " + i + " on " + loop.current() + ", row " + r);
            }
        }
    }
}
