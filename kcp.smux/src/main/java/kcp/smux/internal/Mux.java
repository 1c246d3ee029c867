package kcp.smux.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import kcp.smux.SmuxConfig;

/**
 * One smux session over a blocking byte channel: the implementation behind {@code kcp.smux.SmuxSession}.
 *
 * <pre>
 *  app threads --write--> stream.wsrc --+                        +--> stream ring --read--> app threads
 *                                       |                        |
 *  ctrl queue (SYN, UPD, FIN, NOP) --> writer (virtual thread) --channel--> reader (virtual thread)
 *  data queue (round robin, v2 window)  fills one 64 KiB buffer,           parses frames, copies PSH data,
 *                                       one channel write per fill         stops while the budget is spent
 * </pre>
 *
 * <p>Threads: one reader and one writer virtual thread per session; keepalive ticks come from a
 * {@link KeepAliveScheduler} (by default one virtual thread for the whole JVM). All state is guarded by one
 * {@link ReentrantLock}; channel reads and writes happen outside it.
 *
 * <p>Memory: received data waits in per-stream {@link ByteRing}s; the session-wide budget
 * ({@code maxReceiveBuffer}, smux's token bucket, in both versions) is charged per byte pushed and refunded per
 * byte read, and the reader reads no further frame while it is spent, so the underlying channel (KCP's window)
 * pushes back. Buffered data never exceeds the budget plus one frame plus the 64 KiB read buffer.
 */
public final class Mux {
    /** Streams the peer may open before the application accepts them (smux defaultAcceptBacklog). */
    public static final int DEFAULT_ACCEPT_BACKLOG = 1024;
    private static final int READ_BUFFER = 65536;
    private static final int WRITE_BUFFER = 65536 + 1024;
    private static final long CLOSE_FLUSH_NANOS = 1_000_000_000L;

    final ByteChannel channel;
    final SmuxConfig config;
    final int version;
    final boolean client;
    private final int acceptBacklog;

    final ReentrantLock lock = new ReentrantLock();
    private boolean writerParked;
    private final Condition acceptReady = lock.newCondition();
    private final Condition budgetFree = lock.newCondition();

    private final StreamMap streams = new StreamMap();
    private final ArrayDeque<MuxStream> acceptQueue = new ArrayDeque<>();
    private final ArrayDeque<MuxStream> ctrlQueue = new ArrayDeque<>();
    private final ArrayDeque<MuxStream> dataQueue = new ArrayDeque<>();
    private final ArrayList<MuxStream> flushedThisRound = new ArrayList<>();
    final ByteRing.Spares spares;

    private long bucket;
    private long nextId;
    private boolean nopPending;
    private boolean closed;
    private boolean flushOnClose;
    private String closeReason;
    private long fillRound;
    private final AtomicBoolean active = new AtomicBoolean();

    private long maxPeerId; // highest stream id the peer has opened (SYN seen), unsigned
    private long unknownStreamFrames;
    private long droppedBytes;
    private long duplicateSyns;
    private long refusedStreams;

    private final ByteBuffer rbuf = ByteBuffer.allocate(READ_BUFFER).flip();
    private final ByteBuffer wbuf = ByteBuffer.allocate(WRITE_BUFFER);
    private final Thread reader;
    private final Thread writer;
    private final Runnable cancelPing;
    private final Runnable cancelTimeout;

    /**
     * Starts a session: its reader and writer threads and, unless disabled, its keepalive.
     *
     * @param channel a blocking channel carrying the smux byte stream; the session owns it and closes it
     * @param config validated settings
     * @param client true for the side whose stream ids are odd (smux {@code Client})
     * @param keepAlive where keepalive ticks run
     * @param acceptBacklog streams the peer may open before they are accepted; more are refused with a FIN
     */
    public Mux(ByteChannel channel, SmuxConfig config, boolean client, KeepAliveScheduler keepAlive,
            int acceptBacklog) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.config = Objects.requireNonNull(config, "config");
        this.version = config.version();
        this.client = client;
        this.acceptBacklog = acceptBacklog;
        this.bucket = config.maxReceiveBuffer();
        this.nextId = client ? 1 : 0;
        this.spares = new ByteRing.Spares(Math.max(256 * 1024, 2L * config.maxStreamBuffer()));
        String side = client ? "client" : "server";
        this.reader = Thread.ofVirtual().name("kcp-smux-reader-" + side).unstarted(this::readLoop);
        this.writer = Thread.ofVirtual().name("kcp-smux-writer-" + side).unstarted(this::writeLoop);
        if (config.keepAliveDisabled()) {
            cancelPing = () -> { };
            cancelTimeout = () -> { };
        } else {
            cancelPing = keepAlive.every(config.keepAliveInterval(), this::ping);
            cancelTimeout = keepAlive.every(config.keepAliveTimeout(), this::checkAlive);
        }
        reader.start();
        writer.start();
    }

    // ------------------------------------------------------------------ streams

    /**
     * Opens a stream: allocates the next id of this side's parity and queues its SYN.
     *
     * @return the new stream
     * @throws IOException if the session is closed or its ids are exhausted
     */
    public MuxStream open() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            if (nextId + 2 > 0xFFFF_FFFFL) {
                throw new IOException("smux stream ids are exhausted (smux ErrGoAway): open a new session");
            }
            nextId += 2;
            MuxStream s = new MuxStream(this, (int) nextId);
            streams.put(s.id, s);
            s.synPending = true;
            queueControl(s);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a stream the peer opened.
     *
     * @param timeoutNanos 0 to wait without limit
     * @return the stream
     * @throws SocketTimeoutException if the timeout passes first
     * @throws IOException if the session closes (the message says why)
     */
    public MuxStream accept(long timeoutNanos) throws IOException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        lockInterruptibly();
        try {
            while (true) {
                // streams that arrived before the peer went away stay acceptable, with their data and FIN
                MuxStream s = acceptQueue.pollFirst();
                if (s != null) {
                    return s;
                }
                if (closed) {
                    throw closedException();
                }
                await(acceptReady, deadline, "acceptStream");
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return streams in the session (0 once closed) */
    public int numStreams() {
        lock.lock();
        try {
            return closed ? 0 : streams.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return true once the session is closed */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** @return why the session closed, or null while it is open */
    public String closeReason() {
        lock.lock();
        try {
            return closeReason;
        } finally {
            lock.unlock();
        }
    }

    /** @return {unknownStreamFrames, droppedBytes, duplicateSyns, refusedStreams} */
    public long[] counters() {
        lock.lock();
        try {
            return new long[] {unknownStreamFrames, droppedBytes, duplicateSyns, refusedStreams};
        } finally {
            lock.unlock();
        }
    }

    /** @return bytes of receive budget left (negative while the reader waits) */
    public long budget() {
        lock.lock();
        try {
            return bucket;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the session by request: flushes queued control frames (FINs) for up to a second, then closes. */
    public void close() {
        fail("closed by close()", true);
    }

    // ------------------------------------------------------------------ called by streams, lock held

    IOException closedException() {
        return new IOException("smux session closed: " + closeReason);
    }

    boolean closedLocked() {
        return closed;
    }

    void queueControl(MuxStream s) {
        if (!s.ctrlQueued) {
            s.ctrlQueued = true;
            ctrlQueue.addLast(s);
            signalWriter();
        }
    }

    void queueData(MuxStream s) {
        if (!s.inDataQueue) {
            s.inDataQueue = true;
            dataQueue.addLast(s);
            signalWriter();
        }
    }

    void unqueueData(MuxStream s) {
        if (s.inDataQueue) {
            s.inDataQueue = false;
            dataQueue.remove(s);
        }
    }

    /** The application read {@code n} bytes of {@code s}: refund the budget, maybe queue a v2 window update. */
    void consumed(MuxStream s, int n) {
        long before = bucket;
        bucket += n;
        if (before <= 0 && bucket > 0) {
            budgetFree.signal();
        }
        if (version == 2) {
            s.numRead += n;
            s.incr += n;
            // smux tryReadV2: after half the stream buffer, or on the very first read
            if (Integer.compareUnsigned(s.incr, config.maxStreamBuffer() / 2) >= 0 || s.numRead == n) {
                s.updConsumed = s.numRead;
                s.updPending = true;
                s.incr = 0;
                queueControl(s);
            }
        }
    }

    /** A stream closed locally: forget it and refund what it still buffered. */
    void forget(MuxStream s, int dropped) {
        streams.remove(s.id, s);
        if (dropped > 0) {
            long before = bucket;
            bucket += dropped;
            if (before <= 0 && bucket > 0) {
                budgetFree.signal();
            }
        }
    }

    /** Wakes the writer thread if it sleeps (lock held). */
    private void signalWriter() {
        if (writerParked) {
            LockSupport.unpark(writer);
        }
    }

    /**
     * Parks the caller with the lock released until it is unparked, the deadline passes or it is interrupted;
     * callers re-check their condition. Unlike {@link Condition#await()} this allocates nothing (the JDK's
     * condition queue allocates a node per wait), which keeps the per-frame path at 0 B. The lock must be held
     * exactly once.
     */
    void park(long deadline, String what) throws IOException {
        long left = 0;
        if (deadline != 0) {
            left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException(what + " timed out");
            }
        }
        lock.unlock();
        try {
            if (deadline == 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, left);
            }
        } finally {
            lock.lock();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(what + " interrupted");
        }
    }

    long await(Condition c, long deadline, String what) throws IOException {
        try {
            if (deadline == 0) {
                c.await();
                return 0;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException(what + " timed out");
            }
            return c.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + " interrupted");
        }
    }

    void lockInterruptibly() throws InterruptedIOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the smux session lock");
        }
    }

    // ------------------------------------------------------------------ close

    /**
     * Closes the session once with {@code reason}: wakes every waiter (they fail with the reason), stops
     * keepalive, lets the writer flush queued control frames if {@code flush}, then closes the channel.
     */
    void fail(String reason, boolean flush) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeReason = reason;
            flushOnClose = flush;
            streams.forEach(MuxStream::sessionClosedLocked);
            if (flush) {
                acceptQueue.clear();
            }
            acceptReady.signalAll();
            budgetFree.signalAll();
            signalWriter();
        } finally {
            lock.unlock();
        }
        cancelPing.run();
        cancelTimeout.run();
        if (flush && Thread.currentThread() != writer) {
            try {
                writer.join(Duration.ofNanos(CLOSE_FLUSH_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------ keepalive

    private void ping() {
        lock.lock();
        try {
            if (!closed) {
                nopPending = true;
                signalWriter();
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkAlive() {
        if (active.compareAndSet(true, false)) {
            return;
        }
        lock.lock();
        boolean dead;
        try {
            // smux: a reader that waits for budget hears nothing by choice; do not time it out
            dead = !closed && bucket > 0;
        } finally {
            lock.unlock();
        }
        if (dead) {
            String why = "keepalive timeout: nothing received from the peer for "
                    + config.keepAliveTimeout().toMillis() + " ms";
            Thread.ofVirtual().name("kcp-smux-close").start(() -> fail(why, false));
        }
    }

    // ------------------------------------------------------------------ reader

    private void readLoop() {
        try {
            while (awaitBudget()) {
                if (!need(Frames.HEADER_SIZE)) {
                    fail(rbuf.hasRemaining() ? "truncated frame header: the underlying channel ended after "
                            + rbuf.remaining() + " of 8 bytes" : "the underlying channel reached end of stream",
                            false);
                    return;
                }
                int p = rbuf.position();
                int ver = Frames.version(rbuf, p);
                int cmd = Frames.cmd(rbuf, p);
                int len = Frames.length(rbuf, p);
                int sid = Frames.streamId(rbuf, p);
                rbuf.position(p + Frames.HEADER_SIZE);
                active.set(true);
                String violation = Frames.violation(version, ver, cmd, len);
                if (violation != null) {
                    fail(violation, false);
                    return;
                }
                switch (cmd) {
                    case Frames.SYN -> onSyn(sid);
                    case Frames.FIN -> onFin(sid);
                    case Frames.PSH -> {
                        if (!onPsh(sid, len)) {
                            return;
                        }
                    }
                    case Frames.UPD -> {
                        if (!need(Frames.UPD_SIZE)) {
                            fail("truncated frame: UPD length 8 past the end of the underlying channel ("
                                    + rbuf.remaining() + " bytes left)", false);
                            return;
                        }
                        int q = rbuf.position();
                        int consumed = Frames.getIntLe(rbuf, q);
                        int window = Frames.getIntLe(rbuf, q + 4);
                        rbuf.position(q + Frames.UPD_SIZE);
                        if (!onUpd(sid, consumed, window)) {
                            return;
                        }
                    }
                    default -> {
                        // NOP: activity only
                    }
                }
            }
        } catch (IOException e) {
            fail("reading the underlying channel failed: " + e, false);
        } catch (RuntimeException e) {
            fail("reader failed: " + e, false);
            throw e;
        }
    }

    /** Waits while the budget is spent; false once closed. */
    private boolean awaitBudget() {
        lock.lock();
        try {
            while (bucket <= 0 && !closed) {
                budgetFree.awaitUninterruptibly();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Reads until {@code n} bytes are buffered; false at end of stream. */
    private boolean need(int n) throws IOException {
        while (rbuf.remaining() < n) {
            if (!readMore()) {
                return false;
            }
        }
        return true;
    }

    private boolean readMore() throws IOException {
        rbuf.compact();
        int n;
        try {
            do {
                n = channel.read(rbuf);
                if (n == 0) {
                    Thread.yield();
                }
            } while (n == 0);
        } finally {
            rbuf.flip();
        }
        return n > 0;
    }

    private void onSyn(int sid) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if ((sid & 1) == (client ? 1 : 0) || sid == 0) {
                lock.unlock();
                try {
                    fail("invalid protocol: SYN for stream id " + Integer.toUnsignedString(sid) + " from the "
                            + (client ? "server" : "client") + ", whose ids are " + (client ? "even" : "odd")
                            + " and not 0", false);
                } finally {
                    lock.lock();
                }
                return;
            }
            maxPeerId = Math.max(maxPeerId, Integer.toUnsignedLong(sid));
            if (streams.get(sid) != null) {
                duplicateSyns++;
                return;
            }
            MuxStream s = new MuxStream(this, sid);
            if (acceptQueue.size() >= acceptBacklog) {
                // refuse like a full TCP backlog: the peer's stream reads EOF instead of hanging
                refusedStreams++;
                s.closedLocally = true;
                s.finPending = true;
                queueControl(s);
                return;
            }
            streams.put(sid, s);
            acceptQueue.addLast(s);
            acceptReady.signal();
        } finally {
            lock.unlock();
        }
    }

    private void onFin(int sid) {
        lock.lock();
        try {
            MuxStream s = streams.get(sid);
            if (s == null) {
                countMissing(sid);
                return;
            }
            s.finReceivedLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts a frame for a stream not in the map, unless the stream existed and was closed here (then the
     * frame is a normal late arrival, like the peer's FIN answering ours). Lock held.
     */
    private void countMissing(int sid) {
        long id = Integer.toUnsignedLong(sid);
        boolean ours = (sid & 1) == (client ? 1 : 0);
        boolean existed = ours ? id <= nextId && id != 0 : id <= maxPeerId && id != 0;
        if (!existed) {
            unknownStreamFrames++;
        }
    }

    private boolean onUpd(int sid, int consumed, int window) {
        String violation = null;
        lock.lock();
        try {
            MuxStream s = streams.get(sid);
            if (s == null) {
                countMissing(sid);
                return true;
            }
            if (s.numWritten - consumed < 0) {
                violation = "invalid protocol: UPD for stream " + Integer.toUnsignedString(sid)
                        + " says the peer consumed " + Integer.toUnsignedString(consumed) + " bytes, more than the "
                        + Integer.toUnsignedString(s.numWritten) + " sent (smux ErrConsumed)";
            } else {
                s.peerConsumed = consumed;
                s.peerWindow = window;
                if (s.windowBlocked && s.window() > 0) {
                    s.windowBlocked = false;
                    queueData(s);
                }
            }
        } finally {
            lock.unlock();
        }
        if (violation != null) {
            fail(violation, false);
            return false;
        }
        return true;
    }

    private boolean onPsh(int sid, int len) throws IOException {
        if (len == 0) {
            return true;
        }
        MuxStream s;
        lock.lock();
        try {
            s = streams.get(sid);
            if (s == null) {
                countMissing(sid);
            }
        } finally {
            lock.unlock();
        }
        int remaining = len;
        while (remaining > 0) {
            if (!rbuf.hasRemaining() && !readMore()) {
                fail("truncated frame: PSH length " + len + " past the end of the underlying channel (ended after "
                        + (len - remaining) + " bytes)", false);
                return false;
            }
            int n = Math.min(remaining, rbuf.remaining());
            lock.lock();
            try {
                if (s != null && !s.closedLocally && !closed) {
                    s.ring.write(rbuf, n, spares);
                    bucket -= n;
                    s.wakeReaders();
                } else {
                    droppedBytes += n;
                    rbuf.position(rbuf.position() + n);
                }
            } finally {
                lock.unlock();
            }
            remaining -= n;
        }
        return true;
    }

    // ------------------------------------------------------------------ writer

    private void writeLoop() {
        boolean last = false;
        try {
            while (!last) {
                lock.lock();
                try {
                    while (!closed && !nopPending && ctrlQueue.isEmpty() && dataQueue.isEmpty()) {
                        writerParked = true;
                        lock.unlock();
                        try {
                            LockSupport.park(this);
                        } finally {
                            lock.lock();
                            writerParked = false;
                        }
                    }
                    if (closed) {
                        if (!flushOnClose) {
                            return;
                        }
                        last = true;
                    }
                    fill(last);
                } finally {
                    lock.unlock();
                }
                wbuf.flip();
                while (wbuf.hasRemaining()) {
                    channel.write(wbuf);
                }
                lock.lock();
                try {
                    for (int i = 0; i < flushedThisRound.size(); i++) {
                        flushedThisRound.get(i).wakeWriters();
                    }
                    flushedThisRound.clear();
                    fillRound++;
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            fail("writing the underlying channel failed: " + e, false);
        } catch (RuntimeException e) {
            fail("writer failed: " + e, false);
            throw e;
        }
    }

    /** @return rounds whose bytes are in the channel: a stream's write is done once its round is below this */
    long flushedRounds() {
        return fillRound;
    }

    private void fill(boolean controlOnly) {
        ByteBuffer b = wbuf;
        b.clear();
        if (nopPending) {
            nopPending = false;
            Frames.putHeader(b, version, Frames.NOP, 0, 0);
        }
        while (!ctrlQueue.isEmpty() && b.remaining() >= 32) {
            MuxStream s = ctrlQueue.pollFirst();
            s.ctrlQueued = false;
            if (s.synPending) {
                s.synPending = false;
                Frames.putHeader(b, version, Frames.SYN, 0, s.id);
            }
            if (s.updPending) {
                s.updPending = false;
                if (!s.finPending && !s.closedLocally) {
                    Frames.putUpd(b, version, s.id, s.updConsumed, config.maxStreamBuffer());
                }
            }
            if (s.finPending) {
                s.finPending = false;
                Frames.putHeader(b, version, Frames.FIN, 0, s.id);
            }
        }
        if (controlOnly) {
            return;
        }
        int maxFrame = config.maxFrameSize();
        while (!dataQueue.isEmpty()) {
            MuxStream s = dataQueue.peekFirst();
            ByteBuffer src = s.wsrc;
            int f = Math.min(src.remaining(), maxFrame);
            if (version == 2) {
                int win = s.window();
                if (win <= 0) {
                    dataQueue.pollFirst();
                    s.inDataQueue = false;
                    s.windowBlocked = true;
                    s.windowWaits++;
                    continue;
                }
                f = Math.min(f, win);
            }
            if (b.remaining() < Frames.HEADER_SIZE + f) {
                break;
            }
            Frames.putHeader(b, version, Frames.PSH, f, s.id);
            int at = b.position();
            b.put(at, src, src.position(), f);
            b.position(at + f);
            src.position(src.position() + f);
            s.numWritten += f;
            dataQueue.pollFirst();
            if (src.hasRemaining()) {
                dataQueue.addLast(s);
            } else {
                s.inDataQueue = false;
                s.wsrc = null;
                s.doneRound = fillRound;
                flushedThisRound.add(s);
            }
        }
    }
}
