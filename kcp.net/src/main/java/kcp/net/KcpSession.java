package kcp.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.time.Duration;
import java.util.Objects;

import javax.management.ObjectName;

import kcp.net.internal.Counters;
import kcp.net.internal.Demux;
import kcp.net.internal.NetContext;
import kcp.net.internal.SessionEngine;

/**
 * One KCP conversation (kcp-go's {@code UDPSession}): blocking {@link #read}/{@link #write} like a
 * {@code java.net.Socket}, wire-compatible with kcp-go. Obtain one from {@link Kcps#dial} or
 * {@link KcpListener#accept()}.
 *
 * <p><b>Threads.</b> Thread-safe: any number of threads (typically virtual) may read, write and close concurrently;
 * state is guarded by one {@code ReentrantLock}, never by monitors, so virtual threads never pin. The context's
 * updater flushes KCP when it is due, the transport's receive loop feeds datagrams in. An idle session leaves the
 * updater's queue and costs no CPU until input, a write or a knob wakes it; after
 * {@link SessionOptions#hibernateAfter()} of idleness it releases what it keeps only for speed, so thousands of
 * once-busy idle sessions hold a few KiB each. {@code docs/design.md} draws the pipelines, threads and locking.
 *
 * <p><b>Semantics (kcp-go, bounded).</b> A write waits until KCP's send queue is below the send window, then queues
 * what fits in the <i>send budget</i> (queued plus in-flight segments up to twice the send window, in mss-sized
 * messages as kcp-go splits them), and repeats until every byte is queued: a write of any size holds at most that
 * budget (2 x sndWnd x mss bytes, e.g. 2.7 MB with windows of 1024 and MTU 1400) in memory, never the whole write.
 * Messages are never larger than the mss (kcp-go splits every write that way), so no write needs more than the budget
 * at once. Each read returns at most one message (stream mode: one segment); a message larger than the caller's
 * buffer is returned over several reads. After {@link #close()}, data already received can still be read; then reads
 * and writes throw {@link SocketException}("Socket closed"), and so do the {@link #inputStream()}'s reads, as with
 * {@code java.net.Socket}. Timeouts throw {@link SocketTimeoutException}; a write that times out after queueing part
 * of its bytes says how many in {@link java.io.InterruptedIOException#bytesTransferred}. A dead link (a segment sent
 * {@code deadLinkXmit} times, or unacknowledged for {@link Limits#deadLinkTimeout()}) or the idle timeout (sessions of
 * a listener get {@link Limits#acceptedIdleTimeout()}, 30 s, by default) fails blocked and later calls with an
 * {@link IOException}. Close flushes once (KCP has no FIN; the peer is not told). Arrays passed to read/write are
 * only used during the call; a busy session allocates nothing per packet.
 *
 * <p><b>Interrupts.</b> Interrupting a thread blocked in a read or write makes that call throw
 * {@link java.io.InterruptedIOException} (with the thread's interrupt status set again, and for a write the bytes
 * already queued in {@code bytesTransferred}); the session stays open for its other threads. This differs on purpose
 * from the JDK's interruptible channels, which close the channel and throw {@code ClosedByInterruptException}: a KCP
 * session is typically read by one thread and written by another, and cancelling one task must not cut the other's
 * conversation (a {@code java.net.Socket} on a platform thread ignores interrupts altogether). Close the session to
 * end it.
 */
public final class KcpSession implements ByteChannel, GatheringByteChannel {
    private final SessionEngine engine;
    private final SessionOptions options;
    private final DatagramTransport transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final KcpListener listener;
    private final NetContext ctx;
    private final NetStats stats = NetStats.newSessionStats();
    private final Counters counters = stats.counters();
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private ObjectName mbeanName; // guarded by the engine's lock
    /** Listener sessions: not yet handed to accept() because KCP has delivered no in-order data yet. */
    volatile boolean embryonic;
    /** When the listener created it (its context's clock), for the embryonic timeout. */
    long createdNanos;
    /** Closed by its listener for a budget or the embryonic timeout (no quiet period for its address). */
    volatile boolean shed;

    private KcpSession(int conv, DatagramTransport transport, InetSocketAddress remote, KcpListener listener,
            SessionOptions options, NetContext ctx) {
        this.options = options;
        this.transport = transport;
        this.remote = remote;
        this.local = transport.localAddress();
        this.listener = listener;
        this.ctx = ctx;
        this.engine = new SessionEngine(conv, transport, remote, options, ctx, counters);
        counters.increment(listener == null ? SnmpField.ACTIVE_OPENS : SnmpField.PASSIVE_OPENS);
        counters.increment(SnmpField.CURR_ESTAB);
        NetStats.global().counters().raise(SnmpField.MAX_CONN, NetStats.global().get(SnmpField.CURR_ESTAB));
        if (listener != null && options.idleTimeout().isZero()) {
            engine.setIdleTimeoutNanos(options.limits().acceptedIdleTimeout().toNanos());
        }
        engine.onTickFailure(this::close);
        engine.start();
    }

    /** Creates a client session (kcp-go NewConn) that receives on {@code transport} and closes it when it closes. */
    static KcpSession client(int conv, DatagramTransport transport, InetSocketAddress remote,
            SessionOptions options, NetContext ctx) {
        KcpSession s = new KcpSession(conv, transport, remote, null, options, ctx);
        s.engine.events().opened();
        // one peer: 2^12 slots (128 KiB, 2,048 nonces per generation) are plenty
        Demux demux = new Demux(options.newSealer(), s.counters, Demux.replayFilter(options, 1 << 12), ctx);
        transport.start(s.engine.clientReceiver(demux), options.receiveThread());
        return s;
    }

    /** Creates a session for a listener; the listener opens and routes datagrams to it. */
    static KcpSession accepted(int conv, KcpListener listener, DatagramTransport transport, InetSocketAddress remote,
            SessionOptions options, NetContext ctx) {
        return new KcpSession(conv, transport, remote, listener, options, ctx);
    }

    /** Starts an accepted session embryonic, accounted in its listener's budget (before its first input). */
    void startEmbryonic(java.util.concurrent.atomic.AtomicLong budget, long nowNanos) {
        embryonic = true;
        createdNanos = nowNanos;
        engine.attachBudget(budget, options.limits().embryonicWindow());
    }

    /** Gives the session its full receive window: it delivered its first in-order data. */
    void promote() {
        embryonic = false;
        engine.openReceiveWindow();
        engine.events().accepted();
    }

    /** {@return true once KCP delivered in-order data} */
    boolean delivered() {
        return engine.delivered();
    }

    /** {@return the bytes this session adds to its listener's receive budget} */
    long accountedBytes() {
        return engine.accountedBytes();
    }

    /** {@return the idle timeout in force, {@link Duration#ZERO} for none} */
    Duration idleTimeout() {
        return Duration.ofNanos(engine.idleTimeoutNanos());
    }

    /** Feeds a datagram the listener opened and routed here (listener's receive loop only). */
    void input(Demux view) {
        engine.input(view);
    }

    /** The listener's transport failed: blocked and later calls get its error (kcp-go propagates it too). */
    void failFromListener(IOException e) {
        engine.fail(e);
    }

    // ------------------------------------------------------------------ read and write

    /**
     * Reads the next message (or the rest of one), blocking until data arrives, the read timeout expires,
     * the session fails or it is closed.
     *
     * @param dst destination array
     * @param off first byte to fill
     * @param len most bytes to read
     * @return bytes read (&gt; 0), or 0 if {@code len == 0}
     * @throws SocketTimeoutException on timeout
     * @throws SocketException        "Socket closed" once closed and drained
     * @throws IOException            on dead link, idle timeout or socket failure
     */
    public int read(byte[] dst, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, dst.length);
        return len == 0 ? 0 : engine.read(dst, off, len, ctx.deadline(readTimeoutNanos));
    }

    /**
     * Reads into all of {@code dst}; see {@link #read(byte[], int, int)}.
     *
     * @param dst destination array
     * @return bytes read, at least 1
     * @throws IOException as {@link #read(byte[], int, int)}
     */
    public int read(byte[] dst) throws IOException {
        return read(dst, 0, dst.length);
    }

    /**
     * Reads into {@code dst}'s remaining space; see {@link #read(byte[], int, int)}. Direct buffers go through a
     * session-owned 64 KiB array (allocated on first use, one direct-buffer reader at a time).
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasArray()) {
            return engine.readDirect(dst, ctx.deadline(readTimeoutNanos));
        }
        int n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * {@return how many bytes the next read can return without blocking: the rest of a partly read message, else the
     * size of the next complete message (stream mode: segment), else 0}
     */
    public int available() {
        return engine.available();
    }

    /**
     * Queues {@code src[off, off+len)} (kcp-go {@code Write}, bounded): waits until KCP's send queue is below the send
     * window, queues what the send budget (twice the send window) allows in mss-sized messages, flushes unless write
     * delay is on and the window still has room, and repeats until every byte is queued. Concurrent writes do not
     * interleave.
     *
     * @param src source array
     * @param off first byte to send
     * @param len bytes to send
     * @return {@code len}
     * @throws SocketTimeoutException on write timeout ({@code bytesTransferred}: the bytes queued before it)
     * @throws java.io.InterruptedIOException if the thread is interrupted while waiting (the session stays open)
     * @throws SocketException        "Socket closed" after close
     * @throws IOException            on dead link, idle timeout or socket failure
     */
    public int write(byte[] src, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, src.length);
        engine.write(src, off, len, ctx.deadline(writeTimeoutNanos));
        return len;
    }

    /**
     * Writes all of {@code src}; see {@link #write(byte[], int, int)}.
     *
     * @param src source array
     * @return {@code src.length}
     * @throws IOException as {@link #write(byte[], int, int)}
     */
    public int write(byte[] src) throws IOException {
        return write(src, 0, src.length);
    }

    /** Writes {@code src}'s remaining bytes; see {@link #write(byte[], int, int)}. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        return (int) engine.write(null, 0, 0, src, ctx.deadline(writeTimeoutNanos));
    }

    /** Gathering write (kcp-go {@code WriteBuffers}): all buffers' remaining bytes as one accepted write. */
    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Gathering write of {@code srcs[offset, offset+length)}; see {@link #write(ByteBuffer[])}. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return engine.write(srcs, offset, length, null, ctx.deadline(writeTimeoutNanos));
    }

    /**
     * {@return a stream whose reads block like {@link #read(byte[], int, int)} and, like {@code java.net.Socket}'s,
     * throw {@link SocketException}("Socket closed") after {@link #close()}; it never returns -1 (KCP has no FIN)}
     */
    public InputStream inputStream() {
        return new SessionStreams.In(this);
    }

    /**
     * {@return a stream of session writes whose {@code close()} closes the session; each {@code write(int)} sends a
     * one-byte message, so wrap it in a {@code BufferedOutputStream} for byte-wise writers}
     */
    public OutputStream outputStream() {
        return new SessionStreams.Out(this);
    }

    /** True if closed by {@link #close()} without an earlier failure (a stream then reports EOF). */
    boolean closedCleanly() {
        return engine.closedCleanly();
    }

    // ------------------------------------------------------------------ close

    /** {@return true until {@link #close()}} */
    @Override
    public boolean isOpen() {
        return !engine.isClosed();
    }

    /**
     * Closes the session (idempotent): flushes once, wakes every blocked caller with
     * {@code SocketException("Socket closed")}, leaves the updater, releases buffers, removes the session
     * from its listener and closes the transport if the session owns it (a dialled session does).
     */
    @Override
    public void close() {
        if (!engine.close()) {
            return;
        }
        engine.events().closed(engine.tickFailed() ? "updater" : shed ? "shed"
                : listener != null && listener.isClosing() ? "listener-closed"
                : engine.failure() != null ? "failed" : "application", engine.failure());
        counters.add(SnmpField.CURR_ESTAB, -1);
        ObjectName registered = engine.locked(() -> {
            ObjectName n = mbeanName;
            mbeanName = null;
            return n;
        });
        if (registered != null) {
            NetStats.unregisterMBean(registered.getCanonicalName());
        }
        if (listener != null) {
            listener.sessionClosed(this);
        } else {
            transport.close();
        }
    }

    // ------------------------------------------------------------------ getters and knobs

    /** {@return the conversation id (kcp-go {@code GetConv}), an unsigned 32-bit value in an int} */
    public int conv() {
        return engine.kcp().conv();
    }

    /** {@return the retransmission timeout in ms, from the measured RTT (kcp-go {@code GetRTO})} */
    public int rto() {
        return (int) engine.underLock(engine.kcp()::rxRto);
    }

    /** {@return the smoothed round-trip time in ms (kcp-go {@code GetSRTT}), 0 before the first ACK} */
    public int srtt() {
        return (int) engine.underLock(engine.kcp()::rxSrtt);
    }

    /** {@return the round-trip time's mean deviation in ms (kcp-go {@code GetSRTTVar})} */
    public int srttVar() {
        return (int) engine.underLock(engine.kcp()::rxRttvar);
    }

    /** {@return where this session sends: the dialled server, or the client a listener accepted} */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** {@return the transport's local address (the listener's, for an accepted session)} */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** {@return this session's counters; every update also reaches {@link NetStats#global()}} */
    public NetStats stats() {
        return stats;
    }

    /**
     * Registers this session in the platform MBean server as
     * {@code kcp.net:type=NetStats,name=session-<conv>-<localPort>-<remotePort>}: its counters (attributes named like
     * kcp-go's SNMP header) plus {@code SRTT}, {@code RTO}, {@code WaitSnd} and {@code RemoteAddress}; {@link #close()}
     * unregisters it. Idempotent.
     *
     * @return the JMX name
     */
    public ObjectName registerMBean() {
        String name = "kcp.net:type=NetStats,name=session-" + Integer.toUnsignedString(conv()) + "-"
                + local.getPort() + "-" + remote.getPort();
        return engine.locked(() -> {
            if (mbeanName == null) {
                mbeanName = stats.registerMBean(name, NetStatsMBean.sessionExtras(this));
            }
            return mbeanName;
        });
    }

    /** {@return the options the session was created with (knob setters do not change this value)} */
    public SessionOptions options() {
        return options;
    }

    /** {@return the segments KCP holds: queued to send plus sent and not yet acknowledged (kcp-go {@code WaitSnd})} */
    public int waitSnd() {
        return (int) engine.underLock(engine.kcp()::waitSnd);
    }

    /**
     * Sets how long a read waits for data before it throws {@link SocketTimeoutException}; blocked readers pick the
     * new value up at once.
     *
     * @param timeout the longest wait, {@link Duration#ZERO} for none
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = ArqOptions.checkTimeout(timeout);
        engine.wakeAll();
    }

    /**
     * Sets how long a write waits for window space before it throws {@link SocketTimeoutException}; blocked writers
     * pick the new value up at once.
     *
     * @param timeout the longest wait, {@link Duration#ZERO} for none
     */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = ArqOptions.checkTimeout(timeout);
        engine.wakeAll();
    }

    /**
     * Changes KCP's timing knobs (kcp-go {@code SetNoDelay}); validated like {@link SessionOptions.Builder#noDelay}.
     *
     * @param noDelay    true: minimum RTO 30 ms instead of 100 ms
     * @param intervalMs flush interval, 10..5000 ms
     * @param fastResend duplicate ACKs that trigger a fast retransmit, 0 = off
     * @param nc         true: no congestion control
     */
    public void setNoDelay(boolean noDelay, int intervalMs, int fastResend, boolean nc) {
        ArqOptions.checkNoDelay(intervalMs, fastResend);
        engine.reconfigure(() -> engine.kcp().setNoDelay(noDelay, intervalMs, fastResend, nc));
    }

    /**
     * Changes the send and receive windows (kcp-go {@code SetWindowSize}); the peer hears of the new receive window at
     * once.
     *
     * @param sndWnd packets, 1..65535
     * @param rcvWnd packets, 1..65535
     */
    public void setWindowSize(int sndWnd, int rcvWnd) {
        ArqOptions.checkWindows(sndWnd, rcvWnd);
        engine.reconfigure(() -> engine.kcp().setWindowSize(sndWnd, rcvWnd));
        engine.tickNow();
    }

    /**
     * Changes the datagram size limit (kcp-go {@code SetMtu}); KCP gets what the crypto and FEC headers leave.
     *
     * @param mtu bytes, validated like {@link SessionOptions#mtu()} against this session's headers
     */
    public void setMtu(int mtu) {
        ArqOptions.checkMtu(mtu, engine.overheadBytes());
        engine.reconfigure(() -> engine.kcp().setMtu(mtu - engine.overheadBytes()));
    }

    /**
     * Switches stream mode (kcp-go {@code SetStreamMode}): segments merge and messages lose their boundaries.
     *
     * @param stream true for stream mode
     */
    public void setStreamMode(boolean stream) {
        engine.reconfigure(() -> engine.kcp().setStreamMode(stream));
    }

    /**
     * Lets writes skip their flush while the window has room (kcp-go {@code SetWriteDelay}); the next tick sends.
     *
     * @param delay true to delay
     */
    public void setWriteDelay(boolean delay) {
        engine.setWriteDelay(delay);
    }

    /**
     * Makes every input flush ACKs at once instead of at the next tick (kcp-go {@code SetACKNoDelay}).
     *
     * @param noDelay true to flush ACKs on input
     */
    public void setAckNoDelay(boolean noDelay) {
        engine.setAckNoDelay(noDelay);
    }

    /**
     * Sends every datagram this many extra times (kcp-go {@code SetDUP}, for testing lossy links).
     *
     * @param dup extra copies, 0..8
     */
    public void setDup(int dup) {
        ArqOptions.checkDup(dup);
        engine.setDup(dup);
    }

    /**
     * Paces sends with a token bucket (kcp-go v5.6.35 {@code SetRateLimit}; burst 96,000 bytes).
     *
     * @param bytesPerSec the rate, 0 = unlimited
     */
    public void setRateLimit(long bytesPerSec) {
        engine.setRateLimit(bytesPerSec);
    }

    /**
     * Sets the socket's DSCP (kcp-go {@code SetDSCP}); only for a dialled session that owns its UDP socket.
     *
     * @param dscp 0..63
     * @throws IOException           if the socket rejects it
     * @throws IllegalStateException on a listener's session or a socket the session does not own
     */
    public void setDscp(int dscp) throws IOException {
        UdpTransport udp = UdpTransport.ownedBy(transport, listener == null, "setDscp");
        SocketOptions.checkDscp(dscp);
        udp.setDscp(dscp, remote);
    }

    /**
     * Sets the socket's buffers (kcp-go {@code SetReadBuffer}/{@code SetWriteBuffer}); only for a dialled session
     * that owns its UDP socket.
     *
     * @param readBytes  SO_RCVBUF, 0 = unchanged
     * @param writeBytes SO_SNDBUF, 0 = unchanged
     * @throws IOException if the socket rejects them
     * @throws IllegalStateException on a listener's session or a socket the session does not own
     */
    public void setSocketBuffers(int readBytes, int writeBytes) throws IOException {
        UdpTransport udp = UdpTransport.ownedBy(transport, listener == null, "setSocketBuffers");
        SocketOptions.checkBuffers(readBytes, writeBytes);
        udp.setBuffers(readBytes, writeBytes);
    }

    long ticks() {
        return engine.ticks();
    }

    long hibernations() {
        return engine.hibernations();
    }

    @Override
    public String toString() {
        return "KcpSession[conv=" + Integer.toUnsignedString(conv()) + ", local=" + local + ", remote=" + remote
                + (isOpen() ? "" : ", closed") + "]";
    }
}
