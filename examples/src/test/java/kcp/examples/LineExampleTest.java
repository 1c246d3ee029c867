package kcp.examples;

import static kcp.examples.EchoExampleTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import kcp.net.KcpSession;
import kcp.net.Kcps;

class LineExampleTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void shouldAnswerCommandsOverStreamsAndFreeTheSessionOnQuit() throws Exception {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        ByteArrayOutputStream clientOut = new ByteArrayOutputStream();
        try (LineServer server = LineServer.start(LOOPBACK, Duration.ofSeconds(60), utf8(serverLog))) {
            LineClient.run(server.address(), List.of("PING", "UPPER kcp över udp", "HELLO", "QUIT"),
                    utf8(clientOut));

            assertEquals(List.of("> PING", "< PONG", "> UPPER kcp över udp", "< KCP ÖVER UDP", "> HELLO",
                    "< ERR unknown command", "> QUIT", "< BYE"),
                    clientOut.toString(StandardCharsets.UTF_8).lines().toList());
            assertTrue(server.awaitEnded(1, Duration.ofSeconds(20)), "the session did not end");
            assertEquals(0, server.sessionCount(), "QUIT must free the server's session");
            assertTrue(serverLog.toString(StandardCharsets.UTF_8).matches("session \\d+ ended: quit\\R"),
                    serverLog.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldFreeSessionsOfSilentClientsAndOfOverlongLines() throws Exception {
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        try (LineServer server = LineServer.start(LOOPBACK, Duration.ofMillis(800), utf8(serverLog))) {
            // A client that says one thing and vanishes without QUIT.
            try (KcpSession silent = Kcps.dial(server.address(), LineServer.options().build())) {
                silent.setReadTimeout(Duration.ofSeconds(10));
                silent.write("PING\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("PONG\n", new String(silent.inputStream().readNBytes(5), StandardCharsets.UTF_8));
            }
            // A client that sends a line longer than the server accepts.
            try (KcpSession flood = Kcps.dial(server.address(), LineServer.options().build())) {
                flood.setReadTimeout(Duration.ofSeconds(10));
                OutputStream out = flood.outputStream();
                out.write(new byte[LineServer.MAX_LINE + 1]);
                assertEquals("ERR line too long\n",
                        new String(flood.inputStream().readNBytes(18), StandardCharsets.UTF_8));
            }
            assertTrue(server.awaitEnded(2, Duration.ofSeconds(20)), "a session was not freed");
            assertEquals(0, server.sessionCount());
            String log = serverLog.toString(StandardCharsets.UTF_8);
            assertTrue(log.contains("ended: idle timeout"), log);
            assertTrue(log.contains("ended: line too long"), log);
        }
    }

    @Test
    void shouldAnswerTheProtocolsCommands() {
        assertEquals("PONG", LineServer.answer("PING"));
        assertEquals("ABC", LineServer.answer("UPPER abc"));
        assertEquals("ERR unknown command", LineServer.answer("UPPER"));
    }
}
