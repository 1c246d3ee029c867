package kcp.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.smux.SmuxSession;
import kcp.smux.SmuxStream;
import kcp.smux.SnappyChannel;

/**
 * {@code tunnel-server}: kcptun-server's loop. Every KCP session accepted on {@code --listen} gets a virtual thread
 * running an smux server session over it (through snappy framing unless {@code --nocomp}); every stream accepted
 * there gets a virtual thread that dials {@code --target} (TCP, or a unix socket path) and copies both ways with
 * {@link TunnelPipe}. A stream whose target cannot be dialled is closed (its client sees end of stream).
 * Prints {@code LISTEN host:port} once bound and runs until {@link #stop} or JVM shutdown.
 *
 * <p>Thread-safe: {@link #stop} may be called from any thread.
 */
final class TunnelServer {
    private final TunnelConfig config;
    private final PrintStream out;
    private final TunnelLog log;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile KcpListener listener;
    private volatile Thread snmp;

    /**
     * @param config parsed flags
     * @param out    the LISTEN and RESULT lines
     * @param log    the kcptun-style log
     */
    TunnelServer(TunnelConfig config, PrintStream out, TunnelLog log) {
        this.config = config;
        this.out = out;
        this.log = log;
    }

    /**
     * Binds, logs the settings as kcptun does and starts accepting; prints {@code LISTEN host:port}.
     *
     * @return the bound UDP address
     */
    InetSocketAddress start() throws IOException {
        Tunnels.logSettings(log, config);
        listener = Kcps.listen(config.local(), config.options());
        if (config.options().dscp() > 0) {
            listener.setDscp(config.options().dscp());
        }
        InetSocketAddress bound = listener.localAddress();
        log.log("listening on: " + Tunnels.hostPort(bound));
        out.println("LISTEN " + Tunnels.hostPort(bound));
        out.flush();
        Thread.ofVirtual().name("tunnel-accept").start(this::acceptLoop);
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
        stopped.await(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Closes the listener and every session, prints {@code RESULT sessions=N streams=S in=B out=B}. */
    void close() {
        if (snmp != null) {
            snmp.interrupt();
        }
        if (listener != null) {
            listener.close();
        }
        out.println("RESULT sessions=" + sessions.get() + " streams=" + streams.get() + " in=" + bytesIn.get()
                + " out=" + bytesOut.get());
        out.flush();
        stopped.countDown();
    }

    /** @return KCP sessions accepted so far */
    long sessions() {
        return sessions.get();
    }

    /** @return streams served so far */
    long streams() {
        return streams.get();
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
            log.log("remote address: " + Tunnels.hostPort(s.remoteAddress()));
            Thread.ofVirtual().name("tunnel-mux-" + Integer.toUnsignedString(s.conv())).start(() -> handleMux(s));
        }
    }

    private void handleMux(KcpSession kcp) {
        ByteChannel channel = config.compress() ? SnappyChannel.over(kcp) : kcp;
        log.log("smux version: " + config.smux().version() + " on connection: "
                + Tunnels.hostPort(kcp.localAddress()) + " -> " + Tunnels.hostPort(kcp.remoteAddress()));
        try (SmuxSession mux = SmuxSession.server(channel, config.smux())) {
            while (true) {
                SmuxStream stream;
                try {
                    stream = mux.acceptStream();
                } catch (IOException e) {
                    log.log(e.getMessage());
                    return;
                }
                Thread.ofVirtual().name("tunnel-stream-" + Integer.toUnsignedString(stream.id()))
                        .start(() -> handleStream(kcp, stream));
            }
        } finally {
            kcp.close();
        }
    }

    private void handleStream(KcpSession kcp, SmuxStream stream) {
        SocketChannel target;
        try {
            target = dialTarget();
        } catch (IOException e) {
            log.log("dial " + config.target() + ": " + e.getMessage());
            stream.close();
            return;
        }
        streams.incrementAndGet();
        String in = Tunnels.hostPort(kcp.remoteAddress()) + "(" + Integer.toUnsignedString(stream.id()) + ")";
        String outAddr = config.target();
        log.stream("stream opened in: " + in + " out: " + outAddr);
        try {
            TunnelPipe.Totals t = new TunnelPipe(target, target::shutdownOutput, stream, stream::shutdownOutput)
                    .run();
            bytesOut.addAndGet(t.aToB());
            bytesIn.addAndGet(t.bToA());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            log.stream("stream closed in: " + in + " out: " + outAddr);
        }
    }

    private SocketChannel dialTarget() throws IOException {
        String target = config.target();
        if (!TunnelConfig.isHostPort(target)) {
            SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                unix.connect(UnixDomainSocketAddress.of(target));
                return unix;
            } catch (IOException | RuntimeException e) {
                unix.close();
                throw e;
            }
        }
        int colon = target.lastIndexOf(':');
        String host = target.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(target.substring(colon + 1));
        // resolved per stream, as Go's net.Dial does
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(),
                port) : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("unknown host " + host);
        }
        SocketChannel tcp = SocketChannel.open(address);
        tcp.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        return tcp;
    }
}
