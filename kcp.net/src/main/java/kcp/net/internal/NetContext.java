package kcp.net.internal;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.function.LongSupplier;

/**
 * What sessions and listeners share: the clock, the updater that ticks them and the datagram buffer pool. The shared
 * context is {@code System.nanoTime}, {@link Updater#shared()} and {@link BufferPool#shared()}; a manual context has
 * a clock that moves only when told to, an updater that runs only when told to, and a pool of its own, so a whole
 * listener and its sessions run in virtual time.
 *
 * <p>Thread-safe.
 */
public final class NetContext {
    /** Longest real wait of a blocked caller under a manual clock before it looks at the clock again: 1 ms. */
    private static final long MANUAL_WAIT_SLICE_NANOS = 1_000_000L;

    private static final NetContext SHARED = new NetContext(System::nanoTime, null, null, false);

    private final LongSupplier clock;
    private final Updater updater;
    private final BufferPool pool;
    private final boolean manual;

    private NetContext(LongSupplier clock, Updater updater, BufferPool pool, boolean manual) {
        this.clock = clock;
        this.updater = updater;
        this.pool = pool;
        this.manual = manual;
    }

    /**
     * Returns the process-wide context: {@code System.nanoTime}, the shared updater thread and the shared pool.
     *
     * @return the shared context
     */
    public static NetContext shared() {
        return SHARED;
    }

    /**
     * Creates a context on a clock that only moves when its owner moves it; its updater has no thread: the owner
     * calls {@link Updater#runDue(long)}.
     *
     * @param clock the virtual clock in nanoseconds
     * @return the context
     */
    public static NetContext manual(LongSupplier clock) {
        Objects.requireNonNull(clock, "clock");
        return new NetContext(clock, new Updater("kcp-manual-updater", clock), new BufferPool(256), true);
    }

    /**
     * Returns the current time in nanoseconds on this context's clock.
     *
     * @return the clock's value
     */
    public long nanoTime() {
        return clock.getAsLong();
    }

    /**
     * Returns the current time in KCP's wrapping 32-bit millisecond base.
     *
     * @return the clock in milliseconds, truncated to an int
     */
    public int nowMs() {
        return (int) (clock.getAsLong() / 1_000_000L);
    }

    /**
     * Returns the updater that ticks this context's sessions.
     *
     * @return the updater
     */
    public Updater updater() {
        return updater != null ? updater : Updater.shared();
    }

    /**
     * Returns the pool of datagram buffers.
     *
     * @return the pool
     */
    public BufferPool pool() {
        return pool != null ? pool : BufferPool.shared();
    }

    /**
     * Returns true if the clock and the updater move only when the owner moves them.
     *
     * @return whether this context runs in virtual time
     */
    public boolean isManual() {
        return manual;
    }

    /**
     * Waits on {@code c} until it is signalled or {@code deadlineNanos} (this clock) passes. Under a manual clock the
     * caller wakes every millisecond of real time to look at the virtual clock, so a timeout fires soon after the
     * owner moves the clock past it.
     *
     * @param c             a condition of a lock the caller holds
     * @param deadlineNanos the deadline on this clock, or 0 for none
     * @return false if the deadline has passed (nothing was awaited), true otherwise
     * @throws InterruptedException if the caller is interrupted
     */
    public boolean await(Condition c, long deadlineNanos) throws InterruptedException {
        if (deadlineNanos == 0 && !manual) {
            c.await();
            return true;
        }
        long left = deadlineNanos == 0 ? Long.MAX_VALUE : deadlineNanos - clock.getAsLong();
        if (left <= 0) {
            return false;
        }
        c.awaitNanos(manual ? Math.min(left, MANUAL_WAIT_SLICE_NANOS) : left);
        return true;
    }

    /**
     * Returns the deadline {@code timeoutNanos} from now on this clock, or 0 for none.
     *
     * @param timeoutNanos the timeout, 0 or less for none
     * @return the absolute deadline, or 0
     */
    public long deadline(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return 0;
        }
        long d = clock.getAsLong() + timeoutNanos;
        return d == 0 ? 1 : d;
    }
}
