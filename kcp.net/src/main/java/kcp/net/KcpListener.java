package kcp.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import kcp.net.internal.Counters;
import kcp.net.internal.PacketPipeline;
import kcp.net.internal.NetContext;

/**
 * A KCP server socket (kcp-go's {@code Listener}): one UDP socket, one receive loop, many sessions
 * demultiplexed by the peer's address (spec 5.9). Obtain one from {@link Kcps#listen} or {@link Kcps#serve}.
 *
 * <p><b>Rules (kcp-go).</b> A datagram from an unknown address that carries a conv (a plain KCP packet or
 * an FEC data packet long enough) creates a session, unless {@link SessionOptions#acceptBacklog()}
 * sessions already wait for {@link #accept()}; there is no handshake. For a known address, packets with
 * the session's conv (or none, like FEC parity) go to it; a different conv replaces the session only if
 * the packet's sn is 0 (a reconnecting client's first PUSH), otherwise it is dropped.
 *
 * <p><b>Two deliberate improvements over kcp-go.</b> (1) Accepted sessions get every knob of the
 * listener's {@link SessionOptions} (windows, no-delay, MTU, ...) from their first packet, instead of
 * kcp-go's 32-packet defaults until the application sets them. (2) After a session closes, packets that
 * carry its conv from the same address are dropped (counted in InErrs) for
 * {@link SessionOptions#quietPeriod()} instead of resurrecting it as a ghost session; another conv from
 * that address starts a new session at once.
 *
 * <p><b>Closing</b> stops accepts, closes every session of this listener (they share its socket and
 * receive loop; their blocked callers get "Socket closed") and closes the socket if the listener owns it.
 *
 * <p>Thread-safe. {@code accept} blocks on a {@link ReentrantLock} condition (virtual threads do not pin).
 * Counters of datagrams that reach no session go to {@link NetStats#global()}.
 */
public final class KcpListener implements AutoCloseable {
    private final DatagramTransport transport;
    private final NetContext ctx;
    private final SessionOptions options;
    private final InetSocketAddress local;
    private final PacketPipeline opener;
    private final Counters counters = NetStats.global().counters();
    private final Map<InetSocketAddress, KcpSession> sessions = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Quiet> quiet = new ConcurrentHashMap<>();
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Condition acceptable = acceptLock.newCondition();
    private final ArrayDeque<KcpSession> backlog = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IOException failure;
    private final Handler handler = new Handler();

    /** A closed session's conv, ignored from its address until {@code untilNanos}. */
    private record Quiet(int conv, long untilNanos) {
    }

    KcpListener(DatagramTransport transport, SessionOptions options, NetContext ctx) {
        this.transport = transport;
        this.ctx = ctx;
        this.options = options;
        this.local = transport.localAddress();
        this.opener = new PacketPipeline(null, options.newSealer(), 0, 0, counters);
        transport.start(handler, options.receiveThread());
    }

    /**
     * Returns the bound local address (kcp-go {@code Addr}).
     *
     * @return the bound local address (kcp-go {@code Addr})
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Returns the options every accepted session gets.
     *
     * @return the options every accepted session gets
     */
    public SessionOptions options() {
        return options;
    }

    /**
     * kcp-go {@code Listener.SetReadBuffer}/{@code SetWriteBuffer}.
     *
     * @param readBytes SO_RCVBUF, 0 = unchanged
     * @param writeBytes SO_SNDBUF, 0 = unchanged
     * @throws IOException if the socket rejects them
     * @throws IllegalStateException if the listener runs over another transport than UDP
     */
    public void setSocketBuffers(int readBytes, int writeBytes) throws IOException {
        SessionOptions.builder().socketBuffers(readBytes, writeBytes).build();
        udp("setSocketBuffers").setBuffers(readBytes, writeBytes);
    }

    /**
     * kcp-go {@code Listener.SetDSCP}: IPv4 TOS = dscp &lt;&lt; 2, IPv6 traffic class = dscp.
     *
     * @param dscp 0..63
     * @throws IOException if the socket rejects it
     * @throws IllegalStateException if the listener runs over another transport than UDP
     */
    public void setDscp(int dscp) throws IOException {
        SessionOptions.builder().dscp(dscp).build();
        udp("setDscp").setDscp(dscp, null);
    }

    private UdpTransport udp(String what) {
        if (transport instanceof UdpTransport udp) {
            return udp;
        }
        throw new IllegalStateException(what + " needs a UDP listener; this one runs over " + transport
                + ": set socket options on that transport instead");
    }

    /**
     * Returns sessions currently routed by this listener (accepted or waiting in the backlog).
     *
     * @return sessions currently routed by this listener (accepted or waiting in the backlog)
     */
    public int sessionCount() {
        return sessions.size();
    }

    /** Returns how many new sessions wait for {@link #accept()} (tests and the listener MBean). */
    int pendingAccepts() {
        acceptLock.lock();
        try {
            return backlog.size();
        } finally {
            acceptLock.unlock();
        }
    }

    /**
     * Waits for the next new session (kcp-go {@code AcceptKCP}).
     *
     * @return the session
     * @throws SocketException "Socket closed" once the listener is closed
     * @throws IOException     if the socket failed (its sessions then fail with the same error)
     */
    public KcpSession accept() throws IOException {
        return accept(Duration.ZERO);
    }

    /**
     * Waits up to {@code timeout} for the next new session.
     *
     * @param timeout longest wait; {@link Duration#ZERO} = forever
     * @return the session
     * @throws SocketTimeoutException if none arrived in time
     * @throws SocketException        "Socket closed" once the listener is closed
     * @throws IOException            if the socket failed
     */
    public KcpSession accept(Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout (use Duration.ZERO for none)");
        if (timeout.isNegative() || timeout.compareTo(SessionOptions.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be in [0, 100 days] (0 = none): " + timeout);
        }
        long deadline = ctx.deadline(timeout.toNanos());
        try {
            acceptLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("accept interrupted");
        }
        try {
            while (true) {
                if (closed.get()) {
                    throw new SocketException("Socket closed");
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                KcpSession s = backlog.pollFirst();
                if (s != null) {
                    return s;
                }
                if (!ctx.await(acceptable, deadline)) {
                    throw new SocketTimeoutException("Accept timed out");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("accept interrupted");
        } finally {
            acceptLock.unlock();
        }
    }

    /**
     * Runs one datagram through the receive loop's path as if it came from {@code from}. Tests use it for
     * source addresses the kernel cannot produce on loopback (e.g. 100,000 spoofed ports).
     */
    void deliver(byte[] buf, int len, InetSocketAddress from) {
        handler.onDatagram(buf, len, from);
    }

    /** Routes datagrams on the receive-loop thread (spec 5.9). */
    private final class Handler implements DatagramTransport.Receiver {
        @Override
        public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
            int n = opener.open(buf, len);
            if (n < 0) {
                return;
            }
            route(buf, opener.plainOffset(), n, from);
        }

        @Override
        public void onReceiveFailed(IOException e) {
            failure = e;
            for (KcpSession s : sessions.values()) {
                s.failFromListener(e);
            }
            wakeAcceptors();
        }
    }

    private void route(byte[] buf, int off, int len, InetSocketAddress from) {
        if (closed.get()) {
            return;
        }
        int type = len >= 6 ? (buf[off + 4] & 0xFF) | (buf[off + 5] & 0xFF) << 8 : -1;
        boolean hasConv = false;
        int conv = 0;
        int sn = 0;
        if (type == 0xF1) {
            if (len >= 8 + 24) {
                hasConv = true;
                conv = le32(buf, off + 8);
                sn = le32(buf, off + 8 + 12);
            }
        } else if (type != 0xF2 && type != 0xF3 && len >= 24) {
            hasConv = true;
            conv = le32(buf, off);
            sn = le32(buf, off + 12);
        }
        KcpSession s = sessions.get(from);
        if (s != null) {
            if (!hasConv || conv == s.conv()) {
                s.inputPlain(buf, off, len);
                return;
            }
            if (sn != 0) {
                counters.increment(SnmpField.IN_ERRS);
                return;
            }
            s.close();
        }
        if (!hasConv) {
            counters.increment(len < 24 ? SnmpField.KCP_IN_ERRORS : SnmpField.IN_ERRS);
            return;
        }
        Quiet q = quiet.get(from);
        if (q != null) {
            if (ctx.nanoTime() - q.untilNanos < 0 && q.conv == conv) {
                counters.increment(SnmpField.IN_ERRS);
                return;
            }
            quiet.remove(from, q);
        }
        createSession(conv, from, buf, off, len);
    }

    private void createSession(int conv, InetSocketAddress from, byte[] buf, int off, int len) {
        acceptLock.lock();
        try {
            if (backlog.size() >= options.acceptBacklog() || closed.get()) {
                counters.increment(SnmpField.IN_ERRS);
                return;
            }
            KcpSession s = KcpSession.accepted(conv, this, transport, from, options, ctx);
            sessions.put(from, s);
            s.inputPlain(buf, off, len);
            backlog.addLast(s);
            acceptable.signal();
        } finally {
            acceptLock.unlock();
        }
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    /** Called by a session of this listener when it closes. */
    void sessionClosed(KcpSession s) {
        InetSocketAddress remote = s.remoteAddress();
        acceptLock.lock();
        try {
            backlog.remove(s);
        } finally {
            acceptLock.unlock();
        }
        if (sessions.remove(remote, s) && !options.quietPeriod().isZero() && !closed.get()) {
            long now = ctx.nanoTime();
            if (quiet.size() >= 4096) {
                quiet.values().removeIf(q -> now - q.untilNanos >= 0);
            }
            quiet.put(remote, new Quiet(s.conv(), now + options.quietPeriod().toNanos()));
        }
    }

    private void wakeAcceptors() {
        acceptLock.lock();
        try {
            acceptable.signalAll();
        } finally {
            acceptLock.unlock();
        }
    }

    /**
     * Closes the listener (idempotent): stops accepting, closes every session it created (accepted or not)
     * and closes its transport: the socket if the listener owns it ({@link Kcps#listen}); a channel passed to
     * {@link Kcps#serve(java.nio.channels.DatagramChannel, SessionOptions)} stays open.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<KcpSession> all = new ArrayList<>(sessions.values());
        acceptLock.lock();
        try {
            all.addAll(backlog);
            backlog.clear();
            acceptable.signalAll();
        } finally {
            acceptLock.unlock();
        }
        for (KcpSession s : all) {
            s.close();
        }
        sessions.clear();
        quiet.clear();
        transport.close();
    }

    @Override
    public String toString() {
        return "KcpListener[" + local + ", sessions=" + sessions.size() + (closed.get() ? ", closed" : "") + "]";
    }
}
