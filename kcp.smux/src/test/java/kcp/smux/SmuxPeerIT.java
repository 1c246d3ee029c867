package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import kcp.core.testing.GoPeers;
import kcp.net.KcpListener;
import kcp.net.KcpMode;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Live interop with xtaci/smux 1.5.16 over kcp-go 5.6.1 through {@code interop/go/bin/smuxpeer} (source in
 * {@code interop/go/src/kcpjava/smuxpeer}): a Java {@link SmuxSession} over a real {@code KcpSession} on
 * loopback, as client and as server, smux versions 1 and 2. Skipped when Go is not installed, except with
 * {@code CI=true}, where a missing peer fails ({@link GoPeers}).
 */
@Timeout(120)
class SmuxPeerIT {
    static final SessionOptions KCP = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(1024, 1024).mtu(1400)
            .streamMode(true).build();

    /** The Go peer's binary, built by interop/go/build.sh when missing (kcp.core's {@link GoPeers} rule). */
    static Path peerBinary() {
        return GoPeers.find("smuxpeer").orElseGet(() -> Assumptions.abort(GoPeers.missingReason("smuxpeer")
                + " (and golang-github-xtaci-smux-dev)"));
    }

    /** A running smuxpeer; its stdout lines go to a queue. */
    static final class GoPeer implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        GoPeer(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(peerBinary().toString()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            Thread.ofVirtual().start(() -> {
                try {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
        }

        private final List<String> seen = new ArrayList<>();

        /** @return the first unclaimed line starting with {@code prefix}; fails on a line reporting a failure */
        String line(String prefix) throws InterruptedException {
            for (String l : seen) {
                if (l.startsWith(prefix)) {
                    seen.remove(l);
                    return l;
                }
            }
            while (true) {
                String l = lines.poll(60, TimeUnit.SECONDS);
                if (l == null) {
                    throw new AssertionError("smuxpeer printed no " + prefix + " line in 60 s");
                }
                if (l.contains("-FAIL")) {
                    throw new AssertionError("smuxpeer: " + l);
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
                seen.add(l);
            }
        }

        InetSocketAddress listenAddress() throws Exception {
            String[] hp = line("LISTEN ").substring(7).split(":");
            return new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
        }

        @Override
        public void close() throws InterruptedException {
            process.toHandle().destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Go's pattern for the streams it opens: stream k, byte i. */
    static byte[] pattern(int k, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + k * 7 + (i >> 8));
        }
        return b;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    static byte[] tagged(char tag, byte[] data, boolean withLength) {
        ByteBuffer b = ByteBuffer.allocate(1 + (withLength ? 4 : 0) + data.length);
        b.put((byte) tag);
        if (withLength) {
            b.putInt(data.length);
        }
        return b.put(data).array();
    }

    @ParameterizedTest(name = "Java {0}, smux v{1}")
    @CsvSource({"client, 1", "client, 2", "server, 1", "server, 2"})
    void shouldExchangeStreamsOpenedFromBothSidesWithFinBothWays(String javaRole, int version) throws Exception {
        SmuxConfig cfg = SmuxConfig.defaults().withVersion(version);
        boolean javaClient = javaRole.equals("client");
        int goStreams = 20;
        int goBytes = 100_000;
        KcpListener listener = null;
        GoPeer go;
        SmuxSession session;
        if (javaClient) {
            go = new GoPeer("--role", "server", "--smuxver", "" + version, "--open", "" + goStreams, "--bytes",
                    "" + goBytes);
            KcpSession kcp = Kcps.dial(go.listenAddress(), KCP);
            session = SmuxSession.client(kcp, cfg);
        } else {
            listener = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KCP);
            InetSocketAddress at = listener.localAddress();
            go = new GoPeer("--role", "client", "--remote", "127.0.0.1:" + at.getPort(), "--smuxver", "" + version,
                    "--open", "" + goStreams, "--bytes", "" + goBytes);
            session = SmuxSession.server(listener.accept(Duration.ofSeconds(30)), cfg);
        }
        try (GoPeer g = go; SmuxSession s = session; ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            // 100 concurrent echo streams from Java first (a KCP listener learns of a session from its first
            // datagram, so the Java client speaks first): Go echoes, then its FIN ends our read
            Random rnd = new Random(version * 10L + (javaClient ? 1 : 2));
            List<Future<?>> echoes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] data = new byte[1 + rnd.nextInt(60_000)];
                rnd.nextBytes(data);
                SmuxStream st = s.openStream();
                assertEquals(javaClient ? 1 : 0, st.id() & 1);
                echoes.add(ex.submit(() -> {
                    st.write(ByteBuffer.wrap(tagged('E', data, true)));
                    byte[] back = st.inputStream().readAllBytes();
                    st.close();
                    assertArrayEquals(data, back, "echo on stream " + st.id());
                    return null;
                }));
            }
            // the Go side's streams: read to end of stream (its FIN), byte-exact
            List<Future<String>> fromGo = new ArrayList<>();
            for (int i = 0; i < goStreams; i++) {
                SmuxStream st = s.acceptStream(Duration.ofSeconds(30));
                assertEquals(javaClient ? 0 : 1, st.id() & 1, "stream id parity of the opener");
                fromGo.add(ex.submit(() -> {
                    byte[] got = st.inputStream().readAllBytes();
                    st.close();
                    return Integer.toUnsignedString(st.id()) + ":" + got.length + ":" + crc(got);
                }));
            }
            // sink streams: our FIN ends Go's read, Go reports what it got
            Map<String, String> sunk = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                byte[] data = new byte[200_000 + i];
                rnd.nextBytes(data);
                SmuxStream st = s.openStream();
                st.write(ByteBuffer.wrap(tagged('S', data, false)));
                st.close();
                sunk.put("sid=" + Integer.toUnsignedString(st.id()), "n=" + data.length + " crc="
                        + String.format("%08x", crc(data)));
            }
            for (Future<?> f : echoes) {
                f.get();
            }
            List<Long> expected = new ArrayList<>();
            List<Long> got = new ArrayList<>();
            for (int k = 0; k < goStreams; k++) {
                expected.add(crc(pattern(k, goBytes)));
                String[] r = fromGo.get(k).get().split(":");
                assertEquals(goBytes, Integer.parseInt(r[1]));
                got.add(Long.parseLong(r[2]));
            }
            // Go opens its streams concurrently, so stream k's id does not tell k: compare as sets
            assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(got));
            for (int i = 0; i < 3; i++) {
                String[] line = g.line("SINK ").split(" ", 3);
                assertEquals(sunk.get(line[1]), line[2], "Go's sink report for " + line[1]);
            }
            g.line("DONE");
            assertEquals(0, s.counters().unknownStreamFrames(), String.valueOf(s.counters()));
            assertEquals(0, s.counters().refusedStreams());
            assertTrue(!s.isClosed(), s.closeReason());
        } finally {
            if (listener != null) {
                listener.close();
            }
        }
    }

    @Test
    void shouldTimeOutWhenTheGoPeerGoesSilent() throws Exception {
        try (GoPeer g = new GoPeer("--role", "server", "--silent");
                SmuxSession s = SmuxSession.client(Kcps.dial(g.listenAddress(), KCP), SmuxConfig.defaults()
                        .withKeepAlive(Duration.ofMillis(300), Duration.ofMillis(1500)))) {
            SmuxStream st = s.openStream();
            st.write(ByteBuffer.wrap(tagged('S', new byte[10], false)));
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> st.read(ByteBuffer.allocate(1)));
            assertEquals("smux session closed: keepalive timeout: nothing received from the peer for 1500 ms",
                    e.getMessage());
            assertTrue(s.isClosed());
        }
    }

    @Test
    void shouldFollowGoWindowUpdatesUnderASlowReader() throws Exception {
        try (GoPeer g = new GoPeer("--role", "server", "--smuxver", "2", "--streambuf", "65536");
                SmuxSession s = SmuxSession.client(Kcps.dial(g.listenAddress(), KCP),
                        SmuxConfig.defaults().withVersion(2))) {
            byte[] data = new byte[1 << 20];
            new Random(5).nextBytes(data);
            SmuxStream st = s.openStream();
            st.write(ByteBuffer.wrap(tagged('W', data, false)));
            st.close();
            String line = g.line("SLOW ");
            assertTrue(line.endsWith("n=" + data.length + " crc=" + String.format("%08x", crc(data))), line);
            assertEquals(65536, st.impl().peerWindow(), "Go's UPD frames announce its 64 KiB stream buffer");
            assertTrue(st.impl().windowWaits() > 0, "the writer waited for Go's window at least once");
        }
    }
}
