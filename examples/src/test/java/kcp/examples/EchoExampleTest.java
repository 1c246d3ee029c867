package kcp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class EchoExampleTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void shouldEchoEveryMessageAndFreeTheSessionWhenTheClientGoesSilent() throws Exception {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        ByteArrayOutputStream clientOut = new ByteArrayOutputStream();
        try (EchoServer server = EchoServer.start(LOOPBACK, Duration.ofMillis(800), utf8(serverLog))) {
            EchoClient.run(server.address(), List.of("hello", "wörld", "x".repeat(5000)), utf8(clientOut));

            List<String> lines = clientOut.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(List.of("echo: hello", "echo: wörld", "echo: " + "x".repeat(5000)), lines.subList(0, 3));
            assertTrue(lines.get(3).matches("srtt \\d+ ms, rto \\d+ ms"), lines.get(3));

            // The client closed its session; KCP sends no FIN, so the server frees its side on the idle timeout.
            assertTrue(server.awaitServed(1, Duration.ofSeconds(20)), "server session was not freed");
            assertEquals(0, server.sessionCount());
            String log = serverLog.toString(StandardCharsets.UTF_8);
            assertTrue(log.matches("session \\d+ ended after 5011 bytes: idle timeout.*\\R"), log);
        }
    }

    @Test
    void shouldCloseEverySessionWhenTheServerCloses() throws Exception {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        EchoServer server = EchoServer.start(LOOPBACK, Duration.ofSeconds(60), utf8(serverLog));
        try {
            EchoClient.run(server.address(), List.of("one"), utf8(new ByteArrayOutputStream()));
        } finally {
            server.close();
        }
        assertTrue(server.awaitServed(1, Duration.ofSeconds(20)), "closing the server left a session running");
        assertEquals(0, server.sessionCount());
        assertTrue(serverLog.toString(StandardCharsets.UTF_8).contains("ended after 3 bytes: closed"),
                serverLog.toString(StandardCharsets.UTF_8));
    }

    static PrintStream utf8(ByteArrayOutputStream sink) {
        return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }
}
