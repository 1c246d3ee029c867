package kcp.net.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs a recurring problem at most once per interval (the first occurrence at once, with its stack trace), and says
 * how many occurrences the interval swallowed; the rest go to {@code DEBUG} only if that level is on. For failures
 * that can repeat once per datagram or per tick: a log line per occurrence would flood the log and slow the
 * very path that is already in trouble. Thread-safe without locks; allocates only when it logs.
 */
public final class RateLimitedLog {
    private final System.Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextReportNanos;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();

    /**
     * Creates a limiter over {@code log}.
     *
     * @param log           where reports go
     * @param intervalNanos shortest time between two reports
     * @param nanoClock     the clock ({@code System::nanoTime} in production)
     */
    public RateLimitedLog(System.Logger log, long intervalNanos, LongSupplier nanoClock) {
        this.log = Objects.requireNonNull(log, "log");
        this.intervalNanos = intervalNanos;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.nextReportNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Reports one occurrence: logs it at {@code level} if the interval since the last report has passed (naming the
     * occurrences suppressed since), else counts it and logs it at {@code DEBUG} if that is enabled.
     *
     * @param level   the level of a report
     * @param message what happened
     * @param thrown  the exception, or null
     */
    public void log(System.Logger.Level level, String message, Throwable thrown) {
        long now = nanoClock.getAsLong();
        long next = nextReportNanos.get();
        if (now - next >= 0 && nextReportNanos.compareAndSet(next, now + intervalNanos)) {
            long swallowed = suppressed.getAndSet(0);
            reports.incrementAndGet();
            log.log(level, swallowed == 0 ? message
                    : message + " (" + swallowed + " more since the last report, not logged; next report in "
                            + intervalNanos / 1_000_000_000L + " s at the earliest)", thrown);
            return;
        }
        suppressed.incrementAndGet();
        if (log.isLoggable(System.Logger.Level.DEBUG)) {
            log.log(System.Logger.Level.DEBUG, message, thrown);
        }
    }

    /** {@return how many occurrences were logged at their own level so far} */
    public long reports() {
        return reports.get();
    }

    /** {@return occurrences since the last report that were not logged at their own level} */
    public long suppressed() {
        return suppressed.get();
    }
}
