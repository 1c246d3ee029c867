package kcp.smux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import kcp.smux.internal.KeepAliveScheduler;

/** Keepalive in virtual time: tasks run in the test's thread when {@link #advance} passes their due time. */
final class ManualScheduler implements KeepAliveScheduler {
    private final List<Task> tasks = new ArrayList<>();
    private long now;

    private static final class Task {
        final long period;
        final Runnable action;
        long due;
        boolean cancelled;

        Task(long period, Runnable action, long due) {
            this.period = period;
            this.action = action;
            this.due = due;
        }
    }

    @Override
    public Runnable every(Duration period, Runnable task) {
        Task t = new Task(period.toNanos(), task, now + period.toNanos());
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves time forward, running every task that falls due, in time order. */
    void advance(Duration d) {
        long end = now + d.toNanos();
        while (true) {
            Task next = null;
            for (Task t : List.copyOf(tasks)) {
                if (!t.cancelled && t.due <= end && (next == null || t.due < next.due)) {
                    next = t;
                }
            }
            if (next == null) {
                break;
            }
            now = next.due;
            next.due += next.period;
            next.action.run();
        }
        now = end;
    }
}
