package kcp.bench.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import kcp.net.DatagramTransport;
import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.ReceiveThreadKind;
import kcp.net.SessionOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a listener spends on one new session, with no sockets: one operation hands the listener a client's first
 * datagram from an address it has not seen, takes the session from {@link KcpListener#accept()} and closes it. The
 * first datagram is real: a dialled session sealed and FEC-encoded it with the same options. What the listener
 * sends back (the ACK) is counted and dropped. The replay filter is off, because every operation replays the same
 * datagram from a new address; everything else is the listener's default. A server with heavy session churn pays
 * this once per client; run with {@code -prof gc} for the bytes each session allocates.
 *
 * <p>Run: {@code bench/jmh.sh AcceptBench -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AcceptBench {
    /** {@code plain}: no cipher, no FEC; {@code aes-fec}: aes with FEC 10/3, the CLI's echo set-up. */
    @Param({"plain", "aes-fec"})
    public String setup;

    private KcpListener listener;
    private Injector injector;
    private byte[] first;
    private byte[] scratch;
    private int next;

    private SessionOptions options() {
        SessionOptions.Builder b = SessionOptions.builder().replayFilter(false);
        if (setup.equals("aes-fec")) {
            b.cipherWithPassphrase("aes", "it's a secrect").fec(10, 3);
        } else if (!setup.equals("plain")) {
            throw new IllegalArgumentException("setup must be plain or aes-fec, not " + setup);
        }
        return b.build();
    }

    /** Captures a dialled session's first datagram and opens the listener on the injecting transport. */
    @Setup
    public void setup() throws IOException, InterruptedException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        Injector clientSide = new Injector(new InetSocketAddress(lo, 2));
        try (KcpSession client = Kcps.dial(clientSide, new InetSocketAddress(lo, 1), 7, options())) {
            client.write("hello".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (clientSide.sent.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the client sent nothing within 5 s");
                }
                Thread.onSpinWait();
            }
            first = clientSide.sent.poll();
        }
        scratch = new byte[first.length];
        injector = new Injector(new InetSocketAddress(lo, 1));
        listener = Kcps.serve(injector, options());
    }

    /** Closes the listener. */
    @TearDown
    public void tearDown() {
        listener.close();
    }

    /**
     * One new session: its first datagram in, the session accepted and closed.
     *
     * @return the accepted session's conversation id
     * @throws IOException if accept fails, which means the listener refused the datagram
     */
    @Benchmark
    public int acceptAndClose() throws IOException {
        System.arraycopy(first, 0, scratch, 0, first.length); // the receiver may decrypt in place
        injector.receiver.onDatagram(scratch, scratch.length, address(next++));
        KcpSession s = listener.poll();
        if (s == null) {
            throw new IllegalStateException("the listener created no session: " + listener.stats());
        }
        int conv = s.conv();
        s.close();
        return conv;
    }

    /**
     * A distinct address per operation, 10.0.0.0/8 on one port: 16 million before one comes back, and distinct hash
     * codes ({@code InetSocketAddress} adds the port to the IPv4 address, so varying both would collide).
     */
    private static InetSocketAddress address(int n) {
        int host = 0x0A000000 | (n & 0x00FFFFFF);
        byte[] ip = {(byte) (host >>> 24), (byte) (host >>> 16), (byte) (host >>> 8), (byte) host};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 4000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A transport whose datagrams come from the benchmark thread; what it is asked to send is kept or dropped. */
    private static final class Injector implements DatagramTransport {
        private final InetSocketAddress address;
        final ConcurrentLinkedQueue<byte[]> sent = new ConcurrentLinkedQueue<>();
        volatile Receiver receiver;

        Injector(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public void start(Receiver r, ReceiveThreadKind threadKind) {
            receiver = r;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {
            if (sent.isEmpty()) {
                byte[] copy = new byte[datagram.remaining()];
                datagram.get(copy);
                sent.add(copy);
            } else {
                datagram.position(datagram.limit());
            }
        }

        @Override
        public void close() {
        }
    }
}
