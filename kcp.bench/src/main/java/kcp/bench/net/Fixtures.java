package kcp.bench.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import kcp.crypto.KeyDerivation;
import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;

/**
 * kcp-go 5.6.1's {@code sess_test.go} fixtures (the 5.6.1 values) as {@link SessionOptions}.
 *
 * <p>Stateless and thread-safe; every method returns new values.
 */
final class Fixtures {
    /** kcp-go's test key: PBKDF2-HMAC-SHA1("testkey", "testsalt", 4096, 32). */
    static final byte[] PASS = KeyDerivation.pbkdf2HmacSha1("testkey".getBytes(StandardCharsets.US_ASCII),
            "testsalt".getBytes(StandardCharsets.US_ASCII), 4096, 32);

    private static final int MIB = 1 << 20;

    private Fixtures() {
    }

    /**
     * {@code dialEcho}: Salsa20(pass), FEC 10/3, stream, wnd 1024/1024, 16 MiB buffers, NoDelay(1,10,2,1),
     * mtu 1400.
     */
    static SessionOptions dialEcho() {
        return SessionOptions.builder().cipher("salsa20", PASS).fec(10, 3).streamMode(true).windowSize(1024, 1024)
                .socketBuffers(16 * MIB, 16 * MIB).noDelay(true, 10, 2, true).mtu(1400).ackNoDelay(false).build();
    }

    /**
     * {@code listenEcho} + {@code handleEcho}: Salsa20(pass), FEC (10, 0) (no parity from the server, decoder
     * on demand), stream, wnd 4096/4096, NoDelay(1,10,2,1), mtu 1400, 4 MiB listener buffers.
     */
    static SessionOptions listenEcho() {
        return SessionOptions.builder().cipher("salsa20", PASS).fec(10, 0).streamMode(true).windowSize(4096, 4096)
                .socketBuffers(4 * MIB, 4 * MIB).noDelay(true, 10, 2, true).mtu(1400).ackNoDelay(false).build();
    }

    /** {@code dialSink}: no crypto, no FEC, stream, wnd 1024/1024, 16 MiB buffers, NoDelay(1,10,2,1), mtu 1400. */
    static SessionOptions dialSink() {
        return SessionOptions.builder().streamMode(true).windowSize(1024, 1024).socketBuffers(16 * MIB, 16 * MIB)
                .noDelay(true, 10, 2, true).mtu(1400).ackNoDelay(false).build();
    }

    /** {@code listenSink} + {@code handleSink}: no crypto, no FEC, stream, wnd 4096/4096, NoDelay(1,10,2,1). */
    static SessionOptions listenSink() {
        return SessionOptions.builder().streamMode(true).windowSize(4096, 4096).socketBuffers(4 * MIB, 4 * MIB)
                .noDelay(true, 10, 2, true).mtu(1400).ackNoDelay(false).build();
    }

    /** A loopback listener whose sessions each get a virtual thread that echoes (or discards) everything. */
    static KcpListener server(SessionOptions options, boolean echo) throws IOException {
        KcpListener l = Kcps.listen(new InetSocketAddress("127.0.0.1", 0), options);
        serve(l, echo);
        return l;
    }

    /** Echoes everything on every session {@code l} accepts, each on a virtual thread. */
    static void serveEcho(KcpListener l) {
        serve(l, true);
    }

    /**
     * Echoes everything on every session {@code l} accepts, each on a platform thread (a virtual thread woken by a
     * platform receive loop costs the JDK's scheduler an allocation per wake-up) or a virtual one.
     */
    static void serveEcho(KcpListener l, boolean platform) {
        serve(l, true, platform);
    }

    private static void serve(KcpListener l, boolean echo) {
        serve(l, echo, false);
    }

    private static void serve(KcpListener l, boolean echo, boolean platform) {
        Thread.ofVirtual().name("bench-accept").start(() -> {
            while (true) {
                KcpSession s;
                try {
                    s = l.accept();
                } catch (IOException e) {
                    return;
                }
                (platform ? Thread.ofPlatform().daemon() : Thread.ofVirtual()).name("bench-serve")
                        .start(() -> serve(s, echo));
            }
        });
    }

    private static void serve(KcpSession s, boolean echo) {
        byte[] buf = new byte[65536];
        try (s) {
            while (true) {
                int n = s.read(buf, 0, buf.length);
                if (echo) {
                    s.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // listener closed at teardown
        }
    }
}
