package kcp.net.internal.jfr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;

import kcp.core.Kcp;
import kcp.core.KcpTrace;
import kcp.net.SnmpField;
import kcp.net.internal.Counters;

/**
 * One session's JFR events ({@code docs/observability.md}): its segment trace (a {@link KcpTrace} that the engine
 * installs in its {@link Kcp} only while a recording has a trace event enabled, see {@link #traceOrNull()}), its
 * lifecycle events and its periodic statistics. Lifecycle methods are called a few times per session; the trace
 * methods run under the session lock on the thread that drives the Kcp.
 *
 * <p>Cost when no recording runs: one volatile read per updater tick ({@link #traceOrNull()}), nothing per segment,
 * and an add/remove in a concurrent set per session. Nothing here allocates unless an event is committed, and until
 * Flight Recorder is initialised no event object is made at all ({@link Jfr#ready()}).
 */
public final class SessionEvents implements KcpTrace {
    private static final String[] CMDS = {"PUSH", "ACK", "WASK", "WINS"};

    private final Kcp kcp;
    private final Lock lock;
    private final Counters counters;
    private volatile InetSocketAddress remote;
    private final InetSocketAddress local;
    private final LongSupplier nanoClock;
    private final long createdNanos;
    /** The remote address as text, made on first use (only when an event is recorded). */
    private volatile String remoteText;

    /**
     * Creates a session's events and lists it for the statistics event until {@link #closed}.
     *
     * @param kcp       the session's ARQ, read under {@code lock}
     * @param lock      the session lock
     * @param counters  the session's counters
     * @param remote    the peer
     * @param local     the local address
     * @param nanoClock the session context's clock
     */
    public SessionEvents(Kcp kcp, Lock lock, Counters counters, InetSocketAddress remote, InetSocketAddress local,
            LongSupplier nanoClock) {
        this.kcp = kcp;
        this.lock = lock;
        this.counters = counters;
        this.remote = remote;
        this.local = local;
        this.nanoClock = nanoClock;
        this.createdNanos = nanoClock.getAsLong();
        Jfr.OPEN.add(this);
    }

    /**
     * Returns true once this JVM records kcp.net's events: Flight Recorder is initialised (some recording has started)
     * and kcp.net's event types are set up, which the first call after that starts on a thread of its own. Until then
     * no kcp.net event is recorded. Tests that start a recording wait for it.
     *
     * @return whether events can be recorded
     */
    public static boolean recording() {
        return Jfr.ready();
    }

    /**
     * Returns the trace the engine should install in its Kcp now: this while a running recording has a segment or
     * message event enabled, else null (no trace: one null check per segment). Called at every updater tick.
     *
     * @return this, or null
     */
    public KcpTrace traceOrNull() {
        return Jfr.traceEnabled() ? this : null;
    }

    /**
     * Reports {@code to} as the peer from now on (a listener's connection migration moved the session).
     *
     * @param to the peer's new address
     */
    public void retarget(InetSocketAddress to) {
        remote = to;
        remoteText = null;
    }

    private String remoteText() {
        String t = remoteText;
        if (t == null) {
            t = String.valueOf(remote);
            remoteText = t;
        }
        return t;
    }

    private static String cmd(int cmd) {
        int i = cmd - 81; // SegmentHeader.CMD_PUSH
        return i >= 0 && i < CMDS.length ? CMDS[i] : Integer.toString(cmd);
    }

    // ------------------------------------------------------------------ segment and message trace

    @Override
    public void segmentIn(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len) {
        if (!Jfr.segmentIn.isEnabled()) {
            return;
        }
        SegmentInEvent e = new SegmentInEvent();
        e.conv = Integer.toUnsignedLong(conv);
        e.remote = remoteText();
        e.cmd = cmd(cmd);
        e.frg = frg;
        e.wnd = wnd;
        e.ts = Integer.toUnsignedLong(ts);
        e.sn = Integer.toUnsignedLong(sn);
        e.una = Integer.toUnsignedLong(una);
        e.len = len;
        e.commit();
    }

    @Override
    public void segmentOut(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len, int xmit) {
        if (!Jfr.segmentOut.isEnabled()) {
            return;
        }
        SegmentOutEvent e = new SegmentOutEvent();
        e.conv = Integer.toUnsignedLong(conv);
        e.remote = remoteText();
        e.cmd = cmd(cmd);
        e.frg = frg;
        e.wnd = wnd;
        e.ts = Integer.toUnsignedLong(ts);
        e.sn = Integer.toUnsignedLong(sn);
        e.una = Integer.toUnsignedLong(una);
        e.len = len;
        e.xmit = xmit;
        e.commit();
    }

    @Override
    public void send(int conv, int len, int fragments) {
        if (!Jfr.messageSend.isEnabled()) {
            return;
        }
        MessageSendEvent e = new MessageSendEvent();
        e.conv = Integer.toUnsignedLong(conv);
        e.remote = remoteText();
        e.len = len;
        e.fragments = fragments;
        e.commit();
    }

    @Override
    public void recv(int conv, int len, int fragments, int sn) {
        if (!Jfr.messageRecv.isEnabled()) {
            return;
        }
        MessageRecvEvent e = new MessageRecvEvent();
        e.conv = Integer.toUnsignedLong(conv);
        e.remote = remoteText();
        e.len = len;
        e.fragments = fragments;
        e.sn = Integer.toUnsignedLong(sn);
        e.commit();
    }

    // ------------------------------------------------------------------ lifecycle

    private void fill(SessionEvent e) {
        e.conv = Integer.toUnsignedLong(kcp.conv());
        e.remote = remoteText();
        e.local = String.valueOf(local);
    }

    /** A client session was dialled. */
    public void opened() {
        if (!Jfr.ready()) {
            return;
        }
        SessionOpenedEvent e = new SessionOpenedEvent();
        if (e.shouldCommit()) {
            fill(e);
            e.commit();
        }
    }

    /** A listener session entered the accept queue. */
    public void accepted() {
        if (!Jfr.ready()) {
            return;
        }
        SessionAcceptedEvent e = new SessionAcceptedEvent();
        if (e.shouldCommit()) {
            fill(e);
            e.embryonicMillis = (nanoClock.getAsLong() - createdNanos) / 1_000_000L;
            e.commit();
        }
    }

    /**
     * The session failed (first failure only).
     *
     * @param kind  dead-link, idle-timeout, updater or io
     * @param cause the failure
     */
    public void failed(String kind, IOException cause) {
        if (!Jfr.ready()) {
            return;
        }
        SessionFailedEvent e = new SessionFailedEvent();
        if (e.shouldCommit()) {
            fill(e);
            e.kind = kind;
            e.cause = cause.getMessage();
            e.causeClass = cause.getCause() != null ? cause.getCause().getClass() : cause.getClass();
            e.commit();
        }
    }

    /**
     * The dead-link check fired; the caller holds the session lock.
     *
     * @param trigger xmit or timeout
     * @param limit   transmissions, or ms
     */
    public void deadLink(String trigger, long limit) {
        if (!Jfr.ready()) {
            return;
        }
        DeadLinkEvent e = new DeadLinkEvent();
        if (e.shouldCommit()) {
            fill(e);
            e.trigger = trigger;
            e.limit = limit;
            e.sndUna = Integer.toUnsignedLong(kcp.sndUna());
            e.inFlight = Integer.toUnsignedLong(kcp.sndNxt() - kcp.sndUna());
            e.commit();
        }
    }

    /**
     * The idle timeout fired.
     *
     * @param timeoutNanos the idle timeout
     * @param silenceNanos time since the last input
     */
    public void idleTimeout(long timeoutNanos, long silenceNanos) {
        if (!Jfr.ready()) {
            return;
        }
        IdleTimeoutEvent e = new IdleTimeoutEvent();
        if (e.shouldCommit()) {
            fill(e);
            e.timeoutMillis = timeoutNanos / 1_000_000L;
            e.silenceMillis = silenceNanos / 1_000_000L;
            e.commit();
        }
    }

    /**
     * The session closed: records the close event and leaves the statistics list.
     *
     * @param reason application, failed, updater, shed or listener-closed
     * @param cause  the failure before the close, or null
     */
    public void closed(String reason, IOException cause) {
        Jfr.OPEN.remove(this);
        if (!Jfr.ready()) {
            return;
        }
        SessionClosedEvent e = new SessionClosedEvent();
        if (e.shouldCommit()) {
            fill(e);
            e.reason = reason;
            e.cause = cause == null ? null : cause.getMessage();
            e.lifetimeMillis = (nanoClock.getAsLong() - createdNanos) / 1_000_000L;
            e.bytesSent = counters.get(SnmpField.BYTES_SENT);
            e.bytesReceived = counters.get(SnmpField.BYTES_RECEIVED);
            e.retransSegs = counters.get(SnmpField.RETRANS_SEGS);
            e.commit();
        }
    }

    /** Commits one statistics event for this session (JFR's periodic thread). */
    void sample() {
        SessionStatisticsEvent e = new SessionStatisticsEvent();
        if (!e.shouldCommit()) {
            return;
        }
        lock.lock();
        try {
            e.conv = Integer.toUnsignedLong(kcp.conv());
            e.srtt = kcp.rxSrtt();
            e.rttvar = kcp.rxRttvar();
            e.rto = kcp.rxRto();
            e.cwnd = Integer.toUnsignedLong(kcp.cwnd());
            e.sndWnd = kcp.sndWnd();
            e.rmtWnd = Integer.toUnsignedLong(kcp.rmtWnd());
            e.inFlight = Integer.toUnsignedLong(kcp.sndNxt() - kcp.sndUna());
            e.sndQueue = kcp.sndQueueLength();
            e.rcvQueue = kcp.rcvQueueLength();
            e.rcvBuf = kcp.rcvBufLength();
            e.outSegs = kcp.outSegs();
            e.inSegs = kcp.inSegs();
            e.retransSegs = kcp.retransSegs();
            e.lostSegs = kcp.lostSegs();
            e.fastRetransSegs = kcp.fastRetransSegs();
        } finally {
            lock.unlock();
        }
        e.remote = remoteText();
        e.bytesSent = counters.get(SnmpField.BYTES_SENT);
        e.bytesReceived = counters.get(SnmpField.BYTES_RECEIVED);
        e.commit();
    }
}
