package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI's servers and clients against each other over 127.0.0.1, in this JVM. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LoopbackIT {
    static final Pattern RESULT = Pattern.compile(
            "RESULT (ok|FAIL) sessions=(\\d+) bytes=(\\d+) elapsed_ms=(\\d+) MBps=([0-9.]+).*");

    /** A server started in-process from command-line flags; stopped by close(). */
    static final class RunningServer implements AutoCloseable {
        final Server server;
        final InetSocketAddress address;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        RunningServer(String command, String... flags) throws Exception {
            FlagSet f = Main.flagsFor(command);
            List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--timeout", "0"));
            args.addAll(List.of(flags));
            f.parse(args.toArray(String[]::new), 0);
            server = new Server(CliConfig.from(f, "listen", false), new PrintStream(out, true, StandardCharsets.UTF_8),
                    command.startsWith("sink"));
            address = server.start();
        }

        String remote() {
            return "127.0.0.1:" + address.getPort();
        }

        String output() {
            return out.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            server.closeAndReport();
        }
    }

    static MainTest.Run client(String... args) {
        return MainTest.run(args);
    }

    static Matcher result(MainTest.Run r) {
        Matcher m = r.out().lines().map(RESULT::matcher).filter(Matcher::matches).findFirst().orElseThrow(
                () -> new AssertionError("no RESULT line in:\n" + r.out() + "\nstderr:\n" + r.err()));
        return m;
    }

    @Test
    void shouldLeaveNoSessionOrThreadOfTwoHundredFinishedClientsOnceTheIdleTimeoutPasses() throws Exception {
        try (RunningServer s = new RunningServer("echo-server", "--crypt", "aes", "--key", "k1", "--idle-timeout",
                "1")) {
            MainTest.Run r = client("echo-client", "--remote", s.remote(), "--crypt", "aes", "--key", "k1",
                    "--bytes", "4K", "--sessions", "200", "--quiet", "--timeout", "60");
            assertEquals(0, r.status(), r.err());
            assertEquals("200", result(r).group(2));
            // KCP has no FIN: the server learns that the clients are gone from their silence
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.server.listenerSessions() > 0 || s.server.busyThreads() > 0
                    || !s.server.acceptedSessions().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "after 30 s: " + s.server.listenerSessions() + " sessions, "
                        + s.server.busyThreads() + " serving threads, " + s.server.acceptedSessions().size()
                        + " tracked");
                Thread.sleep(10);
            }
        }
    }

    @Test
    void shouldEchoEveryByteWithAesAndFecOnSeveralSessions() throws Exception {
        try (RunningServer s = new RunningServer("echo-server", "--crypt", "aes", "--key", "k1")) {
            MainTest.Run r = client("echo-client", "--remote", s.remote(), "--crypt", "aes", "--key", "k1",
                    "--bytes", "1M", "--chunk", "3000", "--sessions", "3", "--quiet", "--timeout", "60");
            assertEquals(0, r.status(), r.err());
            Matcher m = result(r);
            assertEquals("ok", m.group(1));
            assertEquals("3", m.group(2));
            assertEquals(Long.toString(3L << 20), m.group(3));
            assertTrue(r.out().contains("BytesReceived"), "counter table expected:\n" + r.out());
            assertEquals(3L << 20, s.server.bytes(), "server echoed every byte");
            s.close();
            assertTrue(s.output().contains("RESULT sessions=3 echoed=" + (3L << 20)), s.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chacha20-poly1305", "xchacha20-poly1305"})
    void shouldEchoEveryByteWithTheChaChaAeadsAndFec(String crypt) throws Exception {
        try (RunningServer s = new RunningServer("echo-server", "--crypt", crypt, "--key", "k2")) {
            MainTest.Run r = client("echo-client", "--remote", s.remote(), "--crypt", crypt, "--key", "k2",
                    "--bytes", "1M", "--chunk", "3000", "--sessions", "2", "--quiet", "--timeout", "60");
            assertEquals(0, r.status(), r.err());
            Matcher m = result(r);
            assertEquals("ok", m.group(1));
            assertEquals(Long.toString(2L << 20), m.group(3));
            assertEquals(2L << 20, s.server.bytes(), "server echoed every byte");
        }
    }

    @Test
    void shouldEchoWithoutCryptoOrFecInMessageModeAndPingPong() throws Exception {
        String[] knobs = {"--crypt", "null", "--datashard", "0", "--parityshard", "0", "--stream", "false",
            "--mode", "fast3"};
        try (RunningServer s = new RunningServer("echo-server", knobs)) {
            List<String> args = new ArrayList<>(List.of("echo-client", "--remote", s.remote(), "--bytes", "6400",
                    "--chunk", "64", "--pingpong", "--quiet"));
            args.addAll(List.of(knobs));
            MainTest.Run r = client(args.toArray(String[]::new));
            assertEquals(0, r.status(), r.err());
            assertEquals("ok", result(r).group(1));
            assertTrue(r.out().contains("rtt_us_p50="), r.out());
        }
    }

    @Test
    void shouldConfirmSinkTransfers() throws Exception {
        try (RunningServer s = new RunningServer("sink-server", "--crypt", "salsa20")) {
            MainTest.Run r = client("sink-client", "--remote", s.remote(), "--crypt", "salsa20", "--bytes", "2M",
                    "--sessions", "2", "--quiet");
            assertEquals(0, r.status(), r.err());
            assertEquals("ok", result(r).group(1));
            assertEquals(4L << 20, s.server.bytes());
            assertTrue(s.output().contains("SINK conv="), s.output());
        }
    }

    @Test
    void shouldFailWithStatusOneWhenTheKeysDiffer() throws Exception {
        try (RunningServer s = new RunningServer("echo-server", "--key", "right")) {
            MainTest.Run r = client("echo-client", "--remote", s.remote(), "--key", "wrong", "--bytes", "64K",
                    "--timeout", "2", "--quiet");
            assertEquals(1, r.status(), r.out());
            assertEquals("FAIL", result(r).group(1));
            assertTrue(r.err().contains("timeout after 2 s"), r.err());
            assertEquals(0, s.server.bytes(), "nothing may be echoed under the wrong key");
        }
    }

    @Test
    void shouldRunTheSpeedTestAndPrintBothSidesCounters() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"speed", "--bytes", "2M", "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("crypt aes, FEC 10/3, nodelay 0 interval 30 resend 2 nc 1"), text);
        assertTrue(text.matches("(?s).*elapsed +\\d+ ms.*throughput +[0-9.]+ MB/s.*srtt \\d+ ms.*rto \\d+ ms.*"),
                text);
        assertTrue(text.matches("(?s).*\\ncounter +client +server\\n.*BytesReceived +2097152 +2097152\\n.*"), text);
        assertTrue(text.contains("RESULT ok sessions=1 bytes=2097152"), text);
    }

    @Test
    void shouldSumTheCountersOfEverySessionWhenSpeedRunsSeveral() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"speed", "--bytes", "512K", "--sessions", "3", "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.matches("(?s).*rto \\d+ ms \\(session 1\\).*"), text);
        assertTrue(text.contains("counters: sums over the 3 client sessions and the 3 server sessions"), text);
        // 3 x 512 KiB each way: the table adds up every session on each side, not just the first one.
        assertTrue(text.matches("(?s).*\\nBytesSent +1572864 +1572864\\n.*"), text);
        assertTrue(text.matches("(?s).*\\nBytesReceived +1572864 +1572864\\n.*"), text);
    }
}
