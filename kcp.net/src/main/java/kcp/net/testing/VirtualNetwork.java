package kcp.net.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

import kcp.core.testing.LossyLink;
import kcp.core.testing.VirtualClock;
import kcp.net.DatagramTransport;
import kcp.net.KcpContext;
import kcp.net.ReceiveThreadKind;

/**
 * An in-memory datagram network in virtual time: {@link #endpoint endpoints} ({@link DatagramTransport}s with an
 * address each) joined by one {@link LossyLink} per direction, and a {@link KcpContext#manual(long) manual context}
 * whose clock is this network's {@link VirtualClock}. {@link #advance(int)} moves time event by event: it delivers
 * every datagram that is due, on the caller's thread, and runs every session tick that is due. Sessions and
 * listeners made with {@link #context()} over these endpoints therefore run deterministically: the same seed and the
 * same calls give the same datagrams at the same virtual times.
 *
 * <pre>{@code
 * VirtualNetwork net = new VirtualNetwork(42);
 * InetSocketAddress a = VirtualNetwork.address(1), b = VirtualNetwork.address(2);
 * net.link(a, b, 10, 20, 40, 5, true); // 10% loss, 20..40 ms delay, 5% duplicates, reordering
 * KcpListener server = Kcps.serve(net.endpoint(b), options, net.context());
 * KcpSession client = Kcps.dial(net.endpoint(a), b, 1, options, net.context());
 * client.write(data);
 * net.runUntil(() -> server.sessionCount() == 1, 1_000);
 * }</pre>
 *
 * <p>Thread-safe: endpoints may send from any thread (a blocked writer that wakes up sends from its own thread);
 * deliveries and ticks run on the thread that calls {@link #advance}. Datagrams to an address with no open endpoint
 * are dropped, as UDP would. Links are lossless with a 1 ms delay unless {@link #link} says otherwise.
 */
public final class VirtualNetwork {
    /** Virtual nanoseconds at millisecond 0 of the clock (far from 0, so no deadline computes to 0). */
    private static final long EPOCH_NANOS = 1_000_000_000_000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final long seed;
    private final VirtualClock clock = new VirtualClock(0);
    private final KcpContext context = KcpContext.manual(EPOCH_NANOS);
    private final Map<InetSocketAddress, Endpoint> endpoints = new HashMap<>();
    /** Links in creation order, so that datagrams due at the same millisecond are delivered in a fixed order. */
    private final Map<List<InetSocketAddress>, LossyLink> links = new LinkedHashMap<>();
    private final List<Delivery> due = new ArrayList<>();
    private int linkCount;

    /** A datagram taken off a link, to be delivered outside the network's lock. */
    private record Delivery(Endpoint to, byte[] data, InetSocketAddress from) {
    }

    /**
     * Creates an empty network at virtual time 0.
     *
     * @param seed the seed of every link's randomness (link i gets {@code seed + i}); print it when a test fails
     */
    public VirtualNetwork(long seed) {
        this.seed = seed;
    }

    /**
     * Returns the address {@code 10.0.0.n:4000}, for naming endpoints.
     *
     * @param n the host number, 1..254
     * @return the address (nothing is resolved or bound)
     */
    public static InetSocketAddress address(int n) {
        if (n < 1 || n > 254) {
            throw new IllegalArgumentException("host number must be in [1, 254]: " + n);
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) n}), 4000);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns the manual context whose clock this network moves; give it to every session and listener on it.
     *
     * @return the network's context
     */
    public KcpContext context() {
        return context;
    }

    /**
     * Returns the current virtual time in milliseconds since the network was created.
     *
     * @return the clock
     */
    public int nowMs() {
        lock.lock();
        try {
            return clock.nowMs();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates the endpoint at {@code address}; closing it frees the address for a new endpoint.
     *
     * @param address the endpoint's address (any, for example {@link #address(int)})
     * @return the transport, not yet started
     * @throws IllegalStateException if an open endpoint already has that address
     */
    public DatagramTransport endpoint(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        lock.lock();
        try {
            if (endpoints.containsKey(address)) {
                throw new IllegalStateException("an endpoint already has address " + address);
            }
            Endpoint e = new Endpoint(address);
            endpoints.put(address, e);
            return e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the links between {@code a} and {@code b}, both directions alike, each with its own seeded randomness.
     *
     * @param a          one endpoint's address
     * @param b          the other's
     * @param lossPct    percent of datagrams lost, 0..100
     * @param delayMinMs shortest one-way delay
     * @param delayMaxMs longest one-way delay
     * @param dupPct     percent of datagrams delivered twice, 0..100
     * @param reorder    true: a later datagram may overtake an earlier one (otherwise first in, first out)
     */
    public void link(InetSocketAddress a, InetSocketAddress b, int lossPct, int delayMinMs, int delayMaxMs,
            int dupPct, boolean reorder) {
        lock.lock();
        try {
            links.put(List.of(a, b), new LossyLink(seed + linkCount++, lossPct, delayMinMs, delayMaxMs, dupPct,
                    reorder, 1 << 16));
            links.put(List.of(b, a), new LossyLink(seed + linkCount++, lossPct, delayMinMs, delayMaxMs, dupPct,
                    reorder, 1 << 16));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the link from {@code from} to {@code to} (created lossless with a 1 ms delay on first use), for its
     * counts.
     *
     * @param from the sender's address
     * @param to   the receiver's address
     * @return the link
     */
    public LossyLink linkFrom(InetSocketAddress from, InetSocketAddress to) {
        lock.lock();
        try {
            return links.computeIfAbsent(List.of(from, to), k -> LossyLink.perfect(1));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves virtual time forward by {@code ms}, stopping at every moment a datagram is due or a session tick is due
     * to deliver and run them.
     *
     * @param ms how far, 0 or more
     */
    public void advance(int ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("ms must be >= 0: " + ms);
        }
        int target = nowMs() + ms;
        while (step(target)) {
            // one event at a time
        }
    }

    /**
     * Advances event by event until {@code condition} holds or {@code maxMs} of virtual time have passed.
     *
     * @param condition checked before each step, on the caller's thread
     * @param maxMs     the most virtual time to spend
     * @return true if the condition held
     */
    public boolean runUntil(BooleanSupplier condition, int maxMs) {
        int target = nowMs() + maxMs;
        while (!condition.getAsBoolean()) {
            if (!step(target)) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /**
     * Moves to the next event no later than {@code targetMs} (or to {@code targetMs} itself), delivers the datagrams
     * due and runs the ticks due.
     *
     * @return false once the clock stands at {@code targetMs} with nothing left due
     */
    private boolean step(int targetMs) {
        lock.lock();
        int now;
        try {
            now = clock.nowMs();
            int next = targetMs;
            for (LossyLink l : links.values()) {
                if (l.hasPending() && l.nextDeliveryMs() - next < 0) {
                    next = l.nextDeliveryMs();
                }
            }
            long tick = context.nextDeadlineNanos();
            if (tick != Long.MAX_VALUE) {
                int tickMs = (int) Math.ceilDiv(tick - EPOCH_NANOS, 1_000_000L);
                if (tickMs - next < 0) {
                    next = tickMs;
                }
            }
            if (next - now > 0) {
                clock.advanceTo(next);
                now = next;
            }
            context.advanceTo(EPOCH_NANOS + now * 1_000_000L);
            for (Map.Entry<List<InetSocketAddress>, LossyLink> e : links.entrySet()) {
                byte[] d;
                while ((d = e.getValue().poll(now)) != null) {
                    Endpoint to = endpoints.get(e.getKey().get(1));
                    if (to != null) {
                        due.add(new Delivery(to, d, e.getKey().get(0)));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        boolean worked = !due.isEmpty();
        for (int i = 0; i < due.size(); i++) {
            Delivery d = due.get(i);
            d.to.deliver(d.data, d.from);
        }
        due.clear();
        worked |= context.runDue() > 0;
        return worked || now - targetMs < 0;
    }

    /** One address on the network. */
    private final class Endpoint implements DatagramTransport {
        private final InetSocketAddress address;
        private volatile Receiver receiver;
        private volatile boolean closed;
        private byte[] scratch = new byte[1500];

        Endpoint(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public void start(Receiver r, ReceiveThreadKind threadKind) {
            Objects.requireNonNull(r, "receiver");
            if (receiver != null || closed) {
                throw new IllegalStateException("an endpoint delivers to one receiver, once: " + address);
            }
            receiver = r;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            if (closed) {
                throw new java.nio.channels.ClosedChannelException();
            }
            int len = datagram.remaining();
            lock.lock();
            try {
                datagram.get(scratch, 0, len);
                linkFrom(address, to).send(scratch, len, clock.nowMs());
            } finally {
                lock.unlock();
            }
        }

        void deliver(byte[] data, InetSocketAddress from) {
            Receiver r = receiver;
            if (r != null && !closed) {
                r.onDatagram(data, data.length, from);
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!closed) {
                    closed = true;
                    endpoints.remove(address, this);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "VirtualNetwork.Endpoint[" + address + (closed ? ", closed" : "") + "]";
        }
    }
}
