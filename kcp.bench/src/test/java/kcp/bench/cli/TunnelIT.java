package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tunnel against Debian's kcptun 20210922 binaries ({@code kcptun-client}, {@code kcptun-server}) and against
 * itself, over 127.0.0.1: TCP connections through client and server to a TCP echo target started here, every byte
 * compared. The Java ends run in this JVM, kcptun as subprocesses on ephemeral ports, killed in {@code finally}.
 * Skipped without kcptun, except with {@code CI=true}, where it fails.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TunnelIT {
    @TempDir
    Path dir;

    /** Which end is which program. */
    enum Pairing {
        JAVA_CLIENT_KCPTUN_SERVER, KCPTUN_CLIENT_JAVA_SERVER, JAVA_JAVA
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Pairing p : Pairing.values()) {
            for (int smux : new int[] {1, 2}) {
                for (boolean comp : new boolean[] {true, false}) {
                    for (boolean fec : new boolean[] {true, false}) {
                        cases.add(Arguments.of(p, smux, comp, fec));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** A TCP echo server: every connection gets its bytes back, then end of stream after the client's. */
    static final class EchoTarget implements AutoCloseable {
        final ServerSocketChannel server;
        final AtomicLong connections = new AtomicLong();
        final AtomicLong echoed = new AtomicLong();

        EchoTarget() throws IOException {
            server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                while (true) {
                    SocketChannel c;
                    try {
                        c = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> echo(c));
                }
            });
        }

        private void echo(SocketChannel c) {
            ByteBuffer buf = ByteBuffer.allocate(16384);
            try (c) {
                while (c.read(buf) >= 0) {
                    buf.flip();
                    echoed.addAndGet(buf.remaining());
                    while (buf.hasRemaining()) {
                        c.write(buf);
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                // the tunnel closed the connection
            }
        }

        String address() throws IOException {
            return Tunnels.hostPort(server.getLocalAddress());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A kcptun binary as a subprocess; its log (stderr) is collected. */
    static final class Kcptun implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Queue<String> all = new ConcurrentLinkedQueue<>();

        Kcptun(String exe, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(LivePeers.require(exe, "apt-get install kcptun").toString());
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        all.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("IOException " + e.getMessage());
                }
            });
        }

        void awaitLog(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return;
                }
                if (line == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("no '" + text + "' in kcptun's log:\n" + String.join("\n", all));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A Java tunnel end in this JVM, from command-line flags. */
    static final class JavaEnd implements AutoCloseable {
        final TunnelClient client;
        final TunnelServer server;
        final InetSocketAddress address;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream log = new ByteArrayOutputStream();

        JavaEnd(boolean isClient, List<String> args) throws Exception {
            FlagSet f = TunnelConfig.flags(isClient);
            f.parse(args.toArray(String[]::new), 0);
            TunnelConfig c = TunnelConfig.from(f, isClient, Map.of());
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            TunnelLog l = TunnelLog.open("", new PrintStream(log, true, StandardCharsets.UTF_8), c.quiet());
            if (isClient) {
                client = new TunnelClient(c, o, l);
                server = null;
                address = client.start();
            } else {
                server = new TunnelServer(c, o, l);
                client = null;
                address = server.start();
            }
        }

        String hostPort() {
            return "127.0.0.1:" + address.getPort();
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            } else {
                server.close();
            }
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Opens {@code connections} TCP connections to {@code entry} at once; each writes {@code bytes} (compressible
     * text for even connections, seeded random bytes for odd ones) while reading the echo, and checks every byte.
     */
    static void echoThrough(String entry, int connections, int bytes, long seed) throws Exception {
        int colon = entry.lastIndexOf(':');
        InetSocketAddress to = new InetSocketAddress(entry.substring(0, colon),
                Integer.parseInt(entry.substring(colon + 1)));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                byte[] payload = payload(i % 2 == 0, bytes, seed + i);
                done.add(pool.submit(() -> {
                    try (SocketChannel c = SocketChannel.open(to)) {
                        Future<?> writer = pool.submit(() -> {
                            ByteBuffer b = ByteBuffer.wrap(payload);
                            while (b.hasRemaining()) {
                                c.write(b);
                            }
                            return null;
                        });
                        ByteBuffer got = ByteBuffer.allocate(payload.length);
                        while (got.hasRemaining()) {
                            if (c.read(got) < 0) {
                                throw new AssertionError("end of stream after " + got.position() + " of "
                                        + payload.length + " bytes");
                            }
                        }
                        writer.get();
                        assertArrayEquals(payload, got.array(), "echo differs");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** @return text-like bytes that snappy compresses, or seeded random bytes that it cannot */
    static byte[] payload(boolean compressible, int bytes, long seed) {
        byte[] p = new byte[bytes];
        Random r = new Random(seed);
        if (!compressible) {
            r.nextBytes(p);
            return p;
        }
        String[] words = {"tunnel ", "kcp ", "smux ", "stream ", "snappy ", "frame ", "window ", "\n"};
        int i = 0;
        while (i < bytes) {
            byte[] w = words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(w.length, bytes - i);
            System.arraycopy(w, 0, p, i, n);
            i += n;
        }
        return p;
    }

    static List<String> knobs(int smux, boolean comp, boolean fec, String key) {
        List<String> k = new ArrayList<>(List.of("--key", key, "--crypt", "aes", "--mode", "fast", "--smuxver",
                Integer.toString(smux), "--datashard", fec ? "10" : "0", "--parityshard", fec ? "3" : "0",
                "--quiet"));
        if (!comp) {
            k.add("--nocomp");
        }
        return k;
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    @ParameterizedTest(name = "{0} smux v{1} comp={2} fec={3}")
    @MethodSource("matrix")
    void shouldCarryParallelConnectionsByteExact(Pairing pairing, int smux, boolean comp, boolean fec)
            throws Exception {
        List<String> k = knobs(smux, comp, fec, "k-" + pairing + smux + comp + fec);
        int connections = 4;
        int bytes = 512 << 10;
        try (EchoTarget target = new EchoTarget()) {
            switch (pairing) {
                case JAVA_CLIENT_KCPTUN_SERVER -> {
                    String listen = "127.0.0.1:" + freeUdpPort();
                    try (Kcptun server = new Kcptun("kcptun-server", concat(k, "--listen", listen, "--target",
                            target.address()));
                            JavaEnd client = new JavaEnd(true, concat(k, "--localaddr", "127.0.0.1:0",
                                    "--remoteaddr", listen))) {
                        server.awaitLog("listening on:");
                        echoThrough(client.hostPort(), connections, bytes, smux * 100 + (comp ? 10 : 0));
                    }
                }
                case KCPTUN_CLIENT_JAVA_SERVER -> {
                    try (JavaEnd server = new JavaEnd(false, concat(k, "--listen", "127.0.0.1:0", "--target",
                            target.address()))) {
                        String local = "127.0.0.1:" + freeTcpPort();
                        try (Kcptun client = new Kcptun("kcptun-client", concat(k, "--localaddr", local,
                                "--remoteaddr", server.hostPort(), "--conn", "2"))) {
                            client.awaitLog("listening on:");
                            echoThrough(local, connections, bytes, smux * 100 + (comp ? 10 : 0));
                        }
                        assertEquals(connections, server.server.streams(), "a stream per connection");
                        assertEquals(2, server.server.sessions(), "kcptun-client --conn 2: two KCP sessions");
                    }
                }
                case JAVA_JAVA -> {
                    try (JavaEnd server = new JavaEnd(false, concat(k, "--listen", "127.0.0.1:0", "--target",
                            target.address()));
                            JavaEnd client = new JavaEnd(true, concat(k, "--localaddr", "127.0.0.1:0",
                                    "--remoteaddr", server.hostPort(), "--conn", "2"))) {
                        echoThrough(client.hostPort(), connections, bytes, smux * 100 + (comp ? 10 : 0));
                        assertEquals(2, client.client.sessionsDialled(), "--conn 2: two KCP sessions");
                    }
                }
            }
            assertEquals(connections, target.connections.get(), "the target saw a connection per client one");
            assertEquals((long) connections * bytes, target.echoed.get());
        }
    }

    @Test
    void shouldReadTheSameJsonConfigFileAsKcptun() throws Exception {
        try (EchoTarget target = new EchoTarget()) {
            int udp = freeUdpPort();
            int tcp = freeTcpPort();
            // one kcptun-style file for each side, with keys kcptun documents; the Java server and the kcptun
            // client read them (and the same files would run kcptun-server and a Java client)
            Path serverJson = dir.resolve("server.json");
            Files.writeString(serverJson, """
                    {
                      "listen": "127.0.0.1:%d",
                      "target": "%s",
                      "key": "from a json file",
                      "crypt": "salsa20",
                      "mode": "fast2",
                      "mtu": 1200,
                      "sndwnd": 512,
                      "rcvwnd": 512,
                      "datashard": 5,
                      "parityshard": 2,
                      "dscp": 0,
                      "nocomp": false,
                      "acknodelay": false,
                      "nodelay": 0,
                      "interval": 40,
                      "resend": 0,
                      "nc": 0,
                      "sockbuf": 4194304,
                      "smuxver": 2,
                      "smuxbuf": 4194304,
                      "streambuf": 1048576,
                      "keepalive": 10,
                      "snmplog": "",
                      "snmpperiod": 60,
                      "pprof": false,
                      "quiet": true,
                      "tcp": false
                    }
                    """.formatted(udp, target.address()));
            Path clientJson = dir.resolve("client.json");
            Files.writeString(clientJson, """
                    {
                      "localaddr": "127.0.0.1:%d",
                      "remoteaddr": "127.0.0.1:%d",
                      "key": "from a json file",
                      "crypt": "salsa20",
                      "mode": "fast2",
                      "conn": 1,
                      "autoexpire": 0,
                      "scavengettl": 600,
                      "mtu": 1200,
                      "sndwnd": 256,
                      "rcvwnd": 512,
                      "datashard": 5,
                      "parityshard": 2,
                      "dscp": 0,
                      "nocomp": false,
                      "acknodelay": false,
                      "sockbuf": 4194304,
                      "smuxver": 2,
                      "smuxbuf": 4194304,
                      "streambuf": 1048576,
                      "keepalive": 10,
                      "quiet": true,
                      "tcp": false
                    }
                    """.formatted(tcp, udp));
            // command-line values the files override
            try (JavaEnd server = new JavaEnd(false, List.of("--listen", "127.0.0.1:1", "--crypt", "aes",
                    "-c", serverJson.toString()))) {
                assertEquals(udp, server.address.getPort(), "the file's listen address wins");
                try (Kcptun client = new Kcptun("kcptun-client", List.of("-c", clientJson.toString()))) {
                    client.awaitLog("listening on:");
                    echoThrough("127.0.0.1:" + tcp, 3, 256 << 10, 99);
                }
            }
        }
    }

    @Test
    void shouldCarryAHalfCloseEndToEndBetweenJavaEnds() throws Exception {
        try (EchoTarget target = new EchoTarget();
                JavaEnd server = new JavaEnd(false, List.of("--listen", "127.0.0.1:0", "--target", target.address(),
                        "--quiet", "--smuxver", "2"));
                JavaEnd client = new JavaEnd(true, List.of("--localaddr", "127.0.0.1:0", "--remoteaddr",
                        server.hostPort(), "--quiet", "--smuxver", "2"));
                SocketChannel c = SocketChannel.open(client.address)) {
            byte[] request = payload(false, 300_000, 11);
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                c.write(b);
            }
            // the request ends before any of the echo is read: the echo must still arrive, then end of stream
            c.shutdownOutput();
            ByteBuffer got = ByteBuffer.allocate(request.length + 1);
            while (c.read(got) >= 0) {
                assertTrue(got.hasRemaining(), "more bytes than were sent");
            }
            assertEquals(request.length, got.position(), "every byte echoed after the half-close");
            assertArrayEquals(request, java.util.Arrays.copyOf(got.array(), request.length));
        }
    }

    @Test
    void shouldDialAUnixSocketTargetAndReportAnUnreachableTargetByClosingTheConnection() throws Exception {
        Path socket = dir.resolve("target.sock");
        try (ServerSocketChannel unix = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            unix.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try (SocketChannel c = unix.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    while (c.read(buf) >= 0) {
                        buf.flip();
                        while (buf.hasRemaining()) {
                            c.write(buf);
                        }
                        buf.clear();
                    }
                } catch (IOException e) {
                    // closed by the tunnel
                }
            });
            try (JavaEnd server = new JavaEnd(false, List.of("--listen", "127.0.0.1:0", "--target", socket.toString(),
                    "--quiet"));
                    JavaEnd client = new JavaEnd(true, List.of("--localaddr", "127.0.0.1:0", "--remoteaddr",
                            server.hostPort(), "--quiet"))) {
                echoThrough(client.hostPort(), 1, 100_000, 5);
            }
        }
        // nothing listens there any more: the server closes the stream, the client's connection ends
        try (JavaEnd server = new JavaEnd(false, List.of("--listen", "127.0.0.1:0", "--target", socket.toString()));
                JavaEnd client = new JavaEnd(true, List.of("--localaddr", "127.0.0.1:0", "--remoteaddr",
                        server.hostPort()));
                SocketChannel c = SocketChannel.open(client.address)) {
            c.write(ByteBuffer.wrap(new byte[100]));
            assertEquals(-1, c.read(ByteBuffer.allocate(100)), "end of stream, no data");
            assertTrue(server.log.toString(StandardCharsets.UTF_8).contains("dial " + socket),
                    server.log.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldExpireSessionsAndScavengeThemAsKcptunDoes() throws Exception {
        try (EchoTarget target = new EchoTarget();
                JavaEnd server = new JavaEnd(false, List.of("--listen", "127.0.0.1:0", "--target", target.address(),
                        "--quiet"));
                JavaEnd client = new JavaEnd(true, List.of("--localaddr", "127.0.0.1:0", "--remoteaddr",
                        server.hostPort(), "--autoexpire", "1", "--scavengettl", "1", "--quiet"))) {
            echoThrough(client.hostPort(), 1, 1000, 1);
            assertEquals(1, client.client.sessionsDialled());
            // --autoexpire is wall-clock time: once a second has passed, the next connection gets a new session
            Thread.sleep(Duration.ofMillis(1100));
            echoThrough(client.hostPort(), 1, 1000, 2);
            assertEquals(2, client.client.sessionsDialled());
            // the scavenger closes the first one a second after it expired (checked every second)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.client.openSessions() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, client.client.openSessions(), client.log.toString(StandardCharsets.UTF_8));
            assertTrue(client.log.toString(StandardCharsets.UTF_8).contains("scavenger: session closed due to ttl"),
                    client.log.toString(StandardCharsets.UTF_8));
        }
    }
}
