package kcp.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.smux.SmuxSession;
import kcp.smux.SmuxStream;
import kcp.smux.SnappyChannel;

/**
 * {@code tunnel-client}: kcptun-client's loop. Accepts TCP connections on {@code --localaddr}; each becomes an smux
 * stream over one of {@code --conn} KCP sessions to {@code --remoteaddr}, chosen round robin, and is copied both ways
 * with {@link TunnelPipe} on virtual threads. A session is dialled when its slot is first used, again when it has
 * closed (smux keepalive timeout, peer gone) and, with {@code --autoexpire}, when it has expired; an expired session
 * keeps its streams and is closed {@code --scavengettl} seconds after it expired. Prints {@code LISTEN host:port}
 * once bound and runs until {@link #stop} or JVM shutdown.
 *
 * <p>Thread-safe: {@link #stop} may be called from any thread. Only the accept thread touches the session slots.
 */
final class TunnelClient {
    /** kcptun waits this long between failed attempts to set up a session. */
    private static final Duration REDIAL_PAUSE = Duration.ofSeconds(1);

    /** An smux session with the time it stops taking new streams ({@code --autoexpire}). */
    private record Timed(SmuxSession session, KcpSession kcp, long expiresAtNanos) {
    }

    private final TunnelConfig config;
    private final PrintStream out;
    private final TunnelLog log;
    private final Timed[] slots;
    private final BlockingQueue<Timed> expiring = new LinkedBlockingQueue<>();
    private final Queue<Timed> all = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong sessionsDialled = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private volatile ServerSocketChannel server;
    private volatile boolean stopping;
    private volatile Thread snmp;
    private volatile Thread scavenger;

    /**
     * @param config parsed flags
     * @param out    the LISTEN and RESULT lines
     * @param log    the kcptun-style log
     */
    TunnelClient(TunnelConfig config, PrintStream out, TunnelLog log) {
        this.config = config;
        this.out = out;
        this.log = log;
        this.slots = new Timed[config.conn()];
    }

    /**
     * Binds the TCP listener, logs the settings and starts accepting; prints {@code LISTEN host:port}.
     *
     * @return the bound TCP address
     */
    InetSocketAddress start() throws IOException {
        Tunnels.logSettings(log, config);
        server = ServerSocketChannel.open();
        server.bind(config.local(), 1024);
        InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
        log.log("listening on: " + Tunnels.hostPort(bound));
        out.println("LISTEN " + Tunnels.hostPort(bound));
        out.flush();
        Thread.ofPlatform().name("tunnel-accept").daemon().start(this::acceptLoop);
        if (!config.autoExpire().isZero()) {
            scavenger = Thread.ofVirtual().name("tunnel-scavenger").start(this::scavenge);
        }
        snmp = Tunnels.startSnmpLogger(config, log);
        return bound;
    }

    /** Runs until {@link #stop}; @return exit status 0 */
    int run() throws IOException, InterruptedException {
        start();
        stopRequested.await();
        close();
        return 0;
    }

    /** Asks {@link #run()} to finish and waits up to {@code waitMs} for it. */
    void stop(long waitMs) throws InterruptedException {
        stopRequested.countDown();
        stoppedLatch.await(waitMs, TimeUnit.MILLISECONDS);
    }

    /** Closes the listener and every session, prints {@code RESULT sessions=N streams=S up=B down=B}. */
    void close() {
        stopping = true;
        for (Thread t : new Thread[] {snmp, scavenger}) {
            if (t != null) {
                t.interrupt();
            }
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            log.log("close: " + e.getMessage());
        }
        for (Timed t : all) {
            t.session.close();
            t.kcp.close();
        }
        out.println("RESULT sessions=" + sessionsDialled.get() + " streams=" + streams.get() + " up=" + bytesUp.get()
                + " down=" + bytesDown.get());
        out.flush();
        stoppedLatch.countDown();
    }

    /** @return KCP sessions dialled so far */
    long sessionsDialled() {
        return sessionsDialled.get();
    }

    /** @return KCP sessions not closed yet */
    long openSessions() {
        return all.stream().filter(t -> !t.session.isClosed()).count();
    }

    private void acceptLoop() {
        long rr = 0;
        while (true) {
            SocketChannel tcp;
            try {
                tcp = server.accept();
            } catch (IOException e) {
                if (!stopping) {
                    log.log("accept: " + e.getMessage());
                }
                return;
            }
            int idx = (int) (rr++ % slots.length);
            Timed slot = slots[idx];
            if (slot == null || slot.session.isClosed()
                    || (!config.autoExpire().isZero() && System.nanoTime() - slot.expiresAtNanos > 0)) {
                slot = waitConn();
                if (slot == null) {
                    closeQuietly(tcp);
                    return;
                }
                slots[idx] = slot;
                if (!config.autoExpire().isZero()) {
                    expiring.add(slot);
                }
            }
            SmuxSession mux = slot.session;
            Thread.ofVirtual().name("tunnel-conn").start(() -> handleClient(mux, tcp));
        }
    }

    /** Dials until a session is up, pausing a second after each failure, as kcptun does; null when stopping. */
    private Timed waitConn() {
        while (!stopping) {
            try {
                return createConn();
            } catch (IOException | RuntimeException e) {
                log.log("re-connecting: " + e.getMessage());
                try {
                    Thread.sleep(REDIAL_PAUSE);
                } catch (InterruptedException x) {
                    return null;
                }
            }
        }
        return null;
    }

    private Timed createConn() throws IOException {
        KcpSession kcp = Kcps.dial(config.remote(), config.options());
        ByteChannel channel = config.compress() ? SnappyChannel.over(kcp) : kcp;
        log.log("smux version: " + config.smux().version() + " on connection: " + Tunnels.hostPort(kcp.localAddress())
                + " -> " + Tunnels.hostPort(kcp.remoteAddress()));
        SmuxSession mux = SmuxSession.client(channel, config.smux());
        sessionsDialled.incrementAndGet();
        all.removeIf(old -> old.session.isClosed());
        Timed t = new Timed(mux, kcp, System.nanoTime() + config.autoExpire().toNanos());
        all.add(t);
        if (stopping) {
            mux.close();
            kcp.close();
        }
        return t;
    }

    private void handleClient(SmuxSession mux, SocketChannel tcp) {
        String in = "?";
        try {
            in = Tunnels.hostPort(tcp.getRemoteAddress());
            tcp.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SmuxStream stream = mux.openStream();
            streams.incrementAndGet();
            String outAddr = Tunnels.hostPort(config.remote()) + "(" + Integer.toUnsignedString(stream.id()) + ")";
            log.stream("stream opened in: " + in + " out: " + outAddr);
            TunnelPipe.Totals t = new TunnelPipe(tcp, tcp::shutdownOutput, stream, stream::shutdownOutput).run();
            bytesUp.addAndGet(t.aToB());
            bytesDown.addAndGet(t.bToA());
            log.stream("stream closed in: " + in + " out: " + outAddr);
        } catch (IOException e) {
            log.log("stream in: " + in + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(tcp);
        }
    }

    /** kcptun's scavenger: closes each expired session {@code --scavengettl} after it expired, checked every second. */
    private void scavenge() {
        List<Timed> list = new ArrayList<>();
        long ttl = config.scavengeTtl().toNanos();
        while (true) {
            try {
                Timed t = expiring.poll(1, TimeUnit.SECONDS);
                if (t != null) {
                    list.add(t);
                }
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (var it = list.iterator(); it.hasNext(); ) {
                Timed t = it.next();
                if (t.session.isClosed()) {
                    log.log("scavenger: session normally closed: " + Tunnels.hostPort(t.kcp.localAddress()));
                    it.remove();
                } else if (now - (t.expiresAtNanos + ttl) > 0) {
                    log.log("scavenger: session closed due to ttl: " + Tunnels.hostPort(t.kcp.localAddress()));
                    t.session.close();
                    t.kcp.close();
                    it.remove();
                }
            }
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
