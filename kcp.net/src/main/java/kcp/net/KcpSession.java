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
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.management.ObjectName;

import kcp.core.InputResult;
import kcp.core.Kcp;
import kcp.crypto.PacketSealer;
import kcp.net.internal.BufferPool;
import kcp.net.internal.Counters;
import kcp.net.internal.PacketPipeline;
import kcp.net.internal.NetContext;
import kcp.net.internal.TxQueue;
import kcp.net.internal.Updater;

/**
 * One KCP conversation over UDP (kcp-go's {@code UDPSession}): blocking {@link #read}/{@link #write} like a
 * {@code java.net.Socket}, wire-compatible with kcp-go. Obtain one from {@link Kcps#dial} or
 * {@link KcpListener#accept()}.
 *
 * <p><b>Threads.</b> Thread-safe: any number of threads (typically virtual) may read, write and close
 * concurrently. State is guarded by one {@link ReentrantLock} with {@code readable}/{@code writable}
 * conditions, never by monitors, so virtual threads never pin. The shared {@code kcp-updater} thread
 * flushes KCP when it is due; the socket's receive loop feeds datagrams in. An idle session (nothing queued or
 * in flight, no ACK or window probe pending: {@link Kcp#isIdle()}) leaves the updater's queue and costs no CPU
 * until input, a write, a read that reopens the window or a knob re-arms it (under the lock, so no work is left
 * without a timer); with an idle timeout configured it keeps one timer at that deadline. A session idle for
 * {@link SessionOptions#hibernateAfter()} (default 5 s) hibernates: one more tick releases what it keeps only for
 * speed (KCP's free segments and flush buffer, FEC shard caches and part-filled groups, cipher scratch, grown
 * queues), so thousands of once-busy idle sessions hold a few KiB each; the next busy period allocates them again.
 * Datagrams are produced under the lock into pooled buffers and written to the socket after the lock is released.
 *
 * <p><b>Semantics (kcp-go).</b> A write is accepted whole once KCP's send queue is below the send window,
 * then waits for window space otherwise. Each read returns at most one message (stream mode: one
 * segment); a message larger than the caller's buffer is returned over several reads. After
 * {@link #close()}, data already received can still be read; then reads and writes throw
 * {@link SocketException}("Socket closed"). Timeouts throw {@link SocketTimeoutException}. A dead link
 * (a segment sent {@code deadLinkXmit} times) or the idle timeout fails blocked and later calls with an
 * {@link IOException}. Close flushes once (no FIN exists in KCP; the peer is not told).
 *
 * <p><b>Buffers.</b> Arrays passed to read/write are only used during the call. Units: milliseconds for
 * KCP times, bytes for sizes. Per-session buffers that only some sessions need (direct-buffer copy arrays, FEC
 * shard rows, the receive window's table, the FEC inversion cache) are allocated on first use and then reused, so
 * an idle session holds little and a busy one allocates nothing per packet once warmed up (hibernation, above,
 * releases them again).
 */
public final class KcpSession implements ByteChannel, GatheringByteChannel {
    private static final System.Logger LOG = System.getLogger(KcpSession.class.getName());
    private static final byte[] NO_BYTES = new byte[0];

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final Kcp kcp;
    private final SessionOptions options;
    private final DatagramTransport transport;
    private final NetContext ctx;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final KcpListener listener;
    private final PacketPipeline pipeline;
    private final TxQueue tx;
    private final NetStats stats;
    private final Counters counters;
    private final BufferPool pool;
    private final Updater updater;
    private final FlushTask task;
    private final PacketPipeline.KcpSink sink = this::kcpInput;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IOException failure;
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private volatile long lastInputNanos;
    private ObjectName mbeanName;
    private final ReentrantLock directReadLock = new ReentrantLock();
    private byte[] directScratch;

    // guarded by lock
    private boolean writeDelay;
    private boolean ackNoDelay;
    private int dup;
    /** Copy buffer for writes from direct ByteBuffers, allocated on the first such write. */
    private byte[] scratch;
    private byte[] leftover = NO_BYTES;
    private int leftoverOff;
    private int leftoverLen;
    private final long[] kcpSeen = new long[7];
    /** The flush task is parked (out of the updater queue, or only waiting for hibernation or the idle timeout). */
    private boolean parked;
    /** When the task parked (updater clock). */
    private long parkedAtNanos;
    /** The caches were released during the current idle period. */
    private boolean hibernated;
    /** Hibernations so far (tests). */
    private long hibernations;
    /** Updater ticks run (tests: idle sessions are not ticked). */
    private long ticks;

    private KcpSession(int conv, DatagramTransport transport, InetSocketAddress remote, KcpListener listener,
            SessionOptions options, NetContext ctx, boolean withReceiveSealer) {
        this.options = options;
        this.transport = transport;
        this.ctx = ctx;
        this.pool = ctx.pool();
        this.updater = ctx.updater();
        this.remote = remote;
        this.local = transport.localAddress();
        this.listener = listener;
        this.stats = NetStats.newSessionStats();
        this.counters = stats.counters();
        PacketSealer txSealer = options.newSealer();
        PacketSealer rxSealer = withReceiveSealer ? options.newSealer() : null;
        this.pipeline = new PacketPipeline(txSealer, rxSealer, options.fecDataShards(), options.fecParityShards(),
                counters);
        this.tx = new TxQueue(transport, remote, pool, counters);
        this.kcp = new Kcp(conv, this::output);
        kcp.setMtu(options.mtu() - pipeline.overheadBytes());
        kcp.setNoDelay(options.noDelay(), options.intervalMs(), options.fastResend(), options.noCongestionControl());
        kcp.setWindowSize(options.sndWnd(), options.rcvWnd());
        kcp.setStreamMode(options.streamMode());
        kcp.setDeadLink(options.deadLinkXmit() == 0 ? Integer.MAX_VALUE : options.deadLinkXmit());
        kcp.setCompat561(options.compat561());
        pipeline.setCompat561(options.compat561());
        this.writeDelay = options.writeDelay();
        this.ackNoDelay = options.ackNoDelay();
        this.dup = options.dup();
        this.lastInputNanos = ctx.nanoTime();
        this.task = new FlushTask();
        if (options.rateLimitBytesPerSec() > 0) {
            tx.setRateLimit(options.rateLimitBytesPerSec(), this::fail);
        }
    }

    /**
     * Creates a client session (kcp-go NewConn) that receives on {@code transport} and closes it when it closes.
     */
    static KcpSession client(int conv, DatagramTransport transport, InetSocketAddress remote,
            SessionOptions options, NetContext ctx) {
        KcpSession s = new KcpSession(conv, transport, remote, null, options, ctx, true);
        s.counters.increment(SnmpField.ACTIVE_OPENS);
        s.opened();
        transport.start(s.new ClientHandler(), options.receiveThread());
        return s;
    }

    /** Creates a session for a listener; the listener decrypts and routes datagrams to it. */
    static KcpSession accepted(int conv, KcpListener listener, DatagramTransport transport, InetSocketAddress remote,
            SessionOptions options, NetContext ctx) {
        KcpSession s = new KcpSession(conv, transport, remote, listener, options, ctx, false);
        s.counters.increment(SnmpField.PASSIVE_OPENS);
        s.opened();
        return s;
    }

    private void opened() {
        counters.increment(SnmpField.CURR_ESTAB);
        NetStats.global().counters().raise(SnmpField.MAX_CONN, NetStats.global().get(SnmpField.CURR_ESTAB));
        updater.schedule(task, updater.nowNanos());
    }

    private int nowMs() {
        return ctx.nowMs();
    }

    // ------------------------------------------------------------------ output (under lock)

    /** KCP output callback: runs under the lock; copies into pooled buffers, seals, queues. */
    private void output(byte[] buf, int len) {
        ByteBuffer bb = pool.acquire();
        int n = pipeline.sealData(bb.array(), buf, len, nowMs());
        bb.limit(n);
        tx.add(bb);
        for (int i = 0; i < dup; i++) {
            ByteBuffer copy = pool.acquire();
            System.arraycopy(bb.array(), 0, copy.array(), 0, n);
            copy.limit(n);
            tx.add(copy);
        }
        pipeline.flushParity(tx, pool);
    }

    private void drainTx() {
        try {
            tx.drain();
        } catch (IOException e) {
            if (!closed.get()) {
                fail(e);
            }
        }
    }

    /** Copies KCP's cumulative segment counters into the SNMP counters as deltas; caller holds the lock. */
    private void syncKcpCounters() {
        delta(0, kcp.inSegs(), SnmpField.IN_SEGS);
        delta(1, kcp.outSegs(), SnmpField.OUT_SEGS);
        delta(2, kcp.retransSegs(), SnmpField.RETRANS_SEGS);
        delta(3, kcp.fastRetransSegs(), SnmpField.FAST_RETRANS_SEGS);
        delta(4, kcp.earlyRetransSegs(), SnmpField.EARLY_RETRANS_SEGS);
        delta(5, kcp.lostSegs(), SnmpField.LOST_SEGS);
        delta(6, kcp.repeatSegs(), SnmpField.REPEAT_SEGS);
    }

    private void delta(int i, long now, SnmpField field) {
        long d = now - kcpSeen[i];
        if (d != 0) {
            kcpSeen[i] = now;
            counters.add(field, d);
        }
    }

    // ------------------------------------------------------------------ input (receive-loop thread)

    /** Client path: source filter and decryption, then {@link #inputPlain}. */
    private final class ClientHandler implements DatagramTransport.Receiver {
        @Override
        public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
            if (!remote.equals(from)) {
                counters.increment(SnmpField.IN_ERRS);
                return;
            }
            int plainLen = pipeline.open(buf, len);
            if (plainLen >= 0) {
                inputPlain(buf, pipeline.plainOffset(), plainLen);
            }
        }

        @Override
        public void onReceiveFailed(IOException e) {
            fail(e);
        }
    }

    /**
     * Feeds one decrypted datagram (FEC header or plain KCP at {@code off}); called on the socket's receive
     * loop only. Bad input is counted, never thrown.
     */
    void inputPlain(byte[] buf, int off, int len) {
        if (closed.get()) {
            return;
        }
        lock.lock();
        try {
            pipeline.input(buf, off, len, nowMs(), sink);
            lastInputNanos = ctx.nanoTime();
            // Pending ACKs go out at the next regular tick, as if the session had kept ticking.
            rearmLocked(kcp.intervalMs() * 1_000_000L);
            syncKcpCounters();
            if (kcp.peekSize() >= 0) {
                readable.signalAll();
            }
            if (kcp.waitSnd() < kcp.sndWnd()) {
                writable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        drainTx();
    }

    /** Called by the pipeline (under the lock) for every KCP packet: regular or FEC-recovered. */
    private boolean kcpInput(byte[] buf, int off, int len, boolean regular) {
        InputResult r = kcp.input(buf, off, len, regular, ackNoDelay, nowMs());
        if (r != InputResult.OK) {
            counters.increment(SnmpField.KCP_IN_ERRORS);
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ updater

    /** The session's entry in the shared updater: flush when KCP asks, detect dead link and idleness. */
    private final class FlushTask extends Updater.Task {
        FlushTask() {
            super(lock);
        }

        @Override
        protected long tick(long nowNanos) {
            if (closed.get()) {
                return Updater.CANCEL;
            }
            int nextMs = kcp.flush(false, (int) (nowNanos / 1_000_000L));
            syncKcpCounters();
            // kcp-go v5.6.72 stores these gauges at every flush: the last flushing session's queue lengths.
            counters.set(SnmpField.RING_BUFFER_SND_QUEUE, kcp.sndQueueLength());
            counters.set(SnmpField.RING_BUFFER_RCV_QUEUE, kcp.rcvQueueLength());
            counters.set(SnmpField.RING_BUFFER_SND_BUFFER, kcp.sndBufLength());
            if (kcp.waitSnd() < kcp.sndWnd()) {
                writable.signalAll();
            }
            ticks++;
            if (failure == null) {
                checkLiveness(nowNanos);
            }
            if (!kcp.isIdle()) {
                parked = false;
                hibernated = false;
                return nowNanos + Math.max(1, nextMs) * 1_000_000L;
            }
            if (!parked) {
                parked = true;
                parkedAtNanos = nowNanos;
            }
            long wake = Updater.PARK;
            if (!hibernated && !options.hibernateAfter().isZero()) {
                long due = parkedAtNanos + options.hibernateAfter().toNanos();
                if (nowNanos - due >= 0) {
                    hibernate();
                } else {
                    wake = due; // one more tick to release the caches if the session is still idle then
                }
            }
            if (failure == null && !options.idleTimeout().isZero()) {
                // Nothing to flush, but the idle timeout must still fire: one timer at its deadline.
                wake = Math.min(wake,
                        Math.max(nowNanos + 1_000_000L, lastInputNanos + options.idleTimeout().toNanos() + 1));
            }
            return wake;
        }

        @Override
        protected void afterTick() {
            drainTx();
        }
    }

    /**
     * Releases what an idle session keeps only for speed; the next busy period allocates it again. Caller holds the
     * lock. The client's receive sealer keeps its scratch: it decrypts on the receive loop outside the lock.
     */
    private void hibernate() {
        hibernated = true;
        hibernations++;
        kcp.trim();
        pipeline.trim();
        tx.trim();
        if (leftoverLen == 0) {
            leftover = NO_BYTES;
        }
        scratch = null;
        if (directReadLock.tryLock()) {
            try {
                directScratch = null;
            } finally {
                directReadLock.unlock();
            }
        }
    }

    /** Reads session or KCP state under the session lock (getters; not a hot path). */
    private long underLock(LongSupplier read) {
        lock.lock();
        try {
            return read.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /** Runs a session-field change under the session lock (setters; not a hot path). */
    private void underLock(Runnable change) {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }

    /** Applies a knob change to KCP under the session lock and wakes the session if it now has work. */
    private void reconfigure(Runnable change) {
        underLock(() -> {
            change.run();
            rearmLocked(0);
        });
    }

    /**
     * Re-arms a parked flush task if KCP has work again (caller holds the lock, so a concurrent tick cannot park
     * the task after this check: the tick parks only under the lock, and a schedule during a tick re-queues it).
     *
     * @param delayNanos delay of the first tick from now
     */
    private void rearmLocked(long delayNanos) {
        if (parked && !kcp.isIdle()) {
            parked = false;
            hibernated = false;
            updater.schedule(task, updater.nowNanos() + delayNanos);
        }
    }

    /**
     * Returns updater ticks run so far (tests).
     *
     * @return updater ticks run so far
     */
    long ticks() {
        return underLock(() -> ticks);
    }

    /**
     * Returns how many times this session released its caches after an idle period (tests).
     *
     * @return hibernations so far
     */
    long hibernations() {
        return underLock(() -> hibernations);
    }

    private void checkLiveness(long nowNanos) {
        if (options.deadLinkXmit() > 0 && kcp.isDeadLink()) {
            failLocked(new IOException("dead link: a segment was sent " + options.deadLinkXmit()
                    + " times without acknowledgement (conv " + Integer.toUnsignedString(kcp.conv()) + ", remote "
                    + remote + ")"));
        } else if (!options.idleTimeout().isZero() && nowNanos - lastInputNanos > options.idleTimeout().toNanos()) {
            failLocked(new IOException("idle timeout: nothing received from " + remote + " for "
                    + options.idleTimeout().toMillis() + " ms"));
        }
    }

    /** The listener's socket failed: blocked and later calls get its error (kcp-go propagates it too). */
    void failFromListener(IOException e) {
        fail(e);
    }

    private void fail(IOException e) {
        lock.lock();
        try {
            failLocked(e);
        } finally {
            lock.unlock();
        }
    }

    private void failLocked(IOException e) {
        if (failure == null) {
            failure = e;
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "kcp session " + Integer.toUnsignedString(kcp.conv()) + " failed: "
                        + e.getMessage());
            }
        }
        readable.signalAll();
        writable.signalAll();
    }

    private IOException failureCopy() {
        IOException f = failure;
        return new IOException(f.getMessage(), f);
    }

    // ------------------------------------------------------------------ read

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
        if (len == 0) {
            return 0;
        }
        long deadline = ctx.deadline(readTimeoutNanos);
        int n;
        boolean announceWindow;
        lockForCaller();
        try {
            while ((n = readLocked(dst, off, len)) == 0) {
                if (closed.get()) {
                    throw new SocketException("Socket closed");
                }
                if (failure != null) {
                    throw failureCopy();
                }
                await(readable, deadline, "Read");
            }
            announceWindow = kcp.isWindowUpdatePending();
            rearmLocked(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("read interrupted");
        } finally {
            lock.unlock();
        }
        counters.add(SnmpField.BYTES_RECEIVED, n);
        if (announceWindow) {
            // The reader reopened a window the peer saw closed: tell it now rather than at the next tick.
            updater.schedule(task, updater.nowNanos());
        }
        return n;
    }

    /**
     * Returns how many bytes the next {@link #read(byte[], int, int)} can return without blocking: the rest of a
     * partly read message, else the size of the next complete message (stream mode: segment), else 0.
     *
     * @return bytes readable now, 0 if a read would block
     */
    public int available() {
        lock.lock();
        try {
            return leftoverLen > 0 ? leftoverLen : Math.max(0, kcp.peekSize());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads into {@code dst}; see {@link #read(byte[], int, int)}.
     *
     * @param dst destination
     * @return bytes read
     * @throws IOException as {@link #read(byte[], int, int)}
     */
    public int read(byte[] dst) throws IOException {
        return read(dst, 0, dst.length);
    }

    /**
     * Returns bytes copied, 0 if nothing is ready; caller holds the lock.
     *
     * @return bytes copied, 0 if nothing is ready; caller holds the lock
     */
    private int readLocked(byte[] dst, int off, int len) {
        if (leftoverLen > 0) {
            int n = Math.min(len, leftoverLen);
            System.arraycopy(leftover, leftoverOff, dst, off, n);
            leftoverOff += n;
            leftoverLen -= n;
            return n;
        }
        while (true) {
            int size = kcp.peekSize();
            if (size < 0) {
                return 0;
            }
            if (size == 0) {
                // A zero-length PUSH (never sent by kcp-go) would stall kcp-go's Read; consume and skip it.
                kcp.recv(dst, off, 0);
                continue;
            }
            if (size <= len) {
                return kcp.recv(dst, off, len);
            }
            if (leftover.length < size) {
                leftover = new byte[Math.max(size, leftover.length * 2)];
            }
            kcp.recv(leftover, 0, leftover.length);
            System.arraycopy(leftover, 0, dst, off, len);
            leftoverOff = len;
            leftoverLen = size - len;
            return len;
        }
    }

    private void lockForCaller() throws java.io.InterruptedIOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the session lock");
        }
    }

    private void await(Condition c, long deadline, String what) throws InterruptedException, SocketTimeoutException {
        if (!ctx.await(c, deadline)) {
            throw new SocketTimeoutException(what + " timed out");
        }
    }

    /**
     * Reads into {@code dst}'s remaining space; see {@link #read(byte[], int, int)}. Direct buffers go through
     * a session-owned 64 KiB array (allocated on first use, one direct-buffer reader at a time).
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            int n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            dst.position(dst.position() + n);
            return n;
        }
        directReadLock.lock();
        try {
            if (directScratch == null) {
                directScratch = new byte[65536];
            }
            int n = read(directScratch, 0, Math.min(dst.remaining(), directScratch.length));
            dst.put(directScratch, 0, n);
            return n;
        } finally {
            directReadLock.unlock();
        }
    }

    // ------------------------------------------------------------------ write

    /**
     * Queues {@code src[off, off+len)} (kcp-go {@code Write}): waits until KCP's send queue is below the send
     * window, then accepts all bytes at once (split into mss-sized messages) and flushes unless write delay
     * is on and the window still has room.
     *
     * @param src source array
     * @param off first byte to send
     * @param len bytes to send
     * @return {@code len}
     * @throws SocketTimeoutException on write timeout
     * @throws SocketException        "Socket closed" after close
     * @throws IOException            on dead link, idle timeout or socket failure
     */
    public int write(byte[] src, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, src.length);
        long deadline = writeDeadline();
        lockForCaller();
        try {
            awaitWindow(deadline);
            int mss = kcp.mss();
            for (int pos = 0; pos < len; pos += mss) {
                kcp.send(src, off + pos, Math.min(mss, len - pos));
            }
            flushAfterWrite();
            rearmLocked(kcp.intervalMs() * 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("write interrupted");
        } finally {
            lock.unlock();
        }
        counters.add(SnmpField.BYTES_SENT, len);
        drainTx();
        return len;
    }

    /**
     * Writes all of {@code src}; see {@link #write(byte[], int, int)}.
     *
     * @param src bytes to send
     * @return {@code src.length}
     * @throws IOException as {@link #write(byte[], int, int)}
     */
    public int write(byte[] src) throws IOException {
        return write(src, 0, src.length);
    }

    private long writeDeadline() {
        return ctx.deadline(writeTimeoutNanos);
    }

    private void awaitWindow(long deadline) throws IOException, InterruptedException {
        while (true) {
            if (closed.get()) {
                throw new SocketException("Socket closed");
            }
            if (failure != null) {
                throw failureCopy();
            }
            if (windowOpen()) {
                return;
            }
            await(writable, deadline, "Write");
        }
    }

    private boolean windowOpen() {
        int wait = kcp.waitSnd();
        return wait < kcp.sndWnd() && (!options.compat561() || wait < kcp.rmtWnd());
    }

    private void flushAfterWrite() {
        if (!windowOpen() || !writeDelay) {
            kcp.flush(false, nowMs());
            syncKcpCounters();
        }
    }

    /** Writes {@code src}'s remaining bytes; see {@link #write(byte[], int, int)}. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) writeBuffers(null, 0, 0, Objects.requireNonNull(src, "src"));
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
        return writeBuffers(srcs, offset, length, null);
    }

    private long writeBuffers(ByteBuffer[] srcs, int offset, int length, ByteBuffer single) throws IOException {
        long deadline = writeDeadline();
        long total = 0;
        lockForCaller();
        try {
            awaitWindow(deadline);
            if (single != null) {
                total = sendBuffer(single);
            } else {
                for (int i = offset; i < offset + length; i++) {
                    total += sendBuffer(srcs[i]);
                }
            }
            flushAfterWrite();
            rearmLocked(kcp.intervalMs() * 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("write interrupted");
        } finally {
            lock.unlock();
        }
        counters.add(SnmpField.BYTES_SENT, total);
        drainTx();
        return total;
    }

    /** Queues {@code b}'s remaining bytes in mss-sized messages; caller holds the lock. */
    private long sendBuffer(ByteBuffer b) {
        int mss = kcp.mss();
        long total = 0;
        while (b.hasRemaining()) {
            int n = Math.min(mss, b.remaining());
            if (b.hasArray()) {
                kcp.send(b.array(), b.arrayOffset() + b.position(), n);
                b.position(b.position() + n);
            } else {
                if (scratch == null) {
                    scratch = new byte[BufferPool.BUFFER_SIZE];
                }
                b.get(scratch, 0, n);
                kcp.send(scratch, 0, n);
            }
            total += n;
        }
        return total;
    }

    // ------------------------------------------------------------------ streams

    /**
     * Returns an {@link InputStream} view (no monitors; reads block like {@link #read(byte[], int, int)}).
     *
     * @return an {@link InputStream} view (no monitors; reads block like {@link #read(byte[], int, int)})
     */
    public InputStream inputStream() {
        return new SessionStreams.In(this);
    }

    /**
     * Returns an {@link OutputStream} view; {@code close()} closes the session.
     *
     * @return an {@link OutputStream} view; {@code close()} closes the session
     */
    public OutputStream outputStream() {
        return new SessionStreams.Out(this);
    }

    /**
     * Returns true if closed by {@link #close()} without an earlier failure (a stream then reports EOF).
     *
     * @return true if closed by {@link #close()} without an earlier failure (a stream then reports EOF)
     */
    boolean closedCleanly() {
        return closed.get() && failure == null;
    }

    // ------------------------------------------------------------------ close

    /**
     * Returns true until {@link #close()}.
     *
     * @return true until {@link #close()}
     */
    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the session (idempotent): flushes once, wakes every blocked caller with
     * {@code SocketException("Socket closed")}, leaves the updater, releases buffers, removes the session
     * from its listener and closes the socket if the session owns it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            kcp.flush(false, nowMs());
            syncKcpCounters();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            tx.drain();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "final flush of a closing kcp session failed", e);
        }
        tx.close();
        updater.cancel(task);
        counters.add(SnmpField.CURR_ESTAB, -1);
        ObjectName registered;
        lock.lock();
        try {
            registered = mbeanName;
            mbeanName = null;
        } finally {
            lock.unlock();
        }
        if (registered != null) {
            NetStats.unregisterMBean(registered.getCanonicalName());
        }
        if (listener != null) {
            listener.sessionClosed(this);
        }
        if (listener == null) {
            transport.close();
        }
    }

    // ------------------------------------------------------------------ getters and knobs

    /**
     * Returns the conversation id (kcp-go {@code GetConv}), an unsigned 32-bit value in an int.
     *
     * @return the conversation id (kcp-go {@code GetConv}), an unsigned 32-bit value in an int
     */
    public int conv() {
        return kcp.conv();
    }

    /**
     * Returns current retransmission timeout in ms (kcp-go {@code GetRTO}).
     *
     * @return current retransmission timeout in ms (kcp-go {@code GetRTO})
     */
    public int rto() {
        return (int) underLock(kcp::rxRto);
    }

    /**
     * Returns smoothed RTT in ms (kcp-go {@code GetSRTT}).
     *
     * @return smoothed RTT in ms (kcp-go {@code GetSRTT})
     */
    public int srtt() {
        return (int) underLock(kcp::rxSrtt);
    }

    /**
     * Returns RTT variation in ms (kcp-go {@code GetSRTTVar}).
     *
     * @return RTT variation in ms (kcp-go {@code GetSRTTVar})
     */
    public int srttVar() {
        return (int) underLock(kcp::rxRttvar);
    }

    /**
     * Returns the peer's address.
     *
     * @return the peer's address
     */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * Returns the local socket address.
     *
     * @return the local socket address
     */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Returns this session's counters (every update also reaches {@link NetStats#global()}).
     *
     * @return this session's counters (every update also reaches {@link NetStats#global()})
     */
    public NetStats stats() {
        return stats;
    }

    /**
     * Registers this session's counters in the platform MBean server as
     * {@code kcp.net:type=NetStats,name=session-<conv>-<localPort>-<remotePort>} (attributes named like kcp-go's
     * SNMP header); {@link #close()} unregisters it. Idempotent.
     *
     * @return the JMX name
     */
    public ObjectName registerMBean() {
        String name = "kcp.net:type=NetStats,name=session-" + Integer.toUnsignedString(kcp.conv()) + "-"
                + local.getPort() + "-" + remote.getPort();
        lock.lock();
        try {
            if (mbeanName == null) {
                mbeanName = stats.registerMBean(name);
            }
            return mbeanName;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the options the session was created with (knob setters do not change this value).
     *
     * @return the options the session was created with (knob setters do not change this value)
     */
    public SessionOptions options() {
        return options;
    }

    /**
     * Returns KCP's send queue + in-flight segments (kcp-go {@code WaitSnd}).
     *
     * @return KCP's send queue + in-flight segments (kcp-go {@code WaitSnd})
     */
    public int waitSnd() {
        return (int) underLock(kcp::waitSnd);
    }

    /**
     * Sets timeout.
     *
     * @param timeout read timeout; {@link Duration#ZERO} = none
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = checkTimeout(timeout);
        underLock(readable::signalAll); // waiters re-read the timeout
    }

    /**
     * Sets timeout.
     *
     * @param timeout write timeout; {@link Duration#ZERO} = none
     */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = checkTimeout(timeout);
        underLock(writable::signalAll);
    }

    private static long checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout (use Duration.ZERO for none)");
        if (timeout.isNegative() || timeout.compareTo(SessionOptions.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be in [0, 100 days] (0 = none): " + timeout);
        }
        return timeout.toNanos();
    }

    /**
     * kcp-go {@code SetNoDelay}.
     *
     * @param noDelay    min RTO 30 ms instead of 100 ms
     * @param intervalMs flush interval, 10..5000 ms
     * @param fastResend fast-resend threshold, 0 = off
     * @param nc         true: no congestion control
     */
    public void setNoDelay(boolean noDelay, int intervalMs, int fastResend, boolean nc) {
        SessionOptions.builder().noDelay(noDelay, intervalMs, fastResend, nc).build();
        reconfigure(() -> kcp.setNoDelay(noDelay, intervalMs, fastResend, nc));
    }

    /**
     * kcp-go {@code SetWindowSize}.
     *
     * @param sndWnd 1..65535 packets
     * @param rcvWnd 1..65535 packets
     */
    public void setWindowSize(int sndWnd, int rcvWnd) {
        SessionOptions.builder().windowSize(sndWnd, rcvWnd).build();
        reconfigure(() -> kcp.setWindowSize(sndWnd, rcvWnd));
        updater.schedule(task, updater.nowNanos());
    }

    /**
     * kcp-go {@code SetMtu}.
     *
     * @param mtu datagram limit in bytes, validated like {@link SessionOptions#mtu()}
     */
    public void setMtu(int mtu) {
        options.toBuilder().mtu(mtu).build();
        reconfigure(() -> kcp.setMtu(mtu - pipeline.overheadBytes()));
    }

    /**
     * kcp-go {@code SetStreamMode}.
     *
     * @param stream true for stream mode
     */
    public void setStreamMode(boolean stream) {
        reconfigure(() -> kcp.setStreamMode(stream));
    }

    /**
     * kcp-go {@code SetWriteDelay}.
     *
     * @param delay true: writes flush only when the window is full
     */
    public void setWriteDelay(boolean delay) {
        underLock(() -> writeDelay = delay);
    }

    /**
     * kcp-go {@code SetACKNoDelay}.
     *
     * @param noDelay true: flush ACKs on every input
     */
    public void setAckNoDelay(boolean noDelay) {
        underLock(() -> ackNoDelay = noDelay);
    }

    /**
     * kcp-go {@code SetDUP}.
     *
     * @param dup extra copies of every datagram, 0..8
     */
    public void setDup(int dup) {
        SessionOptions.builder().dup(dup).build();
        underLock(() -> this.dup = dup);
    }

    /**
     * kcp-go v5.6.35 {@code SetRateLimit}.
     *
     * @param bytesPerSec pacing rate, 0 = unlimited
     */
    public void setRateLimit(long bytesPerSec) {
        tx.setRateLimit(bytesPerSec, this::fail);
    }

    /**
     * kcp-go {@code SetDSCP} (client sessions that own their socket only).
     *
     * @param dscp 0..63
     * @throws IOException           if the socket rejects it
     * @throws IllegalStateException on a listener's session or a socket the session does not own
     */
    public void setDscp(int dscp) throws IOException {
        UdpTransport udp = requireOwnSocket("setDscp");
        SessionOptions.builder().dscp(dscp).build();
        udp.setDscp(dscp, remote);
    }

    /**
     * kcp-go {@code SetReadBuffer}/{@code SetWriteBuffer} (client sessions that own their socket only).
     *
     * @param readBytes  SO_RCVBUF, 0 = unchanged
     * @param writeBytes SO_SNDBUF, 0 = unchanged
     * @throws IOException if the socket rejects them
     */
    public void setSocketBuffers(int readBytes, int writeBytes) throws IOException {
        UdpTransport udp = requireOwnSocket("setSocketBuffers");
        SessionOptions.builder().socketBuffers(readBytes, writeBytes).build();
        udp.setBuffers(readBytes, writeBytes);
    }

    private UdpTransport requireOwnSocket(String what) {
        if (listener != null || !(transport instanceof UdpTransport udp) || !udp.ownsChannel()) {
            throw new IllegalStateException(what + " needs a client session that owns its socket (kcp-go "
                    + "errInvalidOperation); set it on the listener/channel instead");
        }
        return udp;
    }

    @Override
    public String toString() {
        return "KcpSession[conv=" + Integer.toUnsignedString(kcp.conv()) + ", local=" + local + ", remote=" + remote
                + (closed.get() ? ", closed" : "") + "]";
    }
}
