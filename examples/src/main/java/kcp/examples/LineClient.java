package kcp.examples;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import kcp.net.KcpSession;
import kcp.net.Kcps;

/**
 * A client of {@link LineServer} that uses the session only through {@code inputStream()} and
 * {@code outputStream()}, as any {@code java.io} code would: a {@code BufferedReader} for the replies and a
 * buffered {@code Writer} flushed once per command. Buffering matters on the write side: each
 * {@code write} reaching the session is one KCP write, so an unbuffered {@code Writer} would send a
 * segment per character.
 *
 * <pre>{@code java -p <jars> -m kcp.examples/kcp.examples.LineClient 127.0.0.1:4001 PING "UPPER hi" QUIT}</pre>
 */
public final class LineClient {
    private LineClient() {
    }

    /**
     * Sends each command and prints the server's answer line.
     *
     * @param server   the line server's address
     * @param commands one command per line (send {@code QUIT} last to end the session on both sides)
     * @param out      where {@code > command} and {@code < answer} lines are printed
     * @throws IOException if the server does not answer within 10 seconds or the session fails
     */
    public static void run(InetSocketAddress server, List<String> commands, PrintStream out) throws IOException {
        try (KcpSession session = Kcps.dial(server, LineServer.options().build());
             BufferedReader in = new BufferedReader(
                     new InputStreamReader(session.inputStream(), StandardCharsets.UTF_8));
             Writer w = new BufferedWriter(new OutputStreamWriter(session.outputStream(), StandardCharsets.UTF_8))) {
            session.setReadTimeout(Duration.ofSeconds(10));
            for (String command : commands) {
                w.write(command);
                w.write('\n');
                w.flush();
                out.println("> " + command);
                out.println("< " + in.readLine());
            }
        }
    }

    /**
     * Dials {@code args[0]} (host:port) and sends the remaining arguments as commands.
     *
     * @param args server address, then commands
     * @throws IOException if the conversation fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LineClient HOST:PORT COMMAND...");
            System.exit(2);
        }
        run(Addresses.parse(args[0]), List.of(args).subList(1, args.length), System.out);
    }
}
