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
 * end it. A send on an interrupted thread (in {@link #close()}, say) leaves the socket open; {@link UdpTransport} says
 * when an interrupt that lands during a send can close it.
 */
public final class KcpSession extends SessionKnobs implements ByteChannel, GatheringByteChannel {
    private final InetSocketAddress local;
    private final KcpListener listener;
    private final NetContext ctx;
    private final NetStats stats;
    private final Counters counters;
    private ObjectName mbeanName; // guarded by the engine's lock
    /** Listener sessions: not yet handed to accept() because KCP has delivered no in-order data yet. */
    volatile boolean embryonic;
    /** When the listener created it (its context's clock), for the embryonic timeout. */
    long createdNanos;
    /** Why its listener closed it ("shed": a budget or the embryonic timeout, no quiet period), or null. */
    volatile String listenerReason;

    private KcpSession(int conv, DatagramTransport transport, InetSocketAddress remote, KcpListener listener,
            SessionOptions options, NetContext ctx, NetStats stats) {
        super(new SessionEngine(conv, transport, remote, options, ctx, stats.counters()), options, transport, remote,
                listener == null);
        this.stats = stats;
        this.counters = stats.counters();
        this.local = transport.localAddress();
        this.listener = listener;
        this.ctx = ctx;
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
        KcpSession s = new KcpSession(conv, transport, remote, null, options, ctx, NetStats.newSessionStats());
        s.engine.events().opened();
        // one peer: 2^12 slots (128 KiB, 2,048 nonces per generation) are plenty
        Demux demux = new Demux(options.newSealer(), s.counters, Demux.replayFilter(options, 1 << 12), ctx);
        transport.start(s.engine.clientReceiver(demux), options.receiveThread());
        return s;
    }

    /** Creates a session for a listener; the listener opens and routes datagrams to it. */
    static KcpSession accepted(int conv, KcpListener listener, DatagramTransport transport, InetSocketAddress remote,
            SessionOptions options, NetContext ctx) {
        return new KcpSession(conv, transport, remote, listener, options, ctx, NetStats.newSessionStats());
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

    /** Connection migration (listener's receive loop): true if {@code d} fits this conversation (MigrationRule). */
    boolean continues(Demux d) {
        return engine.continues(d, options.limits().replayWindow().toMillis());
    }

    /** Connection migration: this session sends to {@code to} from now on and reports it as its remote address. */
    void moveTo(InetSocketAddress to) {
        remote = to;
        engine.retarget(to);
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

    // ------------------------------------------------------------------ out-of-band datagrams (kcp-go v5.6.72)

    /**
     * Sends {@code src[off, off+len)} as one out-of-band datagram (kcp-go {@code SendOOB}; {@code docs/oob.md}):
     * outside KCP, so never retransmitted, ordered or acknowledged and never blocked by the window, but sealed by the
     * session's crypto. Needs FEC on both ends. Best effort: dropped and counted in {@link SnmpField#OOB_DROPS} if
     * 1,024 datagrams already wait for the socket.
     *
     * @param src source array
     * @param off first byte
     * @param len payload bytes, 0 to {@link #oobMaxSize()}
     * @throws IllegalStateException    without FEC (the message says how to enable it)
     * @throws IllegalArgumentException if {@code len > oobMaxSize()}
     * @throws IOException              if the session is closed ("Socket closed") or has failed
     */
    public void sendOob(byte[] src, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, src.length);
        engine.oob().send(src, off, null, len);
    }

    /**
     * Sends {@code src}'s remaining bytes as one OOB datagram (consumed); see {@link #sendOob(byte[], int, int)}.
     *
     * @param src the payload, 0 to {@link #oobMaxSize()} bytes
     * @throws IOException as {@link #sendOob(byte[], int, int)}, which also lists the unchecked exceptions
     */
    public void sendOob(ByteBuffer src) throws IOException {
        engine.oob().send(null, 0, src, src.remaining());
    }

    /**
     * Takes the oldest received OOB payload, waiting up to {@code timeout} for one (no handler must be set, or nothing
     * is queued). The queue keeps {@link Limits#oobQueue()} datagrams and drops the oldest beyond that (counted in
     * {@link SnmpField#OOB_DROPS}); datagrams still queued at close can be taken before "Socket closed" is thrown.
     *
     * @param dst     destination array
     * @param off     first byte to fill
     * @param len     room; a longer payload is cut to it (size {@code dst} to {@link #oobMaxSize()} to avoid that)
     * @param timeout the longest wait, {@link Duration#ZERO} for none
     * @return the payload's length, which exceeds {@code len} if it was cut
     * @throws IllegalStateException  without FEC
     * @throws SocketTimeoutException on timeout
     * @throws IOException            once closed or failed with nothing queued, or if interrupted
     */
    public int receiveOob(byte[] dst, int off, int len, Duration timeout) throws IOException {
        Objects.checkFromIndexSize(off, len, dst.length);
        return engine.oob().receive(dst, off, len, null, ctx.deadline(ArqOptions.checkTimeout(timeout)));
    }

    /**
     * Takes the oldest OOB payload into {@code dst}'s free space; see {@link #receiveOob(byte[], int, int, Duration)}.
     *
     * @param dst     destination; a longer payload is cut to its free space
     * @param timeout the longest wait, {@link Duration#ZERO} for none
     * @return the payload's length, which exceeds the bytes put into {@code dst} if it was cut
     * @throws IOException as {@link #receiveOob(byte[], int, int, Duration)}
     */
    public int receiveOob(ByteBuffer dst, Duration timeout) throws IOException {
        return engine.oob().receive(null, 0, 0, dst, ctx.deadline(ArqOptions.checkTimeout(timeout)));
    }

    /**
     * Delivers OOB datagrams to {@code handler} on the receive loop instead of the queue (kcp-go {@code
     * SetOOBHandler}); see {@link OobHandler} for its threading. Payloads already queued stay for {@code receiveOob}.
     *
     * @param handler the handler, or null to queue datagrams again
     * @throws IllegalStateException without FEC
     */
    public void setOobHandler(OobHandler handler) {
        engine.oob().setHandler(handler);
    }

    /** {@return the largest OOB payload: the KCP MTU less the 4-byte conv, 0 without FEC (kcp-go GetOOBMaxSize)} */
    public int oobMaxSize() {
        return engine.oob().maxSize();
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
        engine.closedEvent(listenerReason);
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

    /**
     * {@return where this session sends: the dialled server, or the client a listener accepted (its latest address
     * when the listener migrates sessions)}
     */
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

    @Override
    public String toString() {
        return "KcpSession[conv=" + Integer.toUnsignedString(conv()) + ", local=" + local + ", remote=" + remote
                + (isOpen() ? "" : ", closed") + "]";
    }
}
