package kcp.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.NetStats;

/**
 * {@code echo-server} and {@code sink-server}: a listener whose every accepted session gets a thread
 * ({@link CliConfig#startThread}) that echoes every byte back, or reads sink transfers (8-byte big-endian
 * length, payload) and answers each with the 8-byte count received. Prints {@code LISTEN host:port} once
 * bound; runs until {@code --timeout}, {@link #stop} or JVM shutdown; then prints
 * {@code RESULT sessions=N echoed|received=B} and the counters.
 *
 * <p>Thread-safe: {@link #stop} may be called from any thread.
 */
final class Server {
    /**
     * Per-session read buffer: two full segments of a stream-mode session (a read takes every ready segment that
     * fits). A bigger one costs memory per idle session: with 64 KiB it was 64 of the 160 KB of heap each idle
     * session cost the server. The Go twin (interop/go kcpgo) uses the same size.
     */
    static final int SERVE_BUFFER_BYTES = 4096;

    private final CliConfig config;
    private final PrintStream out;
    private final boolean sink;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch reported = new CountDownLatch(1);
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    /** Sessions being served; each leaves when its serving thread ends (idle timeout, failure, close). */
    private final Queue<KcpSession> accepted = new ConcurrentLinkedQueue<>();
    private volatile KcpListener listener;

    /**
     * @param config parsed flags ({@code --listen}, session knobs, {@code --timeout})
     * @param out    LISTEN, SINK and RESULT lines
     * @param sink   true for a sink server
     */
    Server(CliConfig config, PrintStream out, boolean sink) {
        this.config = config;
        this.out = out;
        this.sink = sink;
    }

    /**
     * Binds and starts accepting; prints {@code LISTEN host:port}.
     *
     * @return the bound address
     */
    InetSocketAddress start() throws IOException {
        listener = Kcps.listen(config.address(), config.options().toBuilder().acceptBacklog(65536).build());
        InetSocketAddress bound = listener.localAddress();
        out.println("LISTEN " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
        out.flush();
        Thread.ofVirtual().name("kcp-accept").start(this::acceptLoop);
        return bound;
    }

    /** Runs until the timeout or {@link #stop()}, then closes and reports. @return exit status 0 */
    int run() throws IOException, InterruptedException {
        start();
        if (config.timeout().isZero()) {
            stopRequested.await();
        } else {
            stopRequested.await(config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        closeAndReport();
        return 0;
    }

    /** Asks {@link #run()} to finish; waits up to {@code waitMs} for the final report. */
    void stop(long waitMs) {
        stopRequested.countDown();
        try {
            reported.await(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return sessions being served now, in accept order (finished ones are pruned) */
    List<KcpSession> acceptedSessions() {
        return List.copyOf(accepted);
    }

    /** @return threads serving sessions now */
    long busyThreads() {
        return busy.get();
    }

    /** @return the listener's sessions now (accepted or waiting), 0 before start */
    int listenerSessions() {
        KcpListener l = listener;
        return l == null ? 0 : l.sessionCount();
    }

    /** @return bytes echoed (echo) or received (sink) so far */
    long bytes() {
        return bytes.get();
    }

    /** Closes the listener (and its sessions) and prints the RESULT line and the counters. */
    void closeAndReport() {
        listener.close();
        out.println("RESULT sessions=" + sessions.get() + (sink ? " received=" : " echoed=") + bytes.get());
        Report.counters(out, List.of("server"), List.of(NetStats.global().snapshot()::get));
        reported.countDown();
    }

    private void acceptLoop() {
        while (true) {
            KcpSession s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;
            }
            sessions.incrementAndGet();
            accepted.add(s);
            config.startThread("kcp-serve-" + Integer.toUnsignedString(s.conv()), busy.incrementAndGet(), () -> {
                try {
                    serve(s);
                } finally {
                    busy.decrementAndGet();
                }
            });
        }
    }

    private void serve(KcpSession s) {
        try {
            if (sink) {
                sinkLoop(s);
            } else {
                echoLoop(s);
            }
        } catch (SocketException e) {
            // closed by the listener at shutdown
        } catch (IOException e) {
            System.getLogger(Server.class.getName()).log(System.Logger.Level.DEBUG, "session ended", e);
        } finally {
            s.close();
            accepted.remove(s);
        }
    }

    private void echoLoop(KcpSession s) throws IOException {
        byte[] buf = new byte[SERVE_BUFFER_BYTES];
        while (true) {
            int n = s.read(buf, 0, buf.length);
            // counted before the write, so a client that saw its echo always sees it counted
            bytes.addAndGet(n);
            s.write(buf, 0, n);
        }
    }

    private void sinkLoop(KcpSession s) throws IOException {
        byte[] header = new byte[ClientJobs.SINK_HEADER_BYTES];
        byte[] buf = new byte[SERVE_BUFFER_BYTES];
        while (true) {
            ClientJobs.readFully(s, header);
            long expect = ClientJobs.getLong(header);
            long start = System.nanoTime();
            long got = 0;
            while (got < expect) {
                int n = s.read(buf, 0, (int) Math.min(buf.length, expect - got));
                got += n;
                bytes.addAndGet(n);
            }
            long elapsed = System.nanoTime() - start;
            ClientJobs.putLong(header, got);
            s.write(header, 0, header.length);
            out.println("SINK conv=" + Integer.toUnsignedString(s.conv()) + " bytes=" + got + " elapsed_ms="
                    + TimeUnit.NANOSECONDS.toMillis(elapsed) + " MBps=" + Report.fmt2(Report.mbps(got, elapsed)));
        }
    }
}
