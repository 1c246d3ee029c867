package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
import kcp.net.testing.VirtualNetwork;

/**
 * Connection migration in virtual time: a client whose source address changes mid-stream keeps its session (same
 * object, KCP state kept); forged, replayed, colliding and stale datagrams from new addresses move nothing and are
 * counted; the mode is refused without crypto; off by default.
 */
@Timeout(120)
class MigrationTest {
    static final byte[] KEY = KeyDerivation.keyFor("aes", KeyDerivation.kcptun("migration"));
    static final SessionOptions AES = SessionIT.FAST.toBuilder().cipher("aes", KEY).build();
    static final SessionOptions MIGRATING = AES.toBuilder().migration(true).build();
    static final InetSocketAddress FIRST = VirtualNetwork.address(1);
    static final InetSocketAddress SECOND = VirtualNetwork.address(3);
    static final InetSocketAddress STRANGER = VirtualNetwork.address(5);
    static final int CONV = 0x5eed;

    /** A client carrier with two source addresses (a phone on wifi, then on cellular); records what it sends. */
    static final class Roaming implements DatagramTransport {
        final DatagramTransport[] endpoints;
        final ConcurrentLinkedDeque<byte[]> sent = new ConcurrentLinkedDeque<>();
        volatile int current;

        Roaming(VirtualNetwork net) {
            endpoints = new DatagramTransport[] {net.endpoint(FIRST), net.endpoint(SECOND)};
        }

        /** From now on sends from the second address; the first one is gone (its late replies are lost). */
        void roam() {
            current = 1;
            endpoints[0].close();
        }

        @Override
        public InetSocketAddress localAddress() {
            return endpoints[current].localAddress();
        }

        @Override
        public void start(Receiver receiver, ReceiveThreadKind threadKind) {
            for (DatagramTransport t : endpoints) {
                t.start(receiver, threadKind);
            }
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            byte[] copy = new byte[datagram.remaining()];
            datagram.duplicate().get(copy);
            sent.addLast(copy);
            if (sent.size() > 64) {
                sent.pollFirst();
            }
            endpoints[current].send(datagram, to);
        }

        @Override
        public void close() {
            for (DatagramTransport t : endpoints) {
                t.close();
            }
        }
    }

    /** A client and the server session it opened, over a {@link Roaming} carrier. */
    record Setup(VirtualNetwork net, KcpListener listener, Roaming carrier, KcpSession client, KcpSession server)
            implements AutoCloseable {
        static Setup open(long seed, SessionOptions options) throws IOException {
            VirtualNetwork net = new VirtualNetwork(seed);
            KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), options, net.context());
            Roaming carrier = new Roaming(net);
            KcpSession c = Kcps.dial(carrier, Virtual.SERVER, CONV, options, net.context());
            c.write(new byte[] {7});
            assertTrue(net.runUntil(() -> l.sessionCount() == 1, 10_000));
            KcpSession s = l.accept(Duration.ofSeconds(1));
            assertTrue(net.runUntil(() -> s.available() > 0, 10_000));
            s.read(new byte[1]);
            return new Setup(net, l, carrier, c, s);
        }

        @Override
        public void close() {
            client.close();
            listener.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /**
     * Sends {@code data} from {@code from} to {@code to} in virtual time like {@link Virtual#transfer}, calling
     * {@code midway} once when half of it has been received.
     */
    static byte[] transfer(VirtualNetwork net, KcpSession from, KcpSession to, byte[] data, Runnable midway) {
        byte[] got = new byte[data.length];
        int[] sent = {0};
        int[] received = {0};
        boolean[] called = {false};
        boolean done = net.runUntil(() -> {
            try {
                while (sent[0] < data.length && from.waitSnd() < from.options().sndWnd()) {
                    int n = Math.min(8192, data.length - sent[0]);
                    from.write(data, sent[0], n);
                    sent[0] += n;
                }
                while (to.available() > 0 && received[0] < got.length) {
                    received[0] += to.read(got, received[0], got.length - received[0]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!called[0] && received[0] >= data.length / 2) {
                called[0] = true;
                midway.run();
            }
            return received[0] == data.length;
        }, 600_000);
        assertTrue(done, "transferred " + received[0] + " of " + data.length + " bytes");
        return got;
    }

    /** A KCP segment (conv, cmd, wnd 128, ts 0, sn, una, payload), sealed with {@code sealer}. */
    static ByteBuffer sealed(PacketSealer sealer, int conv, int cmd, int sn, int una, byte[] payload) {
        ByteBuffer seg = ByteBuffer.allocate(24 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        seg.putInt(conv).put((byte) cmd).put((byte) 0).putShort((short) 128).putInt(0).putInt(sn).putInt(una)
                .putInt(payload.length).put(payload);
        byte[] buf = new byte[sealer.headerSize() + seg.capacity() + sealer.trailerSize()];
        System.arraycopy(seg.array(), 0, buf, sealer.headerSize(), seg.capacity());
        return ByteBuffer.wrap(buf, 0, sealer.seal(buf, 0, seg.capacity()));
    }

    @Test
    void shouldMoveTheSessionWhenTheClientChangesAddressMidStream() throws Exception {
        try (Setup x = Setup.open(1, MIGRATING)) {
            assertEquals(FIRST, x.server().remoteAddress());
            byte[] up = random(16 << 20, 1);
            assertArrayEquals(up, transfer(x.net(), x.client(), x.server(), up, x.carrier()::roam),
                    "16 MiB byte-exact across the address change");
            byte[] down = random(1 << 20, 2);
            assertArrayEquals(down, transfer(x.net(), x.server(), x.client(), down, () -> { }),
                    "the server's replies reach the new address");
            ListenerStats st = x.listener().stats();
            assertEquals(SECOND, x.server().remoteAddress());
            assertEquals(1, st.migrations(), st.toString());
            assertEquals(0, st.migrationsRefused(), st.toString());
            assertEquals(1, st.accepted(), "no second session: " + st);
            assertEquals(1, x.listener().sessionCount());
            assertNull(x.listener().poll(), "nothing new to accept");
            assertTrue(x.server().isOpen() && x.client().isOpen());
        }
    }

    @Test
    void shouldNotMoveSessionsByDefaultAsKcpGo() throws Exception {
        try (Setup x = Setup.open(2, AES)) {
            x.carrier().roam();
            x.client().write(new byte[] {1, 2, 3});
            x.net().advance(2_000);
            ListenerStats st = x.listener().stats();
            assertEquals(FIRST, x.server().remoteAddress(), "routing by address: the session stays");
            assertEquals(0, st.migrations());
            assertEquals(0, x.server().available(), "the new address reaches another, embryonic session");
            assertEquals(2, st.accepted(), st.toString());
        }
    }

    @Test
    void shouldRefuseForgedReplayedAndUnknownDatagramsFromNewAddresses() throws Exception {
        try (Setup x = Setup.open(3, MIGRATING)) {
            byte[] data = random(256 << 10, 3);
            assertArrayEquals(data, transfer(x.net(), x.client(), x.server(), data, () -> { }));
            VirtualListenerTest.Raw attacker = new VirtualListenerTest.Raw(x.net(), 5);
            int sn = 200; // in the session's window: only the crypto stops these
            PacketSealer wrongKey = PacketSealer.forName("aes",
                    KeyDerivation.keyFor("aes", KeyDerivation.kcptun("guess")));
            attacker.send(sealed(wrongKey, CONV, 81, sn, 0, new byte[] {'x'}));
            ByteBuffer flipped = sealed(AES.newSealer(), CONV, 81, sn, 0, new byte[] {'x'});
            flipped.array()[flipped.limit() - 1] ^= 1; // a valid datagram with one bit changed: CRC fails
            attacker.send(flipped);
            attacker.send(ByteBuffer.wrap(x.carrier().sent.peekLast())); // the client's latest datagram, replayed
            attacker.send(sealed(AES.newSealer(), 999, 82, 0, 0, new byte[0])); // unknown conv, cannot open one
            x.net().advance(100);
            ListenerStats st = x.listener().stats();
            assertEquals(2, st.migrationsForged(), st.toString());
            assertEquals(1, st.migrationsReplayed(), st.toString());
            assertEquals(1, st.migrationsUnknownConv(), st.toString());
            assertEquals(0, st.migrations(), st.toString());
            assertEquals(FIRST, x.server().remoteAddress(), "no session moved");
            assertEquals(1, x.listener().sessionCount());
            assertTrue(attacker.received.isEmpty(), "nothing was sent to the attacker");
            byte[] more = random(64 << 10, 4);
            assertArrayEquals(more, transfer(x.net(), x.server(), x.client(), more, () -> { }), "still working");
        }
    }

    @Test
    void shouldRefuseASecondClientWithTheSameConvOnceTheConversationHasMoved() throws Exception {
        try (Setup x = Setup.open(4, MIGRATING)) {
            byte[] data = random(4 << 20, 5); // ~3,000 segments: past twice the 512-segment windows
            assertArrayEquals(data, transfer(x.net(), x.client(), x.server(), data, () -> { }));
            try (KcpSession twin = Kcps.dial(x.net().endpoint(VirtualNetwork.address(4)), Virtual.SERVER, CONV, AES,
                    x.net().context())) {
                twin.write(new byte[] {'t', 'w', 'i', 'n'});
                x.net().advance(3_000);
                ListenerStats st = x.listener().stats();
                assertTrue(st.migrationsOutOfWindow() > 0, st.toString());
                assertEquals(0, st.migrations(), st.toString());
                assertEquals(FIRST, x.server().remoteAddress(), "the live client keeps its session");
                assertEquals(1, st.accepted(), "no session for the twin either: its conv is taken");
                assertEquals(0, x.server().available(), "none of the twin's bytes reached the session");
            }
            byte[] more = random(64 << 10, 6);
            assertArrayEquals(more, transfer(x.net(), x.client(), x.server(), more, () -> { }));
        }
    }

    @Test
    void shouldRefuseAStaleDatagramReplayedAfterTheReplayWindow() throws Exception {
        SessionOptions o = MIGRATING.toBuilder().limits(MIGRATING.limits().withReplayWindow(Duration.ofSeconds(1)))
                .build();
        try (Setup x = Setup.open(5, o)) {
            byte[] first = x.carrier().sent.peekFirst(); // the client's first datagram: PUSH sn 0, una 0
            byte[] data = random(4 << 20, 7);
            assertArrayEquals(data, transfer(x.net(), x.client(), x.server(), data, () -> { }));
            x.net().advance(5_000); // the replay filter has forgotten the nonce
            VirtualListenerTest.Raw attacker = new VirtualListenerTest.Raw(x.net(), 5);
            attacker.send(ByteBuffer.wrap(first));
            x.net().advance(100);
            ListenerStats st = x.listener().stats();
            assertEquals(0, st.migrationsReplayed(), "past the replay window: " + st);
            assertEquals(1, st.migrationsOutOfWindow(), st.toString());
            assertEquals(FIRST, x.server().remoteAddress());
            assertTrue(attacker.received.isEmpty());
        }
    }

    @Test
    void shouldRefuseAnOldAcknowledgementReplayedWhileTheConversationIdles() throws Exception {
        SessionOptions o = MIGRATING.toBuilder().limits(MIGRATING.limits().withReplayWindow(Duration.ofSeconds(1)))
                .build();
        try (Setup x = Setup.open(7, o)) {
            byte[] down = random(20_000, 8);
            assertArrayEquals(down, transfer(x.net(), x.server(), x.client(), down, () -> { }));
            x.net().advance(200);
            byte[] ack = x.carrier().sent.peekLast(); // the client's last datagram: ACKs of the server's data
            x.net().advance(5_000); // nothing moves in the conversation; the replay filter forgets the nonce
            VirtualListenerTest.Raw attacker = new VirtualListenerTest.Raw(x.net(), 5);
            attacker.send(ByteBuffer.wrap(ack));
            x.net().advance(100);
            ListenerStats st = x.listener().stats();
            assertEquals(0, st.migrationsReplayed(), st.toString());
            assertEquals(1, st.migrationsOutOfWindow(), "its ts echoes the server's clock of 5 s ago: " + st);
            assertEquals(FIRST, x.server().remoteAddress());
        }
    }

    @Test
    void shouldRefuseMigrationWithoutAuthentication() {
        VirtualNetwork net = new VirtualNetwork(6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kcps.serve(
                net.endpoint(VirtualNetwork.address(10)), SessionIT.FAST.toBuilder().migration(true).build(),
                net.context()));
        assertTrue(e.getMessage().contains("configure a cipher"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kcps.serve(net.endpoint(VirtualNetwork.address(11)),
                SessionIT.FAST.toBuilder().migration(true).cipher("none", KEY).build(), net.context()));
        assertTrue(e.getMessage().contains("configure a cipher") && e.getMessage().contains("\"none\""),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kcps.serve(net.endpoint(VirtualNetwork.address(12)),
                MIGRATING.toBuilder().replayFilter(false).build(), net.context()));
        assertTrue(e.getMessage().contains("replay filter"), e.getMessage());
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), MIGRATING, net.context())) {
            assertTrue(l.options().listener().migration());
            assertTrue(MIGRATING.toBuilder().build().listener().migration(), "the builder copies the flag");
        }
    }
}
