package kcp.bench.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The live progress line: bytes done of the total, percentage and the current rate, redrawn in place
 * ({@code \r}) on a terminal, or printed as one line per second otherwise.
 *
 * <p>Runs on its own daemon thread; {@link #stop()} is thread-safe and idempotent.
 */
final class Progress {
    private final PrintStream err;
    private final String verb;
    private final long total;
    private final LongSupplier done;
    private final boolean terminal = System.console() != null;
    private final Thread thread;
    private volatile boolean running = true;

    private Progress(PrintStream err, String verb, long total, LongSupplier done) {
        this.err = err;
        this.verb = verb;
        this.total = total;
        this.done = done;
        this.thread = Thread.ofPlatform().daemon().name("kcp-progress").unstarted(this::loop);
    }

    /** Starts redrawing; call {@link #stop()} when the transfer ends. */
    static Progress start(PrintStream err, String verb, long total, LongSupplier done) {
        Progress p = new Progress(err, verb, total, done);
        p.thread.start();
        return p;
    }

    private void loop() {
        long start = System.nanoTime();
        long lastNanos = start;
        long lastBytes = 0;
        long period = terminal ? 250 : 1000;
        while (running) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                break;
            }
            long now = System.nanoTime();
            long bytes = done.getAsLong();
            double rate = Report.mbps(bytes - lastBytes, now - lastNanos);
            lastNanos = now;
            lastBytes = bytes;
            String line = String.format(Locale.ROOT, "%s %.1f / %.1f MiB (%3.0f%%)  %.1f MB/s  %.1f s", verb,
                    bytes / 1048576.0, total / 1048576.0, total == 0 ? 100.0 : 100.0 * bytes / total, rate,
                    (now - start) / 1e9);
            if (running) {
                err.print(terminal ? "\r" + line + "   " : line + "\n");
                err.flush();
            }
        }
    }

    /** Stops the thread and ends the line. */
    void stop() {
        if (!running) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) {
            err.print("\n");
            err.flush();
        }
    }
}
