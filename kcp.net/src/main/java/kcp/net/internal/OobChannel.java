package kcp.net.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import kcp.core.Kcp;
import kcp.fec.OobPacket;
import kcp.net.OobHandler;
import kcp.net.SnmpField;

/**
 * One session's out-of-band datagrams (kcp-go v5.6.72 {@code SendOOB}, {@code SetOOBHandler},
 * {@code GetOOBMaxSize}; {@code docs/oob.md}): unreliable, unordered, unacknowledged payloads that bypass KCP but
 * share the session's socket, FEC header layout and crypto.
 *
 * <pre>
 *  send     user thread --session lock--> PacketPipeline.sealOob (FEC header 0xF3, conv, payload, seal) --> TxQueue
 *                                                                         unlock --> TxQueue.drain --> transport
 *  receive  receive loop: Demux (opened, kind OOB) --> OobPacket.check --> handler (if set)
 *                                                                      else bounded queue --> receive()
 * </pre>
 *
 * <p>The receive side never takes the session lock: a handler runs on the receive loop, the queue has its own lock.
 * Bad input (any {@link OobPacket.Verdict} but OK, or OOB at a session without FEC) is dropped and counted in InErrs;
 * a full queue drops its oldest datagram, an embryonic listener session (not yet acceptable) every datagram, a throwing
 * handler its datagram, a send into a backlog of {@value #TX_BACKLOG} datagrams its own: all counted in
 * {@code OOBDrops}. Memory: at most {@code capacity} slots,
 * each as large as the largest payload it held (at most {@value #MAX_PAYLOAD} bytes), reused, released when the
 * session hibernates with an empty queue. No allocation per datagram in steady state. Thread-safe.
 */
public final class OobChannel {
    private static final System.Logger LOG = System.getLogger(OobChannel.class.getName());
    /** Largest payload a 1500-byte datagram can carry (kcp-go's receive buffer). */
    static final int MAX_PAYLOAD = 1500 - OobPacket.HEADER_SIZE;
    /** Datagrams waiting for the socket above which a send is dropped (kcp-go drops when its queue is full). */
    static final int TX_BACKLOG = 1024;
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    /** Throws if the session can no longer be used (closed: "Socket closed"; failed: its failure). */
    @FunctionalInterface
    public interface Guard {
        /**
         * Checks the session's state.
         *
         * @throws IOException if it is closed or failed
         */
        void throwIfUnusable() throws IOException;
    }

    private final ReentrantLock sessionLock;
    private final Kcp kcp;
    private final PacketPipeline pipeline;
    private final TxQueue tx;
    private final BufferPool pool;
    private final Counters counters;
    private final NetContext ctx;
    private final boolean fec;
    private final Guard guard;
    private final Runnable drain;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition nonEmpty = queueLock.newCondition();
    private final int capacity;
    private volatile OobHandler handler;
    /** A listener's session not yet handed to accept(): no application can read its queue yet. */
    private volatile boolean embryonic;
    // guarded by queueLock
    private byte[][] slots;
    private int[] lengths;
    private int head;
    private int count;
    // receive thread only
    private long handlerFailures;
    private long reportedFailures;
    private long lastReportNanos;

    /**
     * Creates the OOB side of a session.
     *
     * @param sessionLock the session's lock, which guards {@code kcp} and {@code pipeline}
     * @param kcp         the session's KCP (conv and current MTU)
     * @param pipeline    seals outgoing datagrams
     * @param tx          the session's send queue
     * @param pool        pooled datagram buffers
     * @param counters    the session's counters
     * @param ctx         clock for deadlines and log rate limiting
     * @param fec         true if the session has FEC on (OOB needs it)
     * @param capacity    received datagrams kept for {@link #receive} while no handler is set
     * @param guard       the session's closed/failed check
     * @param drain       sends what the send queue holds (called after the session lock is released)
     */
    public OobChannel(ReentrantLock sessionLock, Kcp kcp, PacketPipeline pipeline, TxQueue tx, BufferPool pool,
            Counters counters, NetContext ctx, boolean fec, int capacity, Guard guard, Runnable drain) {
        this.sessionLock = sessionLock;
        this.kcp = kcp;
        this.pipeline = pipeline;
        this.tx = tx;
        this.pool = pool;
        this.counters = counters;
        this.ctx = ctx;
        this.fec = fec;
        this.capacity = capacity;
        this.guard = guard;
        this.drain = drain;
    }

    private void requireFec(String what) {
        if (!fec) {
            throw new IllegalStateException(what + ": OOB requires FEC to be enabled (kcp-go's rule: the OOB packet "
                    + "is an FEC packet of type 0xF3); set SessionOptions.builder().fec(dataShards, parityShards) with "
                    + "both counts > 0, e.g. fec(10, 3), on both ends");
        }
    }

    // ------------------------------------------------------------------ send

    /**
     * Sends one OOB datagram now (kcp-go {@code SendOOB}); never blocks on the network.
     *
     * @param src  the payload's array, or null to take it from {@code bsrc}
     * @param off  first payload byte in {@code src}
     * @param bsrc the payload as a buffer's remaining bytes (consumed) when {@code src} is null
     * @param len  payload bytes
     * @throws IOException if the session is closed or failed
     */
    public void send(byte[] src, int off, ByteBuffer bsrc, int len) throws IOException {
        requireFec("sendOob");
        guard.throwIfUnusable();
        sessionLock.lock();
        try {
            int max = kcp.mtu() - OobPacket.CONV_SIZE;
            if (len > max) {
                throw new IllegalArgumentException("OOB payload too large: " + len + " bytes, oobMaxSize() is " + max
                        + " (the MTU less the crypto, FEC and conv headers); send it on the stream or raise the MTU");
            }
            if (tx.pending() >= TX_BACKLOG) {
                counters.increment(SnmpField.OOB_DROPS); // best effort, as kcp-go: a full send queue drops it
                if (src == null) {
                    bsrc.position(bsrc.position() + len);
                }
                return;
            }
            ByteBuffer bb = pool.acquire();
            bb.limit(pipeline.sealOob(bb.array(), kcp.conv(), src, off, bsrc, len));
            tx.add(bb);
        } finally {
            sessionLock.unlock();
        }
        drain.run();
    }

    /**
     * {@return the largest payload {@link #send} accepts (kcp-go {@code GetOOBMaxSize}): the KCP MTU less the 4-byte
     * conv, 0 without FEC}
     */
    public int maxSize() {
        if (!fec) {
            return 0;
        }
        sessionLock.lock();
        try {
            return kcp.mtu() - OobPacket.CONV_SIZE;
        } finally {
            sessionLock.unlock();
        }
    }

    // ------------------------------------------------------------------ receive (receive-loop thread)

    /**
     * Takes one opened OOB-typed datagram on the receive loop: checks it, then hands its payload to the handler or
     * the queue. Never throws for bad input or a failing handler.
     *
     * @param buf the opened datagram's buffer
     * @param off the FEC header's offset
     * @param len bytes from the FEC header to the end of the plaintext
     * @return true if the datagram was a well-formed OOB packet of this session
     */
    public boolean input(byte[] buf, int off, int len) {
        counters.increment(SnmpField.IN_PKTS);
        counters.add(SnmpField.IN_BYTES, len);
        if (!fec || OobPacket.check(buf, off, len, kcp.conv()) != OobPacket.Verdict.OK) {
            counters.increment(SnmpField.IN_ERRS);
            return false;
        }
        counters.increment(SnmpField.OOB_PACKETS);
        int p = off + OobPacket.HEADER_SIZE;
        int n = OobPacket.payloadLength(len);
        OobHandler h = handler;
        if (h != null) {
            deliver(h, buf, p, n);
        } else {
            enqueue(buf, p, n);
        }
        return true;
    }

    private void deliver(OobHandler h, byte[] buf, int off, int len) {
        try {
            h.onOob(buf, off, len);
        } catch (VirtualMachineError e) {
            throw e; // out of memory and the like: the receive path fails the session loudly
        } catch (Throwable t) {
            counters.increment(SnmpField.OOB_DROPS);
            handlerFailures++;
            long now = ctx.nanoTime();
            if (reportedFailures == 0 || now - lastReportNanos >= LOG_EVERY_NANOS) {
                long n = handlerFailures - reportedFailures;
                reportedFailures = handlerFailures;
                lastReportNanos = now;
                try {
                    LOG.log(System.Logger.Level.WARNING, "the OOB handler of kcp session "
                            + Integer.toUnsignedString(kcp.conv()) + " threw " + n + " time(s) since the last report "
                            + "(each datagram counted in OOBDrops; reported at most every 10 s)", t);
                } catch (Throwable ignored) {
                    // a failing logger must not stop the receive loop either
                }
            }
        }
    }

    private void enqueue(byte[] buf, int off, int len) {
        if (capacity == 0 || embryonic) {
            counters.increment(SnmpField.OOB_DROPS);
            return;
        }
        queueLock.lock();
        try {
            if (slots == null) {
                slots = new byte[capacity][];
                lengths = new int[capacity];
            }
            if (count == capacity) {
                head = (head + 1) % capacity; // drop the oldest: the newest datagram is the one worth having
                count--;
                counters.increment(SnmpField.OOB_DROPS);
            }
            int i = (head + count) % capacity;
            byte[] slot = slots[i];
            if (slot == null || slot.length < len) {
                slot = new byte[Math.max(len, 64)];
                slots[i] = slot;
            }
            System.arraycopy(buf, off, slot, 0, len);
            lengths[i] = len;
            count++;
            nonEmpty.signal();
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Takes the oldest queued payload, blocking until one arrives, {@code deadline} passes, or the session is
     * closed or fails with nothing queued. Copies what fits and discards the rest of the payload.
     *
     * @param dst      destination array, or null to fill {@code bdst}
     * @param off      first byte to fill in {@code dst}
     * @param len      room in {@code dst}
     * @param bdst     destination buffer when {@code dst} is null (its remaining space)
     * @param deadline on the context's clock, 0 for none
     * @return the payload's length (more than was copied if it did not fit)
     * @throws IOException as {@code KcpSession.receiveOob}
     */
    public int receive(byte[] dst, int off, int len, ByteBuffer bdst, long deadline) throws IOException {
        requireFec("receiveOob");
        try {
            queueLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("receiveOob interrupted");
        }
        try {
            while (count == 0) {
                guard.throwIfUnusable();
                try {
                    if (!ctx.await(nonEmpty, deadline)) {
                        throw new SocketTimeoutException("receiveOob timed out");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("receiveOob interrupted");
                }
            }
            int n = lengths[head];
            if (dst != null) {
                System.arraycopy(slots[head], 0, dst, off, Math.min(n, len));
            } else {
                bdst.put(slots[head], 0, Math.min(n, bdst.remaining()));
            }
            head = (head + 1) % capacity;
            count--;
            return n;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Sets or removes the handler (kcp-go {@code SetOOBHandler}); datagrams already queued stay for {@link #receive}.
     *
     * @param h the handler, or null to queue datagrams again
     */
    public void setHandler(OobHandler h) {
        requireFec("setOobHandler");
        handler = h;
    }

    /**
     * Marks a listener's session embryonic (its OOB datagrams are dropped and counted, not queued: no application
     * holds the session yet, and a stranger's embryonic sessions must not fill queues) or established.
     *
     * @param e true while the session has delivered no in-order data
     */
    public void setEmbryonic(boolean e) {
        embryonic = e;
    }

    /** {@return received payloads waiting for {@link #receive}} */
    public int queued() {
        queueLock.lock();
        try {
            return count;
        } finally {
            queueLock.unlock();
        }
    }

    /** Wakes blocked receivers so that they see a close or a failure. */
    public void wake() {
        queueLock.lock();
        try {
            nonEmpty.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Releases the slots of an empty queue (an idle session hibernates); the next datagram allocates again. */
    public void trim() {
        queueLock.lock();
        try {
            if (count == 0) {
                slots = null;
                lengths = null;
                head = 0;
            }
        } finally {
            queueLock.unlock();
        }
    }
}
