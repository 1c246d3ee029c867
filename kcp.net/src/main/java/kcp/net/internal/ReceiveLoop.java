package kcp.net.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import kcp.net.ReceiveThreadKind;

/**
 * One blocking receive loop per UDP socket (kcp-go's {@code readLoop} / {@code monitor}): receives each
 * datagram into one reusable 1500-byte buffer and hands it to a {@link Handler} on the loop's thread.
 * Datagrams longer than 1500 bytes are truncated by the OS, as in kcp-go, and then fail the CRC.
 *
 * <p>A loop on a virtual thread that may poll ({@link #start(DatagramChannel, Handler, ReceiveThreadKind, String,
 * boolean)}) keeps the channel in non-blocking mode while it polls: when the socket is empty, it polls again for up
 * to {@link #POLL_NANOS}, yielding its carrier between polls, and only then switches the channel to blocking mode
 * for one blocking receive, which parks it in the JDK's poller. A datagram that comes within that time is taken
 * without the poller's thread, whose wake-up is one more OS-level hand-off per datagram burst (docs/decisions.md,
 * "Virtual receive loops poll before they park"). The mode switch costs no system call once a virtual thread has
 * used the channel (the JDK keeps its socket non-blocking underneath). Senders must handle a send that took nothing
 * while the channel is non-blocking ({@code kcp.net.UdpTransport} retries it until the socket has room).
 *
 * <p>A loop on a platform thread over a channel its owner owns reads it with Linux's receive offload where this JVM
 * allows it ({@link UdpCoalescing}): one read takes a run of datagrams that one sender sent with one call, and the
 * loop hands them to the handler one by one, each in the same buffer, as if read one at a time.
 *
 * <p>Thread-safety: {@link #stop(boolean)} may be called from any thread. Handlers run on the loop thread only,
 * so per-socket state they touch needs no lock. Allocation: none per datagram in the loop itself (the JDK
 * may reuse the sender address object when it repeats).
 */
public final class ReceiveLoop {
    private static final System.Logger LOG = System.getLogger(ReceiveLoop.class.getName());
    private static final LongAdder HANDLER_FAILURES = new LongAdder();
    private static final LongAdder ICMP_ERRORS = new LongAdder();
    /** Handler failures can repeat once per datagram: logged once a minute at most, process-wide. */
    static final RateLimitedLog HANDLER_FAILURE_LOG = new RateLimitedLog(LOG, 60_000_000_000L, System::nanoTime);
    /**
     * How many datagrams the first loops of a JVM read with the JDK before they switch to receive offload: linking the
     * foreign function code and compiling the native read cost a fresh process 0.15-0.35 s of CPU, which a short
     * transfer does not earn back (docs/decisions.md, "UDP receive offload"). Loops that start once the code is
     * linked read with receive offload from the start.
     */
    static final long SWITCH_AFTER = 20_000;
    /** How long a polling loop polls an empty socket before it blocks: 50 us. */
    public static final long POLL_NANOS = 50_000L;

    /** Receives datagrams on the loop thread. */
    public interface Handler {
        /**
         * Handles one datagram.
         *
         * @param buf  the datagram at {@code [0, len)}; valid only during the call and may be modified in place
         * @param len  its length
         * @param from its sender
         */
        void onDatagram(byte[] buf, int len, InetSocketAddress from);

        /**
         * Reports that the loop ended while it was not being stopped; the handler fails what depends on it.
         *
         * @param e why: the socket was closed by someone else or failed, or the loop threw (the cause)
         */
        void onReceiveFailed(IOException e);
    }

    private final DatagramChannel channel;
    private final Handler handler;
    private final Thread thread;
    private final boolean poll;
    /**
     * The receive-offload reader of a platform loop on an owned channel, or null while the JDK reads the channel. Set
     * at the start in a JVM that has linked the foreign function code, else by the loop itself once it switches.
     */
    private volatile CoalescingReader reader;
    /**
     * How many datagrams this loop reads with the JDK before it switches to receive offload, in a JVM that has not
     * linked the foreign function code yet; 0 once it has switched or never will.
     */
    private long switchAfter;
    /** Datagrams read with the JDK, counted only while {@link #switchAfter} is set. */
    private long readByJdk;
    /** Datagrams that arrived coalesced with others (tests); written by the loop thread only. */
    private volatile long coalesced;
    private volatile boolean stopping;
    /** Whether a polling loop found the socket empty for {@link #POLL_NANOS} and blocks in a receive (tests). */
    private volatile boolean blocked;

    private ReceiveLoop(DatagramChannel channel, Handler handler, ReceiveThreadKind kind, String name,
            boolean mayPoll, boolean deferCoalescing) {
        this.channel = channel;
        this.handler = handler;
        this.poll = mayPoll && kind == ReceiveThreadKind.VIRTUAL;
        if (mayPoll && kind == ReceiveThreadKind.PLATFORM && UdpCoalescing.possible()) {
            if (UdpCoalescing.linked() && !deferCoalescing) {
                this.reader = UdpCoalescing.open(channel);
            } else {
                this.switchAfter = deferCoalescing ? 1 : SWITCH_AFTER;
            }
        }
        Thread.Builder builder = kind == ReceiveThreadKind.VIRTUAL ? Thread.ofVirtual().name(name)
                : Thread.ofPlatform().name(name).daemon(true);
        this.thread = builder.unstarted(this::run);
    }

    /**
     * Starts a receive loop. On a virtual thread and with {@code mayPoll}, it keeps the channel in non-blocking mode
     * while it polls an empty socket for {@link #POLL_NANOS} before it blocks; on a platform thread and with
     * {@code mayPoll}, it reads with receive offload where it can (see the class comment).
     *
     * @param channel a blocking, bound channel
     * @param handler receives every datagram
     * @param kind    platform or virtual thread
     * @param name    thread name, e.g. {@code "kcp-rx-4000"}
     * @param mayPoll whether the loop's owner owns the channel, so that the loop may make it non-blocking (its
     *                owner's senders handle that) or read it past the JDK
     * @return the started loop
     */
    public static ReceiveLoop start(DatagramChannel channel, Handler handler, ReceiveThreadKind kind, String name,
            boolean mayPoll) {
        ReceiveLoop loop = new ReceiveLoop(Objects.requireNonNull(channel, "channel"),
                Objects.requireNonNull(handler, "handler"), Objects.requireNonNull(kind, "kind"), name, mayPoll, false);
        loop.thread.start();
        return loop;
    }

    /**
     * Starts a platform loop on an owned channel that reads with the JDK until its first datagram and then switches to
     * receive offload, as the first loops of a JVM do after {@link #SWITCH_AFTER} datagrams (tests).
     */
    static ReceiveLoop startSwitchingAfterFirstDatagram(DatagramChannel channel, Handler handler, String name) {
        ReceiveLoop loop = new ReceiveLoop(channel, handler, ReceiveThreadKind.PLATFORM, name, true, true);
        loop.thread.start();
        return loop;
    }

    /**
     * Returns how many datagrams made a handler throw, process-wide (a bug indicator: bad input must be
     * counted and dropped, never thrown; tests assert this stays 0).
     *
     * @return handler exceptions caught by all receive loops
     */
    public static long handlerFailures() {
        return HANDLER_FAILURES.sum();
    }

    /**
     * Returns how many ICMP port-unreachable errors connected channels reported, process-wide, to receive loops
     * and send queues (each one is skipped: the session goes on).
     *
     * @return port-unreachable errors skipped
     */
    public static long icmpErrors() {
        return ICMP_ERRORS.sum();
    }

    /** Counts one port-unreachable error a send queue skipped. */
    static void countIcmpError() {
        ICMP_ERRORS.increment();
    }

    /** {@return the loop's thread} */
    public Thread thread() {
        return thread;
    }

    private void run() {
        if (reader != null) {
            runCoalescingThenClose();
            return;
        }
        ByteBuffer bb = ByteBuffer.allocate(BufferPool.BUFFER_SIZE);
        byte[] buf = bb.array();
        try {
            if (poll) {
                channel.configureBlocking(false);
            }
            while (!stopping) {
                bb.clear();
                SocketAddress from;
                try {
                    from = poll ? receivePolling(bb) : channel.receive(bb);
                } catch (PortUnreachableException e) {
                    // A connected channel reports an ICMP port-unreachable for an earlier datagram here. UDP has
                    // no connection to lose: the peer may be restarting or not up yet, and the ARQ's timeouts and
                    // dead link decide about the session (kcp-go ends its read loop on such errors).
                    ICMP_ERRORS.increment();
                    continue;
                }
                if (stopping) {
                    return;
                }
                if (from instanceof InetSocketAddress inet) {
                    deliver(buf, bb.position(), inet);
                }
                if (switchAfter > 0 && ++readByJdk >= switchAfter && UdpCoalescing.linkedOrStart()) {
                    switchAfter = 0;
                    if (switchToCoalescing()) {
                        return;
                    }
                }
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * Turns receive offload on for this loop's channel, now that it has read enough datagrams and the foreign function
     * code is linked, and reads with it until the loop ends. Only this thread reads the channel, so no datagram is read
     * the other way meanwhile. {@link #stop(boolean)} and this method each write their field before they read the
     * other's, so either the stopper sees the reader and wakes it or this loop sees it is stopping.
     *
     * @return false if the JDK goes on reading (the kernel refused, or the channel closed)
     */
    private boolean switchToCoalescing() {
        CoalescingReader r = channel.isOpen() && !stopping ? UdpCoalescing.open(channel) : null;
        if (r == null) {
            return false;
        }
        reader = r;
        runCoalescingThenClose();
        return true;
    }

    private void runCoalescingThenClose() {
        try {
            runCoalescing();
        } finally {
            reader.close();
        }
    }

    /**
     * The loop with receive offload: each read may hold a run of datagrams of one size from one sender (the last may
     * be shorter), which go to the handler one by one through one 1500-byte array, cut to 1500 bytes as the JDK's
     * reads cut them. {@link #stop(boolean)} wakes a blocked read through {@link CoalescingReader#wake()}.
     */
    private void runCoalescing() {
        CoalescingReader reader = this.reader;
        byte[] buf = new byte[BufferPool.BUFFER_SIZE];
        try {
            while (!stopping) {
                int n = reader.receive();
                if (stopping) {
                    return;
                }
                if (n < 0) {
                    ICMP_ERRORS.increment();   // as run() counts a connected channel's PortUnreachableException
                    continue;
                }
                if (!channel.isOpen()) {
                    // Closed under the loop by something other than stop(): the reader's own descriptor kept the
                    // socket readable, but the channel can no longer send.
                    throw new ClosedChannelException();
                }
                InetSocketAddress from = reader.sender();
                if (from == null) {
                    continue;
                }
                int size = reader.segmentSize();
                if (size <= 0 || size >= n) {
                    int len = Math.min(n, buf.length);
                    reader.copy(0, buf, len);
                    deliver(buf, len, from);
                    continue;
                }
                coalesced += (n + size - 1) / size;
                for (int at = 0; at < n && !stopping; at += size) {
                    int len = Math.min(Math.min(size, n - at), buf.length);
                    reader.copy(at, buf, len);
                    deliver(buf, len, from);
                }
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void deliver(byte[] buf, int len, InetSocketAddress from) {
        try {
            handler.onDatagram(buf, len, from);
        } catch (RuntimeException e) {
            // A handler bug must not kill the socket's only reader; it is counted, and logged at most once a minute
            // (it may fail for every datagram).
            HANDLER_FAILURES.increment();
            HANDLER_FAILURE_LOG.log(System.Logger.Level.ERROR, "kcp receive handler failed on " + thread.getName()
                    + "; datagram dropped (ReceiveLoop.handlerFailures() counts them)", e);
        }
    }

    /**
     * The loop ended on {@code t}: unless it is stopping, the handler fails what depends on it. An Error (out of
     * memory, ...) must not end the socket's only reader silently either: it becomes the cause.
     */
    private void failed(Throwable t) {
        if (stopping) {
            return;
        }
        handler.onReceiveFailed(t instanceof IOException io ? io
                : new IOException("kcp receive loop " + thread.getName() + " failed: " + t, t));
    }

    /**
     * Receives the next datagram: at once if one is queued, else by polling the non-blocking channel for up to
     * {@link #POLL_NANOS} with {@link Thread#yield()} between polls (other virtual threads run on the carrier), else
     * with one blocking receive, after which the channel is non-blocking again. Returns null once the loop is
     * stopping.
     */
    private SocketAddress receivePolling(ByteBuffer bb) throws IOException {
        SocketAddress from = channel.receive(bb);
        if (from != null) {
            return from;
        }
        long deadline = System.nanoTime() + POLL_NANOS;
        do {
            Thread.yield();
            from = channel.receive(bb);
        } while (from == null && !stopping && System.nanoTime() - deadline < 0);
        if (from != null || stopping) {
            return from;
        }
        channel.configureBlocking(true);
        blocked = true;
        try {
            return channel.receive(bb);
        } finally {
            blocked = false;
            if (channel.isOpen()) {
                channel.configureBlocking(false);
            }
        }
    }

    /**
     * Returns whether a polling loop is in a blocking receive now, its polls having found nothing (tests).
     *
     * @return true from the end of the polls until that receive returns
     */
    public boolean blockedInReceive() {
        return blocked;
    }

    /**
     * Returns whether this loop reads with receive offload ({@link UdpCoalescing}): from its start if the JVM had
     * linked the foreign function code by then, else once it has read {@link #SWITCH_AFTER} datagrams and the code is
     * linked.
     *
     * @return true for a platform loop on an owned channel, where this JVM and the kernel allow it
     */
    public boolean coalesces() {
        return reader != null;
    }

    /**
     * Returns how many datagrams this loop has read in runs of more than one (tests).
     *
     * @return datagrams that arrived coalesced
     */
    public long coalescedDatagrams() {
        return coalesced;
    }

    /**
     * Returns whether this loop polls its non-blocking channel before it waits.
     *
     * @return true for a virtual loop started with {@code mayPoll}
     */
    public boolean polls() {
        return poll;
    }

    /**
     * Makes the loop exit. If {@code closeChannel}, closes the channel (which unblocks the receive);
     * otherwise sends one empty datagram from the channel to itself to unblock it (an unconnected channel
     * we do not own must stay open). A connected, unowned channel's loop ends at its next datagram.
     *
     * @param closeChannel whether this loop's owner owns the channel
     */
    public void stop(boolean closeChannel) {
        stopping = true;
        CoalescingReader r = reader;
        if (r != null) {
            r.wake();
        }
        if (Thread.currentThread() == thread) {
            if (closeChannel) {
                closeQuietly(channel);
            }
            return;
        }
        if (closeChannel) {
            closeQuietly(channel);
            return;
        }
        try {
            if (!channel.isConnected() && channel.getLocalAddress() instanceof InetSocketAddress self) {
                InetAddress a = self.getAddress();
                if (a.isAnyLocalAddress()) {
                    a = a instanceof Inet6Address ? InetAddress.getByName("::1") : InetAddress.getLoopbackAddress();
                }
                UninterruptibleChannels.send(channel, ByteBuffer.allocate(0), new InetSocketAddress(a, self.getPort()));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not wake the receive loop; it ends at the next datagram", e);
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a UDP channel failed", e);
        }
    }
}
