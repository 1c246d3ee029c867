package kcp.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.NetStats;
import kcp.net.NetStatsSnapshot;

/**
 * Runs one client job on {@code --sessions} concurrent sessions (one thread each, see {@code --threads}), enforces
 * {@code --timeout}, shows the live progress line, holds the sessions open for {@code --hold}, then prints
 * {@code RESULT ok|FAIL sessions=K bytes=N elapsed_ms=T MBps=R} and the counters.
 *
 * <p>Not thread-safe; one instance per run. The elapsed time runs from the first dial to the end of the
 * last session's transfer (the hold is not included).
 */
final class ClientRunner {
    /** The per-session work: transfer and verify; throw with a message naming what went wrong. */
    @FunctionalInterface
    interface Job {
        /**
         * @param session  the connected session
         * @param index    0-based session index (seed offset)
         * @param progress add verified bytes here as they complete
         * @throws Exception on any failure (mismatch, timeout, I/O)
         */
        void run(KcpSession session, int index, LongAdder progress) throws Exception;
    }

    private final CliConfig config;
    private final PrintStream out;
    private final PrintStream err;
    private final String verb;

    /**
     * @param config parsed flags
     * @param out    RESULT line and counters
     * @param err    progress line and failure details
     * @param verb   progress word ("echoed", "sent")
     */
    ClientRunner(CliConfig config, PrintStream out, PrintStream err, String verb) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.verb = verb;
    }

    /**
     * What a run produced.
     *
     * @param failure      null if every session completed, else the first problem
     * @param bytes        bytes completed over all sessions
     * @param elapsedNanos first dial to the end of the last transfer (hold excluded)
     * @param srttMs       first session's smoothed RTT at the end
     * @param rttVarMs     first session's RTT variation at the end
     * @param rtoMs        first session's RTO at the end
     * @param sessionStats every dialed session's counters at the end, in dial order (empty if none was dialed)
     */
    record Outcome(String failure, long bytes, long elapsedNanos, int srttMs, int rttVarMs, int rtoMs,
            List<NetStatsSnapshot> sessionStats) {
        /** @return true if every session completed */
        boolean ok() {
            return failure == null;
        }
    }

    /**
     * Runs the job and reports: the RESULT line and the counters on {@code out}, a failure on {@code err}.
     *
     * @param job         per-session work
     * @param extraResult appended to the RESULT line (e.g. latency percentiles), may return ""
     * @return 0 if every session completed, 1 otherwise
     */
    int runAndReport(Job job, Supplier<String> extraResult) throws InterruptedException {
        Outcome o = run(job);
        String extra = o.ok() ? extraResult.get() : "";
        out.println("RESULT " + (o.ok() ? "ok" : "FAIL") + " sessions=" + config.sessions() + " bytes=" + o.bytes()
                + " elapsed_ms=" + TimeUnit.NANOSECONDS.toMillis(o.elapsedNanos()) + " MBps="
                + Report.fmt2(Report.mbps(o.bytes(), o.elapsedNanos())) + " srtt_ms=" + o.srttMs() + " rto_ms="
                + o.rtoMs() + (extra.isEmpty() ? "" : " " + extra));
        if (config.sessions() > 1) {
            out.println("counters: process-wide, the sums over all " + config.sessions() + " sessions");
        }
        Report.counters(out, List.of("client"), List.of(NetStats.global().snapshot()::get));
        if (!o.ok()) {
            err.println("kcp: " + verb + " failed: " + o.failure());
            return 1;
        }
        return 0;
    }

    /**
     * Dials the sessions, runs the job on each, waits for all (or the timeout), holds, closes.
     *
     * @param job per-session work
     * @return the outcome
     */
    Outcome run(Job job) throws InterruptedException {
        int k = config.sessions();
        long total = config.bytes() * k;
        LongAdder progress = new LongAdder();
        AtomicReference<String> failure = new AtomicReference<>();
        List<KcpSession> sessions = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(k);
        long start = System.nanoTime();
        long deadline = config.timeout().isZero() ? Long.MAX_VALUE : start + config.timeout().toNanos();
        for (int i = 0; i < k; i++) {
            KcpSession s;
            try {
                s = Kcps.dial(config.address(), config.options());
            } catch (IOException e) {
                failure.compareAndSet(null, "dial " + config.address() + " failed: " + e.getMessage());
                for (int j = i; j < k; j++) {
                    done.countDown();
                }
                break;
            }
            sessions.add(s);
            int index = i;
            config.startThread("kcp-client-" + i, k, () -> {
                try {
                    job.run(s, index, progress);
                } catch (Exception e) {
                    failure.compareAndSet(null, "session " + index + ": " + describe(e));
                } finally {
                    done.countDown();
                }
            });
        }
        Progress bar = config.quiet() ? null : Progress.start(err, verb, total, progress::sum);
        boolean finished = awaitUntil(done, deadline);
        long elapsed = System.nanoTime() - start;
        if (bar != null) {
            bar.stop();
        }
        if (!finished) {
            failure.compareAndSet(null, "timeout after " + config.timeout().toSeconds() + " s with "
                    + progress.sum() + " of " + total + " bytes done");
        }
        if (finished && failure.get() == null && !config.hold().isZero()) {
            err.println("HOLD sessions=" + k + " seconds=" + config.hold().toSeconds());
            err.flush();
            Thread.sleep(config.hold().toMillis());
        }
        int srtt = 0;
        int rttVar = 0;
        int rto = 0;
        if (!sessions.isEmpty()) {
            KcpSession s = sessions.get(0);
            srtt = s.srtt();
            rttVar = s.srttVar();
            rto = s.rto();
        }
        List<NetStatsSnapshot> stats = new ArrayList<>();
        for (KcpSession s : sessions) {
            stats.add(s.stats().snapshot());
            s.close();
        }
        String problem = failure.get();
        return new Outcome(problem, problem == null ? total : progress.sum(), elapsed, srtt, rttVar, rto, stats);
    }

    private static boolean awaitUntil(CountDownLatch latch, long deadline) throws InterruptedException {
        if (deadline == Long.MAX_VALUE) {
            latch.await();
            return true;
        }
        return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
