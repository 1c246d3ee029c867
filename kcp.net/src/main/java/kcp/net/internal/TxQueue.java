package kcp.net.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import kcp.net.DatagramTransport;
import kcp.net.SnmpField;

/**
 * A session's outgoing datagrams between the KCP output callback (which runs under the session lock and
 * only enqueues pooled buffers) and the socket (written by {@link #drain()} after the session lock is
 * released): kcp-go 5.6.1's {@code txqueue} + {@code uncork}. With a rate limit (kcp-go v5.6.35+
 * {@code SetRateLimit}) a per-queue virtual "pacer" thread sends instead, waiting on a token bucket
 * (burst {@value #BURST_BYTES} bytes) so that no shared thread ever sleeps for pacing. Unpaced, a drainer hands
 * up to {@value #BATCH} datagrams at a time to {@link DatagramTransport#sendAll}, so that a transport which can send
 * several with one system call (UDP segmentation offload in {@code UdpTransport}) gets whole runs.
 *
 * <p>Thread-safety: all methods may be called from any thread; one thread drains at a time (others return
 * at once and the active drainer picks their datagrams up). Buffer ownership: {@link #add} takes the
 * buffer; it returns to the pool after it is sent or discarded. No allocation in steady state.
 */
public final class TxQueue {
    /** Token-bucket burst: kcp-go's 64 x 1500 bytes. */
    public static final int BURST_BYTES = 96_000;

    private final DatagramTransport transport;
    private volatile InetSocketAddress target;
    private final BufferPool pool;
    private final Counters counters;
    private final ReentrantLock lock = new ReentrantLock();
    /** Ring slots of a new or trimmed queue; the ring doubles on demand. */
    private static final int MIN_RING = 8;
    /** How long {@link #drainBeforeClose()} waits for another thread's batch before it gives up. */
    private static final long CLOSE_WAIT_NANOS = 1_000_000_000L;
    /** Datagrams taken per lock acquisition by a drainer, and handed to the transport at once. */
    private static final int BATCH = 32;

    private ByteBuffer[] ring = new ByteBuffer[MIN_RING];
    private int head;
    private int count;
    private volatile int pending;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ByteBuffer[] batch = new ByteBuffer[BATCH];
    private volatile boolean closed;

    private volatile long rateBytesPerSec;
    private Thread pacer;
    private double tokens = BURST_BYTES;
    private long tokensAtNanos = System.nanoTime();

    /**
     * Creates an empty queue.
     *
     * @param transport where datagrams go
     * @param target   every datagram's destination
     * @param pool     where sent buffers go back
     * @param counters receives OutPkts/OutBytes
     */
    public TxQueue(DatagramTransport transport, InetSocketAddress target, BufferPool pool, Counters counters) {
        this.transport = transport;
        this.target = target;
        this.pool = pool;
        this.counters = counters;
    }

    /**
     * Sends every later datagram to {@code to} instead (a listener's connection migration moved the session).
     *
     * @param to the new destination
     */
    public void retarget(InetSocketAddress to) {
        target = to;
    }

    /**
     * Queues one datagram for {@link #drain()}.
     *
     * @param buf a pooled buffer holding one datagram in {@code [0, limit)}; ownership passes to the queue
     */
    public void add(ByteBuffer buf) {
        lock.lock();
        try {
            if (closed) {
                pool.release(buf);
                return;
            }
            if (count == ring.length) {
                grow();
            }
            ring[(head + count) & (ring.length - 1)] = buf;
            count++;
            pending = count;
        } finally {
            lock.unlock();
        }
    }

    private void grow() {
        ByteBuffer[] bigger = new ByteBuffer[ring.length * 2];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }

    /** Shrinks a grown, empty ring back to its initial size (idle sessions). */
    public void trim() {
        lock.lock();
        try {
            if (count == 0 && ring.length > MIN_RING) {
                ring = new ByteBuffer[MIN_RING];
                head = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@return datagrams waiting to be sent} */
    public int pending() {
        return pending;
    }

    /**
     * Sends everything queued (or wakes the pacer). Returns at once if another thread is draining.
     *
     * @throws IOException if the socket fails; the failed datagram is dropped
     */
    public void drain() throws IOException {
        Thread p = pacer;
        if (p != null) {
            LockSupport.unpark(p);
            return;
        }
        while (pending > 0 && draining.compareAndSet(false, true)) {
            try {
                int n;
                while ((n = takeBatch()) > 0) {
                    sendBatch(n, false);
                }
            } finally {
                draining.set(false);
            }
        }
    }

    /**
     * Sends everything queued before a close: like {@link #drain()}, but when another thread is sending a batch it
     * waits for that thread and then sends the rest itself, instead of returning and leaving the last datagrams of a
     * closing session to a drainer that {@link #close()} is about to stop. With a rate limit the pacer sends, as
     * in {@link #drain()}.
     *
     * @throws IOException if the socket fails; the failed datagram is dropped
     */
    public void drainBeforeClose() throws IOException {
        long giveUp = System.nanoTime() + CLOSE_WAIT_NANOS;
        drain();
        while (pacer == null && (pending > 0 || draining.get())) {
            if (System.nanoTime() - giveUp > 0) {
                return; // the other sender is stuck in its transport: close() drops the rest
            }
            Thread.yield(); // another thread is sending a batch of at most BATCH datagrams
            drain();
        }
    }

    private int takeBatch() {
        lock.lock();
        try {
            int n = Math.min(count, batch.length);
            for (int i = 0; i < n; i++) {
                batch[i] = ring[head];
                ring[head] = null;
                head = (head + 1) & (ring.length - 1);
            }
            count -= n;
            pending = count;
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Sends {@code batch[0, n)}; every buffer, sent or not, goes back to the pool under one lock at the end. */
    private void sendBatch(int n, boolean paced) throws IOException {
        try {
            if (!paced) {
                if (!closed) {
                    long bytes = 0;
                    for (int i = 0; i < n; i++) {
                        bytes += batch[i].limit();
                    }
                    try {
                        transport.sendAll(batch, n, target);
                        counters.add(SnmpField.OUT_PKTS, n);
                        counters.add(SnmpField.OUT_BYTES, bytes);
                    } catch (PortUnreachableException e) {
                        // A connected channel reports an ICMP error for an earlier datagram instead of sending
                        // these: they are lost like any datagram, and KCP resends them.
                        ReceiveLoop.countIcmpError();
                    }
                }
                return;
            }
            for (int i = 0; i < n; i++) {
                ByteBuffer b = batch[i];
                int len = b.limit();
                awaitTokens(len);
                if (!closed) {
                    try {
                        transport.send(b, target);
                        counters.increment(SnmpField.OUT_PKTS);
                        counters.add(SnmpField.OUT_BYTES, len);
                    } catch (PortUnreachableException e) {
                        ReceiveLoop.countIcmpError();
                    }
                }
            }
        } finally {
            pool.releaseAll(batch, n);
        }
    }

    /**
     * Sets pacing (kcp-go v5.6.35+ {@code SetRateLimit}); starts the pacer thread on first use.
     *
     * @param bytesPerSec rate, 0 = unlimited (datagrams are then sent by whoever drains)
     * @param onFailure   told when the pacer's send fails
     */
    public void setRateLimit(long bytesPerSec, java.util.function.Consumer<IOException> onFailure) {
        if (bytesPerSec < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0 bytes/s (0 = unlimited): " + bytesPerSec);
        }
        rateBytesPerSec = bytesPerSec;
        lock.lock();
        try {
            if (bytesPerSec > 0 && pacer == null && !closed) {
                pacer = Thread.ofVirtual().name("kcp-pacer").start(() -> pace(onFailure));
            }
        } finally {
            lock.unlock();
        }
    }

    private void pace(java.util.function.Consumer<IOException> onFailure) {
        while (!closed) {
            int n = takeBatch();
            if (n == 0) {
                LockSupport.park(this);
                continue;
            }
            try {
                sendBatch(n, rateBytesPerSec > 0);
            } catch (IOException e) {
                if (!closed) {
                    onFailure.accept(e);
                }
            }
        }
    }

    /**
     * Waits until the token bucket holds {@code len} bytes, then takes them. Parking may end early (every
     * drain() unparks the pacer), so the wait loops until the tokens are really there.
     */
    private void awaitTokens(int len) {
        while (!closed) {
            long rate = rateBytesPerSec;
            if (rate <= 0) {
                return;
            }
            long now = System.nanoTime();
            tokens = Math.min(BURST_BYTES, tokens + (now - tokensAtNanos) * (rate / 1e9));
            tokensAtNanos = now;
            if (tokens >= len) {
                tokens -= len;
                return;
            }
            LockSupport.parkNanos(this, (long) ((len - tokens) * 1e9 / rate) + 1);
        }
    }

    /** Drops everything queued (buffers go back to the pool) and stops the pacer. */
    public void close() {
        Thread p;
        lock.lock();
        try {
            closed = true;
            for (int i = 0; i < count; i++) {
                pool.release(ring[(head + i) & (ring.length - 1)]);
                ring[(head + i) & (ring.length - 1)] = null;
            }
            count = 0;
            pending = 0;
            p = pacer;
        } finally {
            lock.unlock();
        }
        if (p != null) {
            LockSupport.unpark(p);
        }
    }

    /** {@return true once {@link #close()} ran} */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "TxQueue[pending=" + pending + ", target=" + target + ", ring=" + ring.length + ", batch="
                + Arrays.stream(batch).filter(b -> b != null).count() + "]";
    }
}
