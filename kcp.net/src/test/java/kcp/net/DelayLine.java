package kcp.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback UDP hop that delays every datagram by {@code baseMs} plus a seeded jitter in {@code [0, jitterMs]}
 * (so datagrams that arrive close together also swap order), both directions, for one client at a time: the
 * client sends to {@link #address()}, the line forwards to {@code target} and the answers back to the last client
 * seen. Put it in front of a {@link LossyRelay} to add delay to loss, duplication and reordering.
 *
 * <p>Bounded: at most {@code maxQueued} datagrams wait (the rest are dropped and counted in {@link #overflow}),
 * and it stops after {@code maxLifeMs}. Loopback only. One receiving thread, one scheduler thread.
 */
final class DelayLine implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final SplittableRandom random;
    private final int baseMs;
    private final int jitterMs;
    private final int maxQueued;
    private final long endNanos;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "delay-line-timer");
        t.setDaemon(true);
        return t;
    });
    private final Thread thread;
    private volatile boolean closed;
    private volatile InetSocketAddress client;

    final AtomicLong delayed = new AtomicLong();
    final AtomicLong overflow = new AtomicLong();

    DelayLine(InetSocketAddress target, long seed, int baseMs, int jitterMs, int maxQueued, long maxLifeMs)
            throws IOException {
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the delay line is for loopback only: " + target);
        }
        this.target = target;
        this.random = new SplittableRandom(seed);
        this.baseMs = baseMs;
        this.jitterMs = jitterMs;
        this.maxQueued = maxQueued;
        this.endNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxLifeMs);
        this.socket = new DatagramSocket(new InetSocketAddress(target.getAddress(), 0));
        socket.setSoTimeout(50);
        socket.setReceiveBufferSize(4 << 20);
        socket.setSendBufferSize(4 << 20);
        this.thread = Thread.ofPlatform().name("delay-line").daemon(true).start(this::run);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    private void run() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            while (!closed && System.nanoTime() - endNanos < 0) {
                p.setData(buf);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                boolean fromTarget = target.equals(p.getSocketAddress());
                if (!fromTarget) {
                    client = (InetSocketAddress) p.getSocketAddress();
                }
                InetSocketAddress to = fromTarget ? client : target;
                if (to == null) {
                    continue;
                }
                if (timer.getQueue().size() >= maxQueued) {
                    overflow.incrementAndGet();
                    continue;
                }
                DatagramPacket out = new DatagramPacket(Arrays.copyOf(buf, p.getLength()), p.getLength(), to);
                long delayUs = baseMs * 1000L + (jitterMs == 0 ? 0 : random.nextLong(jitterMs * 1000L + 1));
                timer.schedule(() -> send(out), delayUs, TimeUnit.MICROSECONDS);
                delayed.incrementAndGet();
            }
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException("delay line failed", e);
            }
        } finally {
            socket.close();
        }
    }

    private void send(DatagramPacket p) {
        try {
            socket.send(p);
        } catch (SocketException e) {
            // closed: the datagram is lost, as on a network
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException("delay line send failed", e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2000);
        timer.shutdownNow();
        socket.close();
    }

    @Override
    public String toString() {
        return "DelayLine[delayed=" + delayed + ", overflow=" + overflow + ", " + baseMs + "+" + jitterMs + " ms]";
    }
}
