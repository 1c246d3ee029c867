package kcp.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import kcp.net.internal.Counters;
import kcp.net.internal.Demux;
import kcp.net.internal.NetContext;
import kcp.net.internal.Updater;

/**
 * A KCP server socket (kcp-go's {@code Listener}): one UDP socket, one receive loop, many sessions
 * demultiplexed by the peer's address (spec 5.9), or by conv with {@link ListenerOptions#migration() connection
 * migration} ({@code docs/migration.md}). Obtain one from {@link Kcps#listen} or {@link Kcps#serve}.
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
    private static final System.Logger LOG = System.getLogger(KcpListener.class.getName());
    private final DatagramTransport transport;
    private final NetContext ctx;
    private final SessionOptions options;
    private final InetSocketAddress local;
    private final Demux demux;
    private javax.management.ObjectName mbeanName; // guarded by acceptLock
    private final Counters counters = NetStats.global().counters();
    final Routes routes; // package-private for tests of the quiet period's bounds
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Condition acceptable = acceptLock.newCondition();
    /** Sessions waiting for accept(), oldest first; a linked set for the same reason as {@link #embryos}. */
    private final LinkedHashSet<KcpSession> backlog = new LinkedHashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IOException failure;
    private final AtomicBoolean failed = new AtomicBoolean();
    /** Accounted bytes of all sessions ({@link Limits}): a base per session plus their buffered receive data. */
    private final java.util.concurrent.atomic.AtomicLong budgetUsed = new java.util.concurrent.atomic.AtomicLong();
    private final long receiveBudget;
    private final int maxSessions;
    private final long embryonicTimeoutNanos;
    /** What an established session may buffer while the budget is exceeded: an embryonic window's worth. */
    private final long overBudgetAllowance;
    /**
     * Embryonic sessions, oldest first; guarded by acceptLock. Linked, so that one leaves from anywhere in O(1) when
     * it delivers or closes: strangers can raise their number to {@link Limits#maxSessions()}.
     */
    private final LinkedHashSet<KcpSession> embryos = new LinkedHashSet<>();
    private final Reaper reaper = new Reaper();
    private final Handler handler = new Handler();

    KcpListener(DatagramTransport transport, SessionOptions options, NetContext ctx) {
        Routes.check(options);
        this.transport = transport;
        this.ctx = ctx;
        this.options = options;
        this.local = transport.localAddress();
        this.receiveBudget = options.limits().effectiveReceiveBudgetBytes();
        this.maxSessions = options.limits().effectiveMaxSessions();
        this.embryonicTimeoutNanos = options.limits().embryonicTimeout().toNanos();
        this.overBudgetAllowance = Limits.SESSION_BASE_BYTES
                + (long) options.limits().embryonicWindow() * (options.mtu() + 64);
        this.routes = new Routes(options, ctx, counters);
        this.demux = new Demux(options.newSealer(), counters,
                Demux.replayFilter(options, kcp.net.internal.ReplayFilter.DEFAULT_SLOTS), ctx);
        transport.start(handler, options.receiveThread());
    }

    /** {@return the bound local address (kcp-go {@code Addr})} */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** {@return the options every accepted session gets} */
    public SessionOptions options() {
        return options;
    }

    /**
     * Sets the socket's receive and send buffers (kcp-go {@code Listener.SetReadBuffer}/{@code SetWriteBuffer})
     * through the transport ({@link DatagramTransport#setBuffers}); every session of this listener shares them.
     *
     * @param readBytes SO_RCVBUF, 0 = unchanged
     * @param writeBytes SO_SNDBUF, 0 = unchanged
     * @throws IOException if the socket rejects them
     * @throws UnsupportedOperationException if the listener runs over a transport that cannot set them
     */
    public void setSocketBuffers(int readBytes, int writeBytes) throws IOException {
        SocketOptions.checkBuffers(readBytes, writeBytes);
        transport.setBuffers(readBytes, writeBytes);
    }

    /**
     * Sets the DSCP of everything the listener's sessions send (kcp-go {@code Listener.SetDSCP}): IPv4 TOS =
     * dscp &lt;&lt; 2, IPv6 traffic class = dscp, through the transport ({@link DatagramTransport#setDscp}).
     *
     * @param dscp 0..63
     * @throws IOException if the socket rejects it
     * @throws UnsupportedOperationException if the listener runs over a transport that cannot set it
     */
    public void setDscp(int dscp) throws IOException {
        SocketOptions.checkDscp(dscp);
        transport.setDscp(dscp, null);
    }

    /** {@return sessions currently routed by this listener (accepted or waiting in the backlog)} */
    public int sessionCount() {
        return routes.size();
    }

    /** {@return the sessions this listener created from first datagrams, since it opened} */
    long acceptedCount() {
        return routes.accepted.sum();
    }

    /** {@return a snapshot of this listener's counters (also its MBean's attributes)} */
    public ListenerStats stats() {
        return new ListenerStats(routes.size(), pendingAccepts(), embryonicCount(), routes.accepted.sum(),
                routes.refused.sum(), routes.backlogDrops.sum(), routes.dropped.sum(), routes.migrations.sum(),
                routes.forged.sum(), routes.replayed.sum(), routes.unknownConv.sum(), routes.outOfWindow.sum());
    }

    /** {@return bytes accounted to this listener's sessions now (a base per session plus buffered receive data)} */
    long accountedBytes() {
        return budgetUsed.get();
    }

    /** {@return sessions that have delivered no in-order data yet (not acceptable yet)} */
    int embryonicCount() {
        acceptLock.lock();
        try {
            return embryos.size();
        } finally {
            acceptLock.unlock();
        }
    }

    /** {@return datagrams this listener dropped without a session: backlog full, quiet period, foreign or no conv} */
    long droppedCount() {
        return routes.dropped.sum();
    }

    /**
     * Registers this listener in the platform MBean server as {@code kcp.net:type=KcpListener,port=<local port>}:
     * the {@link ListenerStats} ({@code SessionCount}, {@code PendingAccepts}, {@code Accepted} (sessions created),
     * {@code Refused}, {@code BacklogDrops}, {@code Dropped} (datagrams that reached no session), {@code Migrations},
     * {@code MigrationsRefused} ...), next to the process-wide counters (kcp-go's SNMP header names, as in
     * {@link NetStats#global()}); {@link #close()} unregisters it. Idempotent.
     *
     * @return the JMX name
     */
    public javax.management.ObjectName registerMBean() {
        acceptLock.lock();
        try {
            if (mbeanName == null) {
                mbeanName = NetStats.global().registerMBean("kcp.net:type=KcpListener,port=" + local.getPort(),
                        NetStatsMBean.listenerExtras(this));
            }
            return mbeanName;
        } finally {
            acceptLock.unlock();
        }
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
        long deadline = ctx.deadline(ArqOptions.checkTimeout(timeout));
        try {
            acceptLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("accept interrupted");
        }
        try {
            while (true) {
                KcpSession s = poll();
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
     * Takes the next new session if one waits, without blocking (kcp-go has none; {@code ServerSocketChannel}'s
     * non-blocking {@code accept} does the same).
     *
     * @return the session, or null if none waits
     * @throws SocketException "Socket closed" once the listener is closed
     * @throws IOException     if the socket failed
     */
    public KcpSession poll() throws IOException {
        acceptLock.lock(); // reentrant: accept(Duration) holds it
        try {
            if (closed.get()) {
                throw new SocketException("Socket closed");
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            return backlog.isEmpty() ? null : backlog.removeFirst();
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

    /** Opens each datagram once and routes it by source address and conv, on the transport's delivery thread. */
    private final class Handler implements DatagramTransport.Receiver, Routes.Sink {
        @Override
        public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
            if (closed.get() || failure != null) {
                return;
            }
            try {
                if (demux.open(buf, len)) {
                    routes.route(demux, from, this);
                } else {
                    routes.notOpened(demux.refusal(), from);
                }
            } catch (Error e) {
                // An Error (OutOfMemoryError, StackOverflowError, ...) leaves the receive path in an unknown state:
                // the listener fails as a whole, loudly, instead of going deaf while its sessions hang.
                onReceiveFailed(new IOException("kcp listener on " + local + " failed in its receive path: " + e, e));
            }
        }

        @Override
        public void onReceiveFailed(IOException e) {
            if (!failed.compareAndSet(false, true)) {
                return;
            }
            failure = e;
            try {
                LOG.log(System.Logger.Level.ERROR, "kcp listener on " + local + " stopped receiving; its "
                        + routes.size() + " sessions and every blocked accept, read and write fail with: "
                        + e.getMessage(), e.getCause() != null ? e.getCause() : e);
            } catch (Throwable ignored) {
                // logging may fail too (out of memory); the failure is still delivered below
            }
            for (KcpSession s : routes.all()) {
                s.failFromListener(e);
            }
            wakeAcceptors();
        }

        @Override
        public void feed(KcpSession s, Demux d) {
            if (budgetUsed.get() > receiveBudget && s.accountedBytes() > overBudgetAllowance && d.carriesData()) {
                routes.drop(SnmpField.IN_BUDGET_DROPS); // over budget: this session already holds its share
                return;
            }
            s.input(d);
            if (s.embryonic && s.delivered()) {
                promote(s);
            }
        }

        @Override
        public void create(Demux d, InetSocketAddress from) {
            createSession(d, from);
        }
    }

    private void createSession(Demux d, InetSocketAddress from) {
        KcpSession s;
        acceptLock.lock();
        try {
            if (backlog.size() >= options.acceptBacklog() || closed.get()) {
                if (!closed.get()) {
                    routes.backlogDrops.increment();
                }
                routes.refuse(SnmpField.IN_ERRS);
                return;
            }
            // Budgets: shed the oldest embryonic sessions to make room; with none left, drop the datagram.
            // A new session is reserved what it may grow to while embryonic, so the budget holds.
            while (routes.size() >= maxSessions || budgetUsed.get() + overBudgetAllowance > receiveBudget) {
                KcpSession victim = embryos.isEmpty() ? null : embryos.removeFirst();
                if (victim == null) {
                    routes.refuse(SnmpField.IN_BUDGET_DROPS);
                    return;
                }
                shed(victim);
            }
            long now = ctx.nanoTime();
            s = KcpSession.accepted(d.conv(), this, transport, from, options, ctx);
            s.startEmbryonic(budgetUsed, now);
            routes.add(from, s);
            embryos.add(s);
            s.input(d);
            if (s.delivered()) {
                promote(s);
            } else {
                ctx.updater().schedule(reaper, now + embryonicTimeoutNanos);
            }
        } finally {
            acceptLock.unlock();
        }
    }

    /**
     * The embryonic session delivered its first in-order data: full window, and on to accept(). The backlog is
     * checked when a session is created, as kcp-go does, not here: by now the session may have acknowledged
     * segments, and closing it would leave its peer retransmitting what no new session can ever deliver in order
     * (a dead link on the peer). Embryonic sessions are bounded by the session budget, so neither is the backlog.
     */
    private void promote(KcpSession s) {
        acceptLock.lock();
        try {
            if (!embryos.remove(s) || closed.get()) {
                return;
            }
            s.promote();
            backlog.add(s);
            acceptable.signal();
        } finally {
            acceptLock.unlock();
        }
    }

    /** Closes an embryonic session for a budget or its timeout; its address gets no quiet period. */
    private void shed(KcpSession s) {
        counters.increment(SnmpField.SESSIONS_SHED);
        s.embryonic = false;
        s.listenerReason = "shed";
        s.close();
    }

    /** Closes embryonic sessions whose timeout passed, on the context's updater. */
    private final class Reaper extends Updater.Task {
        private final ArrayList<KcpSession> expired = new ArrayList<>();

        Reaper() {
            super(null);
        }

        @Override
        protected long tick(long nowNanos) {
            acceptLock.lock();
            try {
                KcpSession head;
                while ((head = embryos.isEmpty() ? null : embryos.getFirst()) != null
                        && nowNanos - head.createdNanos - embryonicTimeoutNanos >= 0) {
                    expired.add(embryos.removeFirst());
                }
                return head == null || closed.get() ? Updater.PARK : head.createdNanos + embryonicTimeoutNanos;
            } finally {
                acceptLock.unlock();
            }
        }

        @Override
        protected void afterTick() {
            for (int i = 0; i < expired.size(); i++) {
                shed(expired.get(i));
            }
            expired.clear();
        }
    }

    /** Called by a session of this listener when it closes. */
    void sessionClosed(KcpSession s) {
        acceptLock.lock();
        try {
            if (s.embryonic) {
                embryos.remove(s);
                s.embryonic = false;
            } else {
                backlog.remove(s);
            }
        } finally {
            acceptLock.unlock();
        }
        routes.closed(s, s.listenerReason == null && !closed.get());
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
        ctx.updater().cancel(reaper);
        List<KcpSession> all = new ArrayList<>(routes.all());
        acceptLock.lock();
        try {
            all.addAll(backlog);
            backlog.clear();
            embryos.clear();
            acceptable.signalAll();
        } finally {
            acceptLock.unlock();
        }
        for (KcpSession s : all) {
            s.listenerReason = s.listenerReason == null ? "listener-closed" : s.listenerReason;
            s.close();
        }
        routes.clear();
        acceptLock.lock();
        try {
            if (mbeanName != null) {
                NetStats.unregisterMBean(mbeanName.getCanonicalName());
                mbeanName = null;
            }
        } finally {
            acceptLock.unlock();
        }
        transport.close();
    }

    @Override
    public String toString() {
        return "KcpListener[" + local + ", sessions=" + routes.size() + (closed.get() ? ", closed" : "") + "]";
    }
}
