package kcp.net.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import kcp.core.InputResult;
import kcp.core.Kcp;
import kcp.net.DatagramTransport;
import kcp.net.Limits;
import kcp.net.SessionOptions;
import kcp.net.SnmpField;
import kcp.net.internal.jfr.SessionEvents;

/**
 * The engine of one KCP session, behind {@code kcp.net.KcpSession}'s blocking facade: one {@link ReentrantLock}
 * guarding the {@link Kcp}, the inbound and outbound {@link PacketPipeline}, the updater tick, hibernation and the
 * counters. See {@code docs/design.md} for the pipelines, threads and locking.
 *
 * <pre>
 *  user thread   write --lock--> Kcp.send, flush --> output() --> PacketPipeline.sealData --> TxQueue
 *                                                                     unlock --> TxQueue.drain --> transport
 *  receive loop  transport --> Demux.open (decrypt, classify once) --lock--> PacketPipeline.input --> Kcp.input
 *                                   (ACKs produced now go out at the next tick)   signal readable/writable
 *  kcp-updater   tick --tryLock--> Kcp.flush, dead link, idle timeout, park / hibernate --> afterTick: drain
 * </pre>
 *
 * <p>Idle: with nothing queued or in flight ({@link Kcp#isIdle()}) the tick parks the session out of the updater's
 * queue; input, a write, a read that reopens the window or a knob re-arms it under the lock, so no work is left
 * without a timer. After {@link SessionOptions#hibernateAfter()} of idleness one more tick releases what the session
 * keeps only for speed. Thread-safe: any thread may call anything; callers block on the lock's conditions, never on
 * monitors.
 */
public final class SessionEngine {
    private static final System.Logger LOG = System.getLogger(SessionEngine.class.getName());
    private static final byte[] NO_BYTES = new byte[0];

    /** Datagrams a flush queues before it sends them from within the flush instead of after it. */
    private static final int EARLY_SEND = 32;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = new ParkingCondition(lock);
    private final Condition writable = new ParkingCondition(lock);
    private final Kcp kcp;
    private final SessionOptions options;
    private volatile InetSocketAddress remote;
    private final NetContext ctx;
    private final PacketPipeline pipeline;
    private final TxQueue tx;
    private final Counters counters;
    private final BufferPool pool;
    private final Updater updater;
    private final FlushTask task = new FlushTask();
    private final PacketPipeline.KcpSink sink = this::kcpInput;
    private final OobChannel oob;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile IOException failure;
    /** JFR: segment trace, lifecycle, statistics ({@code docs/observability.md}). */
    private final SessionEvents events;
    /** A tick threw: the Kcp's state is suspect, so close skips its final flush. */
    private volatile boolean tickFailed;
    /** Closes the whole session (facade, listener, transport) after a failed tick; set by the facade. */
    private volatile Runnable closer = this::close;
    private volatile long lastInputNanos;
    private final ReentrantLock directReadLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private byte[] directScratch;
    /** Idle timeout in nanoseconds, 0 = off (an accepted session may get the listener's default). */
    private volatile long idleNanos;
    /** {@code Limits.deadLinkTimeout} in nanoseconds, 0 = off. */
    private final long deadLinkNanos;
    /** The listener's accounted bytes (null for a dialled session) and what this session added to them. */
    private java.util.concurrent.atomic.AtomicLong budget;
    private volatile long accounted;
    private final int segmentCost;
    /** KCP delivered in-order data at least once (an embryonic session becomes acceptable). */
    private volatile boolean delivered;
    /** Dead-link timeout bookkeeping (under lock, in ticks): the una being waited for and since when. */
    private int waitedUna;
    private long waitedSinceNanos;

    // KCP's cumulative segment counts, mirrored into the SNMP counters (under lock)
    private final Counters.Mirror inSegs;
    private final Counters.Mirror outSegs;
    private final Counters.Mirror retransSegs;
    private final Counters.Mirror fastRetransSegs;
    private final Counters.Mirror earlyRetransSegs;
    private final Counters.Mirror lostSegs;
    private final Counters.Mirror repeatSegs;

    // guarded by lock
    private boolean writeDelay;
    private boolean ackNoDelay;
    /** The receive window is an embryonic session's small one (listener sessions until their first data). */
    private boolean embryonicWindow;
    private int dup;
    /** Copy buffer for writes from direct ByteBuffers, allocated on the first such write. */
    private byte[] scratch;
    private byte[] leftover = NO_BYTES;
    private int leftoverOff;
    private int leftoverLen;
    /** The flush task is parked (out of the updater queue, or only waiting for hibernation or the idle timeout). */
    private boolean parked;
    /** When the task parked (updater clock). */
    private long parkedAtNanos;
    /** The caches were released during the current idle period. */
    private boolean hibernated;
    private long hibernations;
    private long ticks;

    /**
     * Creates the engine; {@link #start()} puts it in the updater.
     *
     * @param conv      conversation id
     * @param transport where datagrams go
     * @param remote    the peer
     * @param options   every knob
     * @param ctx       clock, updater, buffer pool
     * @param counters  the session's counters (chained to the global set)
     */
    public SessionEngine(int conv, DatagramTransport transport, InetSocketAddress remote, SessionOptions options,
            NetContext ctx, Counters counters) {
        this.options = options;
        this.remote = remote;
        this.ctx = ctx;
        this.pool = ctx.pool();
        this.updater = ctx.updater();
        this.counters = counters;
        this.pipeline = new PacketPipeline(options.newSealer(), options.fecDataShards(), options.fecParityShards(),
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
        this.idleNanos = options.idleTimeout().toNanos();
        this.deadLinkNanos = options.limits().deadLinkTimeout().toNanos();
        this.waitedSinceNanos = lastInputNanos;
        this.segmentCost = options.mtu() + 64;
        this.inSegs = counters.mirror(SnmpField.IN_SEGS);
        this.outSegs = counters.mirror(SnmpField.OUT_SEGS);
        this.retransSegs = counters.mirror(SnmpField.RETRANS_SEGS);
        this.fastRetransSegs = counters.mirror(SnmpField.FAST_RETRANS_SEGS);
        this.earlyRetransSegs = counters.mirror(SnmpField.EARLY_RETRANS_SEGS);
        this.lostSegs = counters.mirror(SnmpField.LOST_SEGS);
        this.repeatSegs = counters.mirror(SnmpField.REPEAT_SEGS);
        if (options.rateLimitBytesPerSec() > 0) {
            tx.setRateLimit(options.rateLimitBytesPerSec(), this::fail);
        }
        this.oob = new OobChannel(lock, kcp, pipeline, tx, pool, counters, ctx, options.fecEnabled(),
                options.limits().oobQueue(), this::throwIfUnusable, this::drainTx);
        this.events = new SessionEvents(kcp, lock, counters, remote, transport.localAddress(), ctx::nanoTime);
        kcp.setTrace(events.traceOrNull());
    }

    /**
     * Sends to {@code to} from now on (a listener's connection migration moved the session); KCP state is kept.
     *
     * @param to the peer's new address
     */
    public void retarget(InetSocketAddress to) {
        remote = to;
        tx.retarget(to);
        events.retarget(to);
    }

    /** Schedules the first tick. */
    public void start() {
        updater.schedule(task, updater.nowNanos());
    }

    // ------------------------------------------------------------------ output (under lock)

    /** KCP output callback: runs under the lock; copies into pooled buffers, seals, queues. */
    private void output(byte[] buf, int len) {
        ByteBuffer bb = pool.acquire();
        int n = pipeline.sealData(bb.array(), buf, len, ctx.nowMs());
        bb.limit(n);
        tx.add(bb);
        if (tx.pending() >= EARLY_SEND) {
            // A flush that queues many datagrams (a large write, a tick after the window reopened) sends as it goes:
            // the peer starts on the first ones while this thread seals the rest (docs/decisions.md, "Early send").
            drainTx();
        }
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

    /** Copies KCP's cumulative segment counts into the SNMP counters; caller holds the lock. */
    private void syncKcpCounters() {
        inSegs.sync(kcp.inSegs());
        outSegs.sync(kcp.outSegs());
        retransSegs.sync(kcp.retransSegs());
        fastRetransSegs.sync(kcp.fastRetransSegs());
        earlyRetransSegs.sync(kcp.earlyRetransSegs());
        lostSegs.sync(kcp.lostSegs());
        repeatSegs.sync(kcp.repeatSegs());
    }

    // ------------------------------------------------------------------ input (receive-loop thread)

    /**
     * Feeds one opened datagram; called on the transport's delivery thread only. Bad input is counted, never thrown.
     *
     * @param view the datagram, opened and classified by a {@link Demux}
     */
    public void input(Demux view) {
        if (closed.get()) {
            return;
        }
        if (view.kind() == Demux.OOB) {
            if (oob.input(view.buffer(), view.offset(), view.length())) {
                lastInputNanos = ctx.nanoTime(); // the peer is alive, as for any input
            }
            return;
        }
        lock.lock();
        try {
            pipeline.input(view, ctx.nowMs(), sink);
            lastInputNanos = ctx.nanoTime();
            if (budget != null) {
                accountLocked();
                if (!delivered && (kcp.rcvNxt() != 0 || kcp.peekSize() >= 0)) {
                    delivered = true;
                }
            }
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
        // An embryonic session's ACKs wait for the tick (or its promotion), so they advertise the full window.
        InputResult r = kcp.input(buf, off, len, regular, ackNoDelay && !embryonicWindow, ctx.nowMs());
        if (r != InputResult.OK) {
            counters.increment(SnmpField.KCP_IN_ERRORS);
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ updater

    /** The session's entry in the updater: flush when KCP asks, detect dead link and idleness. */
    private final class FlushTask extends Updater.Task {
        FlushTask() {
            super(lock);
        }

        @Override
        protected long tick(long nowNanos) {
            if (closed.get()) {
                return Updater.CANCEL;
            }
            kcp.setTrace(events.traceOrNull()); // follows recordings that start or stop
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
            return parkedDeadline(nowNanos);
        }

        @Override
        protected void afterTick() {
            drainTx();
        }

        @Override
        public String toString() {
            return "kcp session " + Integer.toUnsignedString(kcp.conv()) + " to " + remote;
        }

        @Override
        protected void failed(Throwable cause) {
            tickFailed = true;
            fail(new IOException("kcp session " + Integer.toUnsignedString(kcp.conv()) + " to " + remote
                    + " failed in its updater tick: " + cause, cause), "updater");
            closer.run();
        }
    }

    /** An idle session's next wake-up: hibernation, the idle timeout, or none (parked). Caller holds the lock. */
    private long parkedDeadline(long nowNanos) {
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
        long idle = idleNanos;
        if (failure == null && idle != 0) {
            // Nothing to flush, but the idle timeout must still fire: one timer at its deadline.
            wake = Math.min(wake, Math.max(nowNanos + 1_000_000L, lastInputNanos + idle + 1));
        }
        return wake;
    }

    /**
     * Releases what an idle session keeps only for speed; the next busy period allocates it again. Caller holds the
     * lock. The receive path's sealer keeps its scratch: it decrypts on the receive loop outside the lock.
     */
    private void hibernate() {
        hibernated = true;
        hibernations++;
        kcp.trim();
        pipeline.trim();
        tx.trim();
        oob.trim();
        if (leftoverLen == 0) {
            leftover = NO_BYTES;
        }
        scratch = null;
        if (budget != null) {
            accountLocked();
        }
        if (directReadLock.tryLock()) {
            try {
                directScratch = null;
            } finally {
                directReadLock.unlock();
            }
        }
    }

    /**
     * Re-arms a parked flush task if KCP has work again (caller holds the lock, so a concurrent tick cannot park
     * the task after this check: the tick parks only under the lock, and a schedule during a tick re-queues it).
     */
    private void rearmLocked(long delayNanos) {
        if (parked && !kcp.isIdle()) {
            parked = false;
            hibernated = false;
            updater.schedule(task, updater.nowNanos() + delayNanos);
        }
    }

    private void checkLiveness(long nowNanos) {
        if (options.deadLinkXmit() > 0 && kcp.isDeadLink()) {
            events.deadLink("xmit", options.deadLinkXmit());
            failLocked(new IOException("dead link: a segment was sent " + options.deadLinkXmit()
                    + " times without acknowledgement (conv " + Integer.toUnsignedString(kcp.conv()) + ", remote "
                    + remote + ")"), "dead-link");
        } else if (idleNanos != 0 && nowNanos - lastInputNanos > idleNanos) {
            events.idleTimeout(idleNanos, nowNanos - lastInputNanos);
            failLocked(new IOException("idle timeout: nothing received from " + remote + " for "
                    + idleNanos / 1_000_000L + " ms"), "idle-timeout");
        } else if (deadLinkNanos != 0) {
            if (kcp.sndBufLength() == 0 || kcp.sndUna() != waitedUna) {
                waitedUna = kcp.sndUna();
                waitedSinceNanos = nowNanos;
            } else if (nowNanos - waitedSinceNanos > deadLinkNanos) {
                events.deadLink("timeout", deadLinkNanos / 1_000_000L);
                failLocked(new IOException("dead link: segment " + Integer.toUnsignedString(waitedUna)
                        + " unacknowledged for " + deadLinkNanos / 1_000_000L + " ms (deadLinkTimeout; conv "
                        + Integer.toUnsignedString(kcp.conv()) + ", remote " + remote + ")"), "dead-link");
            }
        }
    }

    /**
     * Sets the idle timeout (an accepted session gets the listener's default when its options have none); any thread.
     *
     * @param nanos silence after which reads and writes fail, 0 = off
     */
    public void setIdleTimeoutNanos(long nanos) {
        lock.lock();
        try {
            idleNanos = nanos;
            rearmLocked(0);
            if (parked && nanos != 0) {
                updater.schedule(task, updater.nowNanos());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the idle timeout in force.
     *
     * @return nanoseconds, 0 = off
     */
    public long idleTimeoutNanos() {
        return idleNanos;
    }

    /**
     * Makes this (listener) session account its buffered receive data in {@code listenerBudget} and starts it
     * embryonic: a receive window of {@code embryonicWindow} segments until {@link #openReceiveWindow()}. Call before
     * the first input.
     *
     * @param listenerBudget  the listener's accounted bytes
     * @param embryonicWindow receive window in segments while embryonic
     */
    public void attachBudget(java.util.concurrent.atomic.AtomicLong listenerBudget, int embryonicWindow) {
        lock.lock();
        try {
            budget = listenerBudget;
            this.embryonicWindow = true;
            oob.setEmbryonic(true);
            kcp.setWindowSize(0, Math.min(embryonicWindow, options.rcvWnd()));
            accountLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Gives an embryonic session its full receive window (it delivered its first in-order data). */
    public void openReceiveWindow() {
        lock.lock();
        try {
            embryonicWindow = false;
            oob.setEmbryonic(false);
            kcp.setWindowSize(0, options.rcvWnd());
            if (ackNoDelay) {
                kcp.flush(true, ctx.nowMs()); // the ACKs the embryonic input held back, now with the full window
                syncKcpCounters();
            }
        } finally {
            lock.unlock();
        }
        drainTx();
    }

    /**
     * Returns true once KCP delivered in-order data (only tracked for listener sessions).
     *
     * @return whether the first in-order data arrived
     */
    public boolean delivered() {
        return delivered;
    }

    /**
     * Returns the bytes this session adds to its listener's budget: a fixed base plus a full segment per buffered
     * received segment (0 once closed, or for a dialled session).
     *
     * @return accounted bytes
     */
    public long accountedBytes() {
        return accounted;
    }

    /** Brings the listener's budget up to date with what this session buffers; caller holds the lock. */
    private void accountLocked() {
        long now = closed.get() ? 0 : Limits.SESSION_BASE_BYTES
                + (long) (kcp.rcvBufLength() + kcp.rcvQueueLength()) * segmentCost + leftover.length;
        long was = accounted;
        if (now != was) {
            accounted = now;
            budget.addAndGet(now - was);
        }
    }

    /**
     * Fails blocked and later reads and writes with {@code e} (the first failure wins).
     *
     * @param e why: the transport failed, a dead link, the idle timeout
     */
    public void fail(IOException e) {
        fail(e, "io");
    }

    private void fail(IOException e, String kind) {
        lock.lock();
        try {
            failLocked(e, kind);
        } finally {
            lock.unlock();
        }
    }

    private void failLocked(IOException e, String kind) {
        if (failure == null) {
            failure = e;
            events.failed(kind, e);
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "kcp session " + Integer.toUnsignedString(kcp.conv()) + " failed: "
                        + e.getMessage());
            }
        }
        readable.signalAll();
        writable.signalAll();
        oob.wake();
    }

    private void throwIfUnusable() throws IOException {
        if (closed.get()) {
            throw new SocketException("Socket closed");
        }
        IOException f = failure;
        if (f != null) {
            throw new IOException(f.getMessage(), f);
        }
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads the next message (or the rest of one), blocking until data arrives, {@code deadline} passes, the session
     * fails or it is closed.
     *
     * @param dst      destination
     * @param off      first byte to fill
     * @param len      most bytes to read, &gt; 0
     * @param deadline on the context's clock, 0 for none
     * @return bytes read, &gt; 0
     * @throws IOException as {@code KcpSession.read}
     */
    public int read(byte[] dst, int off, int len, long deadline) throws IOException {
        int n;
        boolean announceWindow;
        lockInterruptibly();
        try {
            while ((n = readLocked(dst, off, len)) == 0) {
                throwIfUnusable();
                await(readable, deadline, "Read");
            }
            announceWindow = kcp.isWindowUpdatePending();
            rearmLocked(0);
            if (budget != null) {
                accountLocked();
            }
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
     * Reads into a direct buffer through a session-owned 64 KiB array (allocated on first use, one such reader at a
     * time).
     *
     * @param dst      a buffer without an accessible array
     * @param deadline on the context's clock, 0 for none
     * @return bytes read
     * @throws IOException as {@link #read(byte[], int, int, long)}
     */
    public int readDirect(ByteBuffer dst, long deadline) throws IOException {
        directReadLock.lock();
        try {
            if (directScratch == null) {
                directScratch = new byte[65536];
            }
            int n = read(directScratch, 0, Math.min(dst.remaining(), directScratch.length), deadline);
            dst.put(directScratch, 0, n);
            return n;
        } finally {
            directReadLock.unlock();
        }
    }

    /** Returns bytes copied, 0 if nothing is ready; caller holds the lock. */
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
                int n = kcp.recv(dst, off, len);
                return kcp.isStreamMode() ? n + recvMoreLocked(dst, off + n, len - n) : n;
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

    /**
     * Stream mode: appends the following in-order segments that fit whole into {@code dst[off, off+len)}, so that one
     * read takes what one lock hold can give instead of a single segment (kcp-go's Read returns one). Caller holds
     * the lock.
     */
    private int recvMoreLocked(byte[] dst, int off, int len) {
        int n = 0;
        int size;
        while ((size = kcp.peekSize()) > 0 && size <= len - n) {
            n += kcp.recv(dst, off + n, len - n);
        }
        return n;
    }

    /**
     * Returns how many bytes a read can return without blocking.
     *
     * @return the rest of a partly read message, else the next message's size, else 0
     */
    public int available() {
        lock.lock();
        try {
            return leftoverLen > 0 ? leftoverLen : Math.max(0, kcp.peekSize());
        } finally {
            lock.unlock();
        }
    }

    private void lockInterruptibly() throws InterruptedIOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the session lock");
        }
    }

    private void await(Condition c, long deadline, String what) throws IOException {
        try {
            if (!ctx.await(c, deadline)) {
                throw new SocketTimeoutException(what + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what.toLowerCase(java.util.Locale.ROOT) + " interrupted");
        }
    }

    // ------------------------------------------------------------------ write

    /**
     * Queues {@code src[off, off+len)} once the window has room (kcp-go {@code Write}), in mss-sized messages, and
     * flushes unless write delay is on and the window still has room.
     *
     * @param src      source
     * @param off      first byte
     * @param len      bytes
     * @param deadline on the context's clock, 0 for none
     * @throws IOException as {@code KcpSession.write}
     */
    public void write(byte[] src, int off, int len, long deadline) throws IOException {
        lockWriters();
        int pos = 0;
        try {
            do {
                int n;
                lockInterruptibly();
                try {
                    awaitWindow(deadline);
                    int mss = kcp.mss();
                    n = (int) Math.min(len - pos, (long) roomSegments() * mss);
                    for (int p = 0; p < n; p += mss) {
                        kcp.send(src, off + pos + p, Math.min(mss, n - p));
                    }
                    flushAfterWrite();
                    rearmLocked(kcp.intervalMs() * 1_000_000L);
                } finally {
                    lock.unlock();
                }
                pos += n;
                counters.add(SnmpField.BYTES_SENT, n);
                drainTx();
            } while (pos < len);
        } catch (InterruptedIOException e) {
            e.bytesTransferred = pos; // a timeout or interrupt after part of the write was queued says how much
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Segments a write may queue now: up to twice the send window in KCP's queue plus flight (issue 15's bounded
     * writes: a 200 MiB write no longer queues 200 MiB). Caller holds the lock and saw the window open.
     */
    private int roomSegments() {
        return Math.max(1, 2 * kcp.sndWnd() - kcp.waitSnd());
    }

    /** One writer at a time, so that a write split by the send budget stays contiguous in the stream. */
    private void lockWriters() throws InterruptedIOException {
        try {
            writeLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another writer");
        }
    }

    /**
     * Gathering write (kcp-go {@code WriteBuffers}): every buffer's remaining bytes as one accepted write.
     *
     * @param srcs     the buffers, or null to write {@code single}
     * @param offset   first buffer
     * @param length   number of buffers
     * @param single   the one buffer when {@code srcs} is null
     * @param deadline on the context's clock, 0 for none
     * @return bytes written
     * @throws IOException as {@code KcpSession.write}
     */
    public long write(ByteBuffer[] srcs, int offset, int length, ByteBuffer single, long deadline)
            throws IOException {
        long total = 0;
        lockWriters();
        try {
            int i = single != null ? 0 : offset;
            int end = single != null ? 1 : offset + length;
            do {
                long n = 0;
                lockInterruptibly();
                try {
                    awaitWindow(deadline);
                    long room = (long) roomSegments() * kcp.mss();
                    while (i < end && n < room) {
                        ByteBuffer b = single != null ? single : srcs[i];
                        n += sendBuffer(b, room - n);
                        if (!b.hasRemaining()) {
                            i++;
                        }
                    }
                    flushAfterWrite();
                    rearmLocked(kcp.intervalMs() * 1_000_000L);
                } finally {
                    lock.unlock();
                }
                total += n;
                counters.add(SnmpField.BYTES_SENT, n);
                drainTx();
            } while (i < end);
        } catch (InterruptedIOException e) {
            e.bytesTransferred = (int) Math.min(Integer.MAX_VALUE, total);
            throw e;
        } finally {
            writeLock.unlock();
        }
        return total;
    }

    private void awaitWindow(long deadline) throws IOException {
        while (true) {
            throwIfUnusable();
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
            kcp.flush(false, ctx.nowMs());
            syncKcpCounters();
        }
    }

    /** Queues up to {@code max} of {@code b}'s remaining bytes in mss-sized messages; caller holds the lock. */
    private long sendBuffer(ByteBuffer b, long max) {
        int mss = kcp.mss();
        long total = 0;
        while (b.hasRemaining() && total < max) {
            int n = (int) Math.min(Math.min(mss, b.remaining()), max - total);
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

    // ------------------------------------------------------------------ close and state

    /**
     * Closes the engine (idempotent): flushes once, wakes every blocked caller, sends what is queued, leaves the
     * updater and releases queued buffers.
     *
     * @return true for the call that closed it, false if it was already closed
     */
    public boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        lock.lock();
        try {
            if (!tickFailed) { // after a failed tick the Kcp (or the pipeline) may throw again
                kcp.flush(false, ctx.nowMs());
                syncKcpCounters();
            }
            readable.signalAll();
            writable.signalAll();
            oob.wake();
            if (budget != null) {
                accountLocked();
            }
        } finally {
            lock.unlock();
        }
        try {
            if (!tickFailed) {
                tx.drainBeforeClose();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "final flush of a closing kcp session failed", e);
        }
        tx.close();
        updater.cancel(task);
        return true;
    }

    /**
     * Makes a failed updater tick close the whole session through {@code sessionClose} (the facade's close, which
     * also leaves the listener and closes the transport) instead of only this engine.
     *
     * @param sessionClose the session's close
     */
    public void onTickFailure(Runnable sessionClose) {
        this.closer = java.util.Objects.requireNonNull(sessionClose, "sessionClose");
    }

    /**
     * Records the session's {@code kcp.SessionClosed} event with why it closed.
     *
     * @param listenerReason why its listener closed it, or null if it did not
     */
    public void closedEvent(String listenerReason) {
        events.closed(tickFailed() ? "updater" : listenerReason != null ? listenerReason
                : failure() != null ? "failed" : "application", failure());
    }

    /**
     * Connection migration: whether {@code d}, from a new address, fits this conversation ({@link MigrationRule}).
     *
     * @param d         the opened datagram
     * @param maxAgeMs  how old an echoed timestamp may be (the replay window)
     * @return true if the session may move to the datagram's source
     */
    public boolean continues(Demux d, long maxAgeMs) {
        lock.lock();
        try {
            return MigrationRule.continues(kcp, d, ctx.nowMs(), maxAgeMs);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the session's JFR events (the facade records opened, accepted and closed).
     *
     * @return the events
     */
    public SessionEvents events() {
        return events;
    }

    /**
     * Returns the first failure (dead link, idle timeout, transport, failed tick), or null.
     *
     * @return the failure or null
     */
    public IOException failure() {
        return failure;
    }

    /**
     * Returns true if an updater tick of this session threw (the session was then failed and closed).
     *
     * @return whether a tick failed
     */
    public boolean tickFailed() {
        return tickFailed;
    }

    /**
     * Returns true once {@link #close()} ran.
     *
     * @return whether closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Returns true if closed without an earlier failure (a stream then reports EOF).
     *
     * @return whether the session ended by {@link #close()} alone
     */
    public boolean closedCleanly() {
        return closed.get() && failure == null;
    }

    /** Wakes every blocked reader and writer so that they re-read their timeouts. */
    public void wakeAll() {
        lock.lock();
        try {
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads engine or KCP state under the lock (getters; not a hot path).
     *
     * @param read what to read
     * @return its value
     */
    public long underLock(LongSupplier read) {
        lock.lock();
        try {
            return read.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} under the lock (registration bookkeeping; not a hot path).
     *
     * @param action what to run
     * @param <T>    its result type
     * @return its result
     */
    public <T> T locked(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the receive path of a dialled session: datagrams from another address than {@code remote} are counted
     * in InErrs and dropped (kcp-go v5.6.59+), the rest is opened once by {@code demux} and fed in.
     *
     * @param demux opens datagrams with the session's receive sealer
     * @return the receiver to start the transport with
     */
    public DatagramTransport.Receiver clientReceiver(Demux demux) {
        return new DatagramTransport.Receiver() {
            @Override
            public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
                if (failure != null) {
                    return;
                }
                try {
                    if (!remote.equals(from)) {
                        counters.increment(SnmpField.IN_ERRS);
                    } else if (demux.open(buf, len)) {
                        input(demux);
                    }
                } catch (Error e) {
                    // Out of memory or another Error: fail the session loudly instead of leaving it deaf.
                    onReceiveFailed(new IOException("kcp session " + Integer.toUnsignedString(kcp.conv())
                            + " failed in its receive path: " + e, e));
                }
            }

            @Override
            public void onReceiveFailed(IOException e) {
                if (failure == null && !closed.get()) {
                    try {
                        LOG.log(System.Logger.Level.ERROR, "kcp session " + Integer.toUnsignedString(kcp.conv())
                                + " to " + remote + " stopped receiving; its blocked and later reads and writes fail "
                                + "with: " + e.getMessage(), e.getCause() != null ? e.getCause() : e);
                    } catch (Throwable ignored) {
                        // logging may fail too (out of memory); the failure is still delivered below
                    }
                }
                fail(e);
            }
        };
    }

    /**
     * Returns the KCP state machine; touch it only inside {@link #underLock} or {@link #reconfigure}.
     *
     * @return the session's Kcp
     */
    public Kcp kcp() {
        return kcp;
    }

    /**
     * Returns the session's out-of-band datagrams (kcp-go v5.6.72 OOB).
     *
     * @return the OOB side of this session
     */
    public OobChannel oob() {
        return oob;
    }

    /**
     * Returns how many bytes the pipeline adds to each datagram (crypto and FEC headers).
     *
     * @return the overhead in bytes
     */
    public int overheadBytes() {
        return pipeline.overheadBytes();
    }

    /**
     * Applies a knob change under the lock and wakes the session if it now has work.
     *
     * @param change the change
     */
    public void reconfigure(Runnable change) {
        lock.lock();
        try {
            change.run();
            rearmLocked(0);
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a tick now (a knob such as the window size changed what the peer should hear). */
    public void tickNow() {
        updater.schedule(task, updater.nowNanos());
    }

    /**
     * kcp-go {@code SetWriteDelay}.
     *
     * @param delay true: writes flush only when the window is full
     */
    public void setWriteDelay(boolean delay) {
        reconfigure(() -> writeDelay = delay);
    }

    /**
     * kcp-go {@code SetACKNoDelay}.
     *
     * @param noDelay true: flush ACKs on every input
     */
    public void setAckNoDelay(boolean noDelay) {
        reconfigure(() -> ackNoDelay = noDelay);
    }

    /**
     * kcp-go {@code SetDUP}.
     *
     * @param copies extra copies of every datagram
     */
    public void setDup(int copies) {
        reconfigure(() -> dup = copies);
    }

    /**
     * kcp-go {@code SetRateLimit}.
     *
     * @param bytesPerSec pacing rate, 0 = unlimited
     */
    public void setRateLimit(long bytesPerSec) {
        tx.setRateLimit(bytesPerSec, this::fail);
    }

    /**
     * Returns updater ticks run so far (tests: idle sessions are not ticked).
     *
     * @return ticks
     */
    public long ticks() {
        return underLock(() -> ticks);
    }

    /**
     * Returns how many times the session released its caches after an idle period.
     *
     * @return hibernations so far
     */
    public long hibernations() {
        return underLock(() -> hibernations);
    }
}
