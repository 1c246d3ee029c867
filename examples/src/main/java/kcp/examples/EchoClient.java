package kcp.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import kcp.net.KcpSession;
import kcp.net.Kcps;

/**
 * An echo client: sends each message, reads the same number of bytes back and prints them. The session is
 * closed by try-with-resources; a read timeout makes a dead server an exception instead of a hang.
 *
 * <pre>{@code java -p <jars> -m kcp.examples/kcp.examples.EchoClient 127.0.0.1:4000 hello world}</pre>
 */
public final class EchoClient {
    private EchoClient() {
    }

    /**
     * Echoes each message through the server at {@code server}.
     *
     * @param server   the echo server's address
     * @param messages what to send, one write each
     * @param out      where each echoed message is printed
     * @throws IOException if the server does not answer within 10 seconds or the session fails
     */
    public static void run(InetSocketAddress server, List<String> messages, PrintStream out) throws IOException {
        try (KcpSession session = Kcps.dial(server, EchoServer.options().build())) {
            session.setReadTimeout(Duration.ofSeconds(10));
            for (String message : messages) {
                byte[] sent = message.getBytes(StandardCharsets.UTF_8);
                session.write(sent);
                byte[] back = session.inputStream().readNBytes(sent.length);
                out.println("echo: " + new String(back, StandardCharsets.UTF_8));
            }
            out.println("srtt " + session.srtt() + " ms, rto " + session.rto() + " ms");
        }
    }

    /**
     * Dials {@code args[0]} (host:port) and echoes the remaining arguments.
     *
     * @param args server address, then messages
     * @throws IOException if the echo fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: EchoClient HOST:PORT MESSAGE...");
            System.exit(2);
        }
        run(Addresses.parse(args[0]), List.of(args).subList(1, args.length), System.out);
    }
}
