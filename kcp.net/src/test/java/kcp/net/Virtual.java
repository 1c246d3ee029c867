package kcp.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;

import kcp.net.testing.VirtualNetwork;

/**
 * Test helpers for sessions in virtual time: every call runs on the test thread, and reads and writes happen only
 * when they cannot block, so a test is a deterministic function of its seed.
 */
final class Virtual {
    static final InetSocketAddress CLIENT = VirtualNetwork.address(1);
    static final InetSocketAddress SERVER = VirtualNetwork.address(2);

    private Virtual() {
    }

    /** A listener at {@link #SERVER} and a client at {@link #CLIENT} with conv 1 on {@code net}. */
    record Pair(VirtualNetwork net, KcpListener listener, KcpSession client) implements AutoCloseable {
        static Pair open(VirtualNetwork net, SessionOptions options) {
            KcpListener l = Kcps.serve(net.endpoint(SERVER), options, net.context());
            KcpSession c = Kcps.dial(net.endpoint(CLIENT), SERVER, 1, options, net.context());
            return new Pair(net, l, c);
        }

        /** Sends one byte from the client and accepts the session it creates. */
        KcpSession accept() throws IOException {
            client.write(new byte[] {0});
            assertTrue(net.runUntil(() -> listener.sessionCount() > 0, 10_000), "the listener saw the client");
            KcpSession s = listener.accept(Duration.ofSeconds(10));
            assertTrue(net.runUntil(() -> s.available() > 0, 10_000));
            s.read(new byte[1]);
            return s;
        }

        @Override
        public void close() {
            client.close();
            listener.close();
        }
    }

    /**
     * Sends {@code data} from {@code from} to {@code to}, advancing virtual time; writes only while the send window
     * has room and reads only what is ready. Fails if it takes more than {@code maxMs} of virtual time.
     */
    static byte[] transfer(VirtualNetwork net, KcpSession from, KcpSession to, byte[] data, int chunk, int maxMs) {
        byte[] got = new byte[data.length];
        int[] sent = {0};
        int[] received = {0};
        int sndWnd = from.options().sndWnd();
        boolean done = net.runUntil(() -> {
            try {
                while (sent[0] < data.length && from.waitSnd() < sndWnd) {
                    int n = Math.min(chunk, data.length - sent[0]);
                    from.write(data, sent[0], n);
                    sent[0] += n;
                }
                while (to.available() > 0 && received[0] < got.length) {
                    received[0] += to.read(got, received[0], got.length - received[0]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return received[0] == data.length;
        }, maxMs);
        assertTrue(done, "transferred " + received[0] + " of " + data.length + " bytes in " + maxMs + " virtual ms");
        return got;
    }
}
