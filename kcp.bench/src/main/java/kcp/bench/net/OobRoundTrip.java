package kcp.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;

/**
 * OOB round trip against a plain UDP round trip on loopback (issue 17's bar: OOB p50 under 1.2x UDP), in one
 * sitting, interleaved: each round measures {@code N} round trips of a 64-byte payload three ways, in turn:
 *
 * <ul>
 *   <li>{@code udp}: one thread sends on a connected {@link DatagramChannel} and blocks in its receive; an echo
 *       thread on another channel sends every datagram back;</li>
 *   <li>{@code oob}: the same loop over a KCP session with FEC (10, 3) and no crypto: a listener's session echoes from
 *       its {@code OobHandler}; the client's handler, on the client's receive loop, takes each echo and sends the
 *       next payload, the way the UDP client's one thread does (no thread hand-off on either side);</li>
 *   <li>{@code oob-queue}: the client sends and then blocks in {@code receiveOob}, so each round trip also pays the
 *       hand-off from the receive loop to the application thread.</li>
 * </ul>
 *
 * Prints each round's p50 in microseconds and the ratios oob/udp and oob-queue/udp, then the median ratio with its
 * range over the rounds. Usage: {@code OobRoundTrip [ROUNDS=7] [N=20000] [CIPHER=none]} (a cipher name such as
 * {@code aes-128-gcm} seals the OOB datagrams; UDP stays plain). The first round is a warm-up and not reported.
 */
public final class OobRoundTrip {
    private static final int SIZE = 64;

    private OobRoundTrip() {
    }

    /**
     * Runs the rounds and prints the figures.
     *
     * @param args rounds, round trips per round and way, cipher name
     * @throws Exception if a socket fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String cipher = args.length > 2 && !"none".equals(args[2]) ? args[2] : null;
        SessionOptions.Builder b = SessionOptions.builder().fec(10, 3);
        if (cipher != null) {
            b.cipherWithPassphrase(cipher, "oob bench");
        }
        SessionOptions o = b.build();
        InetSocketAddress lo = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Udp udp = new Udp(lo); Oob oob = new Oob(lo, o)) {
            double[] r1 = new double[rounds];
            double[] r2 = new double[rounds];
            for (int r = 0; r <= rounds; r++) {
                double u = p50(udp.run(n));
                double h = p50(oob.runHandler(n));
                double q = p50(oob.runQueue(n));
                if (r == 0) {
                    continue; // warm-up
                }
                r1[r - 1] = h / u;
                r2[r - 1] = q / u;
                System.out.printf(Locale.ROOT, "round %d p50 us: udp %.1f oob %.1f oob-queue %.1f  ratio %.2f %.2f%n",
                        r, u, h, q, h / u, q / u);
            }
            System.out.printf(Locale.ROOT, "oob/udp p50 ratio: median %.2f (range %.2f-%.2f) over %d rounds%n",
                    median(r1), min(r1), max(r1), rounds);
            System.out.printf(Locale.ROOT, "oob-queue/udp p50 ratio: median %.2f (range %.2f-%.2f)%n",
                    median(r2), min(r2), max(r2));
        }
    }

    private static double p50(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1_000.0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    /** Plain UDP: a connected client channel and an echo thread. */
    private static final class Udp implements AutoCloseable {
        private final DatagramChannel echo;
        private final DatagramChannel client;
        private final Thread echoThread;

        Udp(InetSocketAddress lo) throws IOException {
            echo = DatagramChannel.open().bind(lo);
            client = DatagramChannel.open().bind(lo);
            client.connect(echo.getLocalAddress());
            echoThread = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(1500);
                try {
                    while (true) {
                        buf.clear();
                        var from = echo.receive(buf);
                        buf.flip();
                        echo.send(buf, from);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "udp-echo");
            echoThread.setDaemon(true);
            echoThread.start();
        }

        long[] run(int n) throws IOException {
            long[] t = new long[n];
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
            ByteBuffer in = ByteBuffer.allocateDirect(1500);
            for (int i = 0; i < n; i++) {
                out.clear();
                in.clear();
                long t0 = System.nanoTime();
                client.write(out);
                client.read(in);
                t[i] = System.nanoTime() - t0;
            }
            return t;
        }

        @Override
        public void close() throws IOException {
            echo.close();
            client.close();
        }
    }

    /** OOB over a KCP session whose listener side echoes from its handler. */
    private static final class Oob implements AutoCloseable {
        private final KcpListener listener;
        private final KcpSession client;
        private final KcpSession server;
        private final byte[] payload = new byte[SIZE];
        private final byte[] in = new byte[1500];

        Oob(InetSocketAddress lo, SessionOptions o) throws IOException {
            listener = Kcps.listen(lo, o);
            client = Kcps.dial(new InetSocketAddress(lo.getAddress(), listener.localAddress().getPort()), o);
            client.write(new byte[1]);
            server = listener.accept(Duration.ofSeconds(10));
            server.read(new byte[1]);
            server.setOobHandler((b, off, len) -> {
                try {
                    server.sendOob(b, off, len);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        long[] runHandler(int n) throws Exception {
            long[] t = new long[n];
            int[] i = {0};
            long[] sentAt = {0};
            CountDownLatch done = new CountDownLatch(1);
            client.setOobHandler((b, off, len) -> {
                long now = System.nanoTime();
                if (i[0] >= n) {
                    return;
                }
                t[i[0]++] = now - sentAt[0];
                if (i[0] == n) {
                    done.countDown();
                    return;
                }
                sentAt[0] = System.nanoTime();
                try {
                    client.sendOob(payload, 0, SIZE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            sentAt[0] = System.nanoTime();
            client.sendOob(payload, 0, SIZE);
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("an OOB datagram was lost on loopback after " + i[0] + " round trips;"
                        + " run again");
            }
            client.setOobHandler(null);
            return t;
        }

        long[] runQueue(int n) throws IOException {
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                client.sendOob(payload, 0, SIZE);
                client.receiveOob(in, 0, in.length, Duration.ofSeconds(10));
                t[i] = System.nanoTime() - t0;
            }
            return t;
        }

        @Override
        public void close() {
            client.close();
            listener.close();
        }
    }
}
