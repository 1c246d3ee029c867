package kcp.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded lossy UDP relay on loopback for one client at a time: the client sends to {@link #address()},
 * the relay forwards to the server and the server's answers back to the last client seen. Per datagram
 * (in arrival order, both directions) a {@link SplittableRandom} decides: drop ({@code lossPct}), hold it
 * back until the next datagram of the same direction has gone out or 5 ms passed ({@code reorderPct}),
 * send it twice ({@code dupPct}). The decision sequence is fixed by the seed; thread timing still varies.
 *
 * <p>Bounded: the relay stops after {@code maxLife} or {@code maxDatagrams}, whichever comes first.
 * Loopback only. Thread-safe counters; one platform thread.
 */
final class LossyRelay implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final SplittableRandom random;
    private final double lossPct;
    private final double dupPct;
    private final double reorderPct;
    private final long endNanos;
    private final long maxDatagrams;
    private final Thread thread;
    private volatile boolean closed;
    private InetSocketAddress client;
    private final DatagramPacket[] held = new DatagramPacket[2];

    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();

    LossyRelay(InetSocketAddress server, long seed, double lossPct, double dupPct, double reorderPct,
            Duration maxLife, long maxDatagrams) throws IOException {
        if (!server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the relay is for loopback only: " + server);
        }
        this.server = server;
        this.random = new SplittableRandom(seed);
        this.lossPct = lossPct;
        this.dupPct = dupPct;
        this.reorderPct = reorderPct;
        this.endNanos = System.nanoTime() + maxLife.toNanos();
        this.maxDatagrams = maxDatagrams;
        this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
        socket.setSoTimeout(5);
        socket.setReceiveBufferSize(4 << 20);
        socket.setSendBufferSize(4 << 20);
        this.thread = Thread.ofPlatform().name("lossy-relay").daemon(true).start(this::run);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    private void run() {
        long count = 0;
        try {
            while (!closed && System.nanoTime() - endNanos < 0 && count < maxDatagrams) {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    releaseHeld(0);
                    releaseHeld(1);
                    continue;
                }
                count++;
                boolean fromServer = server.equals(p.getSocketAddress());
                if (!fromServer) {
                    client = (InetSocketAddress) p.getSocketAddress();
                }
                InetSocketAddress to = fromServer ? client : server;
                if (to == null) {
                    continue;
                }
                p.setSocketAddress(to);
                int dir = fromServer ? 1 : 0;
                double roll = random.nextDouble() * 100;
                if (roll < lossPct) {
                    dropped.incrementAndGet();
                    continue;
                }
                if (held[dir] == null && random.nextDouble() * 100 < reorderPct) {
                    held[dir] = p;
                    reordered.incrementAndGet();
                    continue;
                }
                send(p);
                if (random.nextDouble() * 100 < dupPct) {
                    send(p);
                    duplicated.incrementAndGet();
                }
                releaseHeld(dir);
            }
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException("relay failed", e);
            }
        } finally {
            socket.close();
        }
    }

    private void releaseHeld(int dir) throws IOException {
        DatagramPacket h = held[dir];
        if (h != null) {
            held[dir] = null;
            send(h);
        }
    }

    private void send(DatagramPacket p) throws IOException {
        try {
            socket.send(p);
            forwarded.incrementAndGet();
        } catch (SocketException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2000);
        socket.close();
    }

    @Override
    public String toString() {
        return "LossyRelay[forwarded=" + forwarded + ", dropped=" + dropped + ", duplicated=" + duplicated
                + ", reordered=" + reordered + "]";
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }
}
