package kcp.examples;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpMode;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;

/**
 * A small line protocol over KCP, one virtual thread per session. Commands, one per line (UTF-8, {@code \n}):
 * {@code PING} answers {@code PONG}; {@code UPPER text} answers the text in upper case; {@code QUIT} answers
 * {@code BYE} and closes the session; anything else answers {@code ERR unknown command}. A line longer than
 * {@value #MAX_LINE} bytes answers {@code ERR line too long} and closes the session, so a stranger cannot
 * make the server buffer without bound.
 *
 * <p>Every session is freed: by {@code QUIT}, by the idle timeout when a client just goes away (KCP has no
 * FIN), by a protocol error, or when the server closes.
 *
 * <pre>{@code java -p <jars> -m kcp.examples/kcp.examples.LineServer 4001}</pre>
 */
public final class LineServer implements AutoCloseable {
    /** Longest accepted line in bytes, without its {@code \n}. */
    public static final int MAX_LINE = 1024;

    /** Options both line examples use: stream mode (a byte stream, not messages) and kcptun's "fast" preset. */
    static SessionOptions.Builder options() {
        return SessionOptions.builder().mode(KcpMode.FAST).streamMode(true);
    }

    private final KcpListener listener;
    private final Thread acceptor;
    private final PrintStream log;
    private final SessionTally tally = new SessionTally();

    private LineServer(KcpListener listener, PrintStream log) {
        this.listener = listener;
        this.log = log;
        this.acceptor = Thread.ofVirtual().name("line-accept").start(this::acceptLoop);
    }

    /**
     * Starts serving on {@code local}.
     *
     * @param local       UDP address to bind (port 0 picks a free one)
     * @param idleTimeout how long a silent session lives before it is closed
     * @param log         where the server reports sessions that end, and why
     * @return the running server; {@link #close()} stops it and closes every session
     * @throws IOException if the socket cannot be bound
     */
    public static LineServer start(InetSocketAddress local, Duration idleTimeout, PrintStream log)
            throws IOException {
        return new LineServer(Kcps.listen(local, options().idleTimeout(idleTimeout).build()), log);
    }

    /**
     * Returns the bound address.
     *
     * @return the UDP address clients dial
     */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /**
     * Returns the sessions the listener still holds.
     *
     * @return the listener's session count (0 once every session has ended)
     */
    public int sessionCount() {
        return listener.sessionCount();
    }

    /**
     * Waits until {@code sessions} sessions have ended in total and none is running.
     *
     * @param sessions how many sessions must have ended
     * @param timeout  how long to wait
     * @return true if that happened in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitEnded(long sessions, Duration timeout) throws InterruptedException {
        return tally.await(sessions, timeout);
    }

    private void acceptLoop() {
        while (true) {
            try {
                KcpSession session = listener.accept();
                tally.started();
                Thread.ofVirtual().name("line-" + Integer.toUnsignedString(session.conv()))
                        .start(() -> serve(session));
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    private void serve(KcpSession session) {
        String why;
        try (session) {
            why = converse(new BufferedInputStream(session.inputStream()), session.outputStream());
        } catch (IOException e) {
            why = e.getMessage(); // "idle timeout ..." when the client went away, "Socket closed" at shutdown
        }
        log.println("session " + Integer.toUnsignedString(session.conv()) + " ended: " + why);
        tally.ended();
    }

    /** Answers commands until QUIT, EOF or a protocol error; returns why it stopped. */
    private static String converse(InputStream in, OutputStream out) throws IOException {
        byte[] line = new byte[MAX_LINE];
        while (true) {
            int n = readLine(in, line);
            if (n == -1) {
                return "end of stream";
            }
            if (n == -2) {
                send(out, "ERR line too long");
                return "line too long";
            }
            String command = new String(line, 0, n, StandardCharsets.UTF_8);
            if (command.equals("QUIT")) {
                send(out, "BYE");
                return "quit";
            }
            send(out, answer(command));
        }
    }

    static String answer(String command) {
        if (command.equals("PING")) {
            return "PONG";
        }
        if (command.startsWith("UPPER ")) {
            return command.substring("UPPER ".length()).toUpperCase(Locale.ROOT);
        }
        return "ERR unknown command";
    }

    /** Reads one line into {@code line}: its length, -1 at end of stream, -2 if it does not fit. */
    private static int readLine(InputStream in, byte[] line) throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                return -1;
            }
            if (b == '\n') {
                return n;
            }
            if (n == line.length) {
                return -2;
            }
            line[n++] = (byte) b;
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        // One write per line: OutputStream.write(int) on a session is not buffered (each call is a write).
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the listener, which closes every session it holds and ends the accept loop. */
    @Override
    public void close() {
        listener.close();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args the UDP port (default 4001)
     * @throws Exception if the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4001;
        try (LineServer server = start(new InetSocketAddress(port), Duration.ofSeconds(60), System.out)) {
            System.out.println("line server listening on " + server.address());
            server.acceptor.join();
        }
    }
}
