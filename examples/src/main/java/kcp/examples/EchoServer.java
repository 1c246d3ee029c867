package kcp.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpMode;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;

/**
 * An echo server: every byte a client sends comes back. One listener (one UDP port), one virtual thread per
 * session, and no leaked sessions: KCP has no FIN, so a client that goes away is noticed only by silence; the
 * idle timeout turns that silence into an {@code IOException} in {@code read}, and the session is closed.
 *
 * <pre>{@code java -p <jars> -m kcp.examples/kcp.examples.EchoServer 4000}</pre>
 */
public final class EchoServer implements AutoCloseable {
    /** Options both echo examples use: kcptun's "fast" preset, AES with a shared passphrase, FEC 10/3. */
    static SessionOptions.Builder options() {
        return SessionOptions.builder()
                .mode(KcpMode.FAST)
                .windowSize(256, 256)
                .cipherWithPassphrase("aes", "example passphrase")
                .fec(10, 3);
    }

    private final KcpListener listener;
    private final Thread acceptor;
    private final PrintStream log;
    private final SessionTally tally = new SessionTally();

    private EchoServer(KcpListener listener, PrintStream log) {
        this.listener = listener;
        this.log = log;
        this.acceptor = Thread.ofVirtual().name("echo-accept").start(this::acceptLoop);
    }

    /**
     * Starts serving on {@code local}.
     *
     * @param local       UDP address to bind (port 0 picks a free one)
     * @param idleTimeout how long a silent session lives before it is closed
     * @param log         where the server reports sessions that end
     * @return the running server; {@link #close()} stops it and closes every session
     * @throws IOException if the socket cannot be bound
     */
    public static EchoServer start(InetSocketAddress local, Duration idleTimeout, PrintStream log)
            throws IOException {
        KcpListener listener = Kcps.listen(local, options().idleTimeout(idleTimeout).build());
        return new EchoServer(listener, log);
    }

    /**
     * Returns the bound address.
     *
     * @return the UDP address clients dial
     */
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    private void acceptLoop() {
        while (true) {
            KcpSession session;
            try {
                session = listener.accept();
            } catch (IOException e) {
                return; // listener closed
            }
            tally.started();
            Thread.ofVirtual().name("echo-" + Integer.toUnsignedString(session.conv())).start(() -> serve(session));
        }
    }

    private void serve(KcpSession session) {
        String why = "closed";
        long echoed = 0;
        byte[] buf = new byte[16 * 1024];
        try (session) {
            while (true) {
                int n = session.read(buf, 0, buf.length);
                session.write(buf, 0, n);
                echoed += n;
            }
        } catch (SocketException e) {
            why = "closed";
        } catch (IOException e) {
            why = e.getMessage(); // "idle timeout ..." when the client went away, or a dead link
        } finally {
            log.println("session " + Integer.toUnsignedString(session.conv()) + " ended after " + echoed
                    + " bytes: " + why);
            tally.ended();
        }
    }

    /**
     * Waits until {@code sessions} sessions have ended in total and none is active.
     *
     * @param sessions how many sessions must have ended
     * @param timeout  how long to wait
     * @return true if that happened in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitServed(long sessions, Duration timeout) throws InterruptedException {
        return tally.await(sessions, timeout);
    }

    /**
     * Returns the sessions the listener still holds (0 once every client is gone and timed out).
     *
     * @return the listener's session count
     */
    public int sessionCount() {
        return listener.sessionCount();
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
     * @param args the UDP port (default 4000)
     * @throws Exception if the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        try (EchoServer server = start(new InetSocketAddress(port), Duration.ofSeconds(30), System.out)) {
            System.out.println("echo server listening on " + server.address());
            server.acceptor.join();
        }
    }
}
