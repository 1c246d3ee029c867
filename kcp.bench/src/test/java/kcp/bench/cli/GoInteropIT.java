package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.core.testing.GoPeers;

/**
 * Our CLI against kcp-go 5.6.1 peers with the same flags ({@code interop/go/bin/kcpgo}, built from
 * {@code interop/go/src/kcpjava/kcpgo}): Java client to Go server and Go client to Java server, echo and sink.
 * Skipped when Go is absent, except with {@code CI=true}, where a missing peer fails.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GoInteropIT {
    private static Path kcpgo;

    @BeforeAll
    static void findPeer() {
        kcpgo = GoPeers.find("kcpgo").orElseGet(() -> Assumptions.abort(GoPeers.missingReason("kcpgo")));
    }

    /** A Go process whose stdout lines are collected on a virtual thread. */
    static final class GoProcess implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader;
        final java.util.Queue<String> all = new java.util.concurrent.ConcurrentLinkedQueue<>();

        GoProcess(String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(kcpgo.toString());
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
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

        String awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new AssertionError("no '" + prefix + "' line from kcpgo");
        }

        String stopAndOutput() throws InterruptedException {
            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout pipe
            process.toHandle().destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "kcpgo did not exit");
            assertTrue(reader.join(java.time.Duration.ofSeconds(10)), "kcpgo's stdout did not close");
            return "exit " + process.exitValue() + "\n" + String.join("\n", all);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void javaClientToGoServer(String command, String[] knobs, long perSession, int sessions)
            throws Exception {
        String server = command.startsWith("echo") ? "echo-server" : "sink-server";
        try (GoProcess go = new GoProcess(concat(new String[] {server, "--listen", "127.0.0.1:0"}, knobs))) {
            String remote = go.awaitLine("LISTEN ").substring(7);
            MainTest.Run r = MainTest.run(concat(new String[] {command, "--remote", remote, "--bytes",
                Long.toString(perSession), "--sessions", Integer.toString(sessions), "--quiet", "--timeout", "60"},
                    knobs));
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("ok", LoopbackIT.result(r).group(1));
            String goOut = go.stopAndOutput();
            String word = server.startsWith("echo") ? "echoed=" : "received=";
            assertTrue(goOut.contains("RESULT sessions=" + sessions + " " + word + perSession * sessions), goOut);
        }
    }

    private static void goClientToJavaServer(String command, String[] knobs, long perSession, int sessions)
            throws Exception {
        String server = command.startsWith("echo") ? "echo-server" : "sink-server";
        try (LoopbackIT.RunningServer java = new LoopbackIT.RunningServer(server, knobs);
                GoProcess go = new GoProcess(concat(new String[] {command, "--remote", java.remote(), "--bytes",
                    Long.toString(perSession), "--sessions", Integer.toString(sessions), "--quiet", "--timeout",
                    "60"}, knobs))) {
            String result = go.awaitLine("RESULT ");
            assertTrue(result.startsWith("RESULT ok sessions=" + sessions + " bytes=" + perSession * sessions), result);
            assertTrue(go.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, go.process.exitValue());
            assertEquals(perSession * sessions, java.server.bytes());
        }
    }

    @Test
    void shouldEchoFromJavaClientThroughGoServerWithAesAndFec() throws Exception {
        javaClientToGoServer("echo-client", new String[] {"--crypt", "aes", "--key", "interop",
            "--datashard", "10", "--parityshard", "3", "--mode", "fast"}, 1 << 20, 2);
    }

    @Test
    void shouldEchoFromGoClientThroughJavaServerWithSalsa20AndFec() throws Exception {
        goClientToJavaServer("echo-client", new String[] {"--crypt", "salsa20", "--key", "interop",
            "--datashard", "10", "--parityshard", "3", "--mode", "fast2"}, 1 << 20, 2);
    }

    @Test
    void shouldEchoInMessageModeWithoutCryptoBothWays() throws Exception {
        String[] knobs = {"--crypt", "null", "--datashard", "0", "--parityshard", "0", "--stream", "false",
            "--mode", "fast3", "--mtu", "1400"};
        javaClientToGoServer("echo-client", knobs, 300_000, 1);
        goClientToJavaServer("echo-client", knobs, 300_000, 1);
    }

    @Test
    void shouldSinkBothWays() throws Exception {
        String[] knobs = {"--crypt", "aes-128", "--datashard", "10", "--parityshard", "3", "--mode", "normal"};
        javaClientToGoServer("sink-client", knobs, 2 << 20, 1);
        goClientToJavaServer("sink-client", knobs, 2 << 20, 1);
    }

    @Test
    void shouldInteroperateWithEveryKcptunCipher() throws Exception {
        for (String cipher : List.of("none", "aes-192", "blowfish", "twofish", "cast5", "3des", "tea", "xtea",
                "xor", "sm4")) {
            String[] knobs = {"--crypt", cipher, "--key", "k-" + cipher, "--datashard", "0", "--parityshard", "0",
                "--mode", "fast3"};
            javaClientToGoServer("echo-client", knobs, 64 << 10, 1);
        }
    }
}
