package kcp.bench.smux;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The smallest reproduction of the allocation left in {@link SmuxFramingBench}: one operation is one
 * wake-up of a parked thread with {@code LockSupport.unpark}, nothing else (no lock, no queue, no smux). The
 * woken thread is a virtual thread or a platform thread ({@code kind}); the benchmark thread waits for it to
 * acknowledge by spinning, so that only the wake-up is measured. With {@code -prof gc}, a virtual thread
 * costs about 24 B per wake-up on JDK 25 ({@code VirtualThread.unpark} submits its continuation with
 * {@code ForkJoinPool.execute(Runnable)}, which wraps it in a new {@code ForkJoinTask.RunnableExecuteAction});
 * a platform thread costs 0 B.
 *
 * <pre>bench/jmh.sh WakeupBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WakeupBench {
    /** virtual or platform: the kind of thread that parks and is woken. */
    @Param({"virtual", "platform"})
    public String kind;

    private volatile long requested;
    private volatile long served;
    private volatile boolean stop;
    private Thread sleeper;

    /** Starts the thread that parks until woken, then acknowledges each wake-up. */
    @Setup(Level.Trial)
    public void setUp() {
        Runnable loop = () -> {
            long seen = 0;
            while (!stop) {
                long r = requested;
                if (r == seen) {
                    LockSupport.park(this);
                    continue;
                }
                seen = r;
                served = r;
            }
        };
        sleeper = "virtual".equals(kind) ? Thread.ofVirtual().start(loop) : Thread.ofPlatform().start(loop);
    }

    /** Stops the sleeping thread. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        stop = true;
        LockSupport.unpark(sleeper);
        sleeper.join();
    }

    /**
     * Wakes the sleeping thread once and spins until it has run.
     *
     * @return the wake-up count, so the work cannot be eliminated
     */
    @Benchmark
    public long wakeOnce() {
        long r = requested + 1;
        requested = r;
        LockSupport.unpark(sleeper);
        while (served != r) {
            Thread.onSpinWait();
        }
        return r;
    }
}
