package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.crypto.KeyDerivation;
import kcp.net.testing.VirtualNetwork;

/**
 * Issue 15 attack 2c: captured aes datagrams replayed from new (forged) sources create nothing and are counted in
 * {@code InReplays}; with the filter turned off the same replays do create sessions (what the filter prevents).
 */
@Timeout(60)
class ReplayWiringTest {
    static final byte[] KEY = KeyDerivation.keyFor("aes", KeyDerivation.kcptun("replay"));
    static final SessionOptions AES = SessionIT.FAST.toBuilder().cipher("aes", KEY).fec(10, 3).build();

    /** A transport that records a copy of every datagram it sends. */
    static final class Recording extends ForwardingTransport {
        final java.util.Queue<byte[]> sent = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Recording(DatagramTransport inner) {
            super(inner);
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            byte[] copy = new byte[datagram.remaining()];
            datagram.duplicate().get(copy);
            sent.add(copy);
            super.send(datagram, to);
        }
    }

    /** Echoes 64 KiB from a recorded client through {@code options}' listener; returns the client's datagrams. */
    static List<byte[]> captureAndReplay(SessionOptions options, int sources, long[] replaysAndCreated)
            throws IOException {
        VirtualNetwork net = new VirtualNetwork(7);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), options, net.context())) {
            Recording rec = new Recording(net.endpoint(Virtual.CLIENT));
            KcpSession client = Kcps.dial(rec, Virtual.SERVER, 1, options, net.context());
            Virtual.Pair pair = new Virtual.Pair(net, l, client);
            KcpSession server = pair.accept();
            byte[] data = new byte[64 * 1024];
            new SplittableRandom(3).nextBytes(data);
            byte[] got = Virtual.transfer(net, client, server, data, 1000, 60_000);
            assertArrayEquals(data, got);
            List<byte[]> captured = List.copyOf(rec.sent);

            long replaysBefore = NetStats.global().get(SnmpField.IN_REPLAYS);
            long createdBefore = l.acceptedCount();
            HostileTraffic.replay(HostileTraffic.Target.hook(l), captured, 100, sources,
                    HostileTraffic.Pacer.unbounded());
            net.advance(100);
            replaysAndCreated[0] = NetStats.global().get(SnmpField.IN_REPLAYS) - replaysBefore;
            replaysAndCreated[1] = l.acceptedCount() - createdBefore;
            // the live session is untouched: it still echoes byte-exact
            byte[] more = Arrays.copyOf(data, 8000);
            assertArrayEquals(more, Virtual.transfer(net, client, server, more, 1000, 60_000));
            client.close();
            return captured;
        }
    }

    @Test
    void shouldDropAndCountReplayedAesDatagramsFromNewSourcesAndCreateNoSession() throws IOException {
        long[] counts = new long[2];
        List<byte[]> captured = captureAndReplay(AES, 50, counts);
        assertTrue(captured.size() > 50, "a real session was captured: " + captured.size());
        assertEquals(0, counts[1], "no session from replayed datagrams");
        assertEquals(50L * captured.size(), counts[0], "every replayed datagram is counted in InReplays");
    }

    @Test
    void shouldLetReplaysCreateSessionsWhenTheFilterIsOff() throws IOException {
        long[] counts = new long[2];
        captureAndReplay(AES.toBuilder().replayFilter(false).build(), 5, counts);
        assertEquals(0, counts[0], "nothing counted as a replay");
        assertTrue(counts[1] > 0, "without the filter the replayed sn 0 makes new sessions (the attack)");
    }

    @Test
    void shouldNotFilterWithoutACryptoLayer() throws IOException {
        SessionOptions plain = SessionIT.FAST;
        long[] counts = new long[2];
        captureAndReplay(plain, 2, counts);
        assertEquals(0, counts[0], "no nonce, no filter");
    }
}
