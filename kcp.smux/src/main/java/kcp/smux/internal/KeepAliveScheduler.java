package kcp.smux.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a session's keepalive ticks. The default, {@link #shared()}, is one {@link ScheduledThreadPoolExecutor}
 * for the whole JVM whose single worker is a virtual thread, so keepalive costs no thread per session (and no
 * platform thread at all). Tests pass a manual scheduler and move time themselves.
 */
public interface KeepAliveScheduler {

    /**
     * Runs {@code task} every {@code period}, first after one period.
     *
     * @param task a short, non-blocking action
     * @param period time between runs
     * @return an action that cancels the schedule
     */
    Runnable every(Duration period, Runnable task);

    /** @return the JVM-wide scheduler (one virtual thread for all sessions) */
    static KeepAliveScheduler shared() {
        return Shared.INSTANCE;
    }

    /** The JVM-wide scheduler. */
    final class Shared implements KeepAliveScheduler {
        static final Shared INSTANCE = new Shared();
        private final ScheduledExecutorService executor;

        private Shared() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1,
                    Thread.ofVirtual().name("kcp-smux-keepalive").factory());
            e.setRemoveOnCancelPolicy(true);
            executor = e;
        }

        @Override
        public Runnable every(Duration period, Runnable task) {
            long nanos = period.toNanos();
            ScheduledFuture<?> f = executor.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }
    }
}
