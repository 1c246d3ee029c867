package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection migration over real loopback UDP, Java to Java: a relay between client and server changes the source
 * port the server sees in the middle of a 16 MiB echo, as a NAT rebinding or a network change would.
 */
@Timeout(180)
class MigrationIT {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /**
     * A UDP forwarder for one client: the client sends to {@link #front()}; the relay forwards to the server from an
     * upstream socket, and after {@code switchAfter} client datagrams from a second upstream socket (a new source
     * port), closing the first: the server's late replies to the old port are lost, as behind a rebinding NAT.
     */
    static final class PortSwitchingRelay implements AutoCloseable {
        final DatagramChannel front;
        final DatagramChannel[] upstream = new DatagramChannel[2];
        final InetSocketAddress[] upstreamAddress = new InetSocketAddress[2];
        final InetSocketAddress server;
        final long switchAfter;
        final AtomicLong fromClient = new AtomicLong();
        volatile int current;
        volatile InetSocketAddress client;
        /** A copy of the latest datagram the client sent (for replays). */
        volatile byte[] lastFromClient;

        PortSwitchingRelay(InetSocketAddress server, long switchAfter) throws IOException {
            this.server = server;
            this.switchAfter = switchAfter;
            front = open();
            upstream[0] = open();
            upstream[1] = open();
            upstreamAddress[0] = (InetSocketAddress) upstream[0].getLocalAddress();
            upstreamAddress[1] = (InetSocketAddress) upstream[1].getLocalAddress();
            Thread.ofPlatform().name("relay-front").daemon(true).start(this::forwardToServer);
            for (int i = 0; i < 2; i++) {
                DatagramChannel up = upstream[i];
                Thread.ofPlatform().name("relay-up-" + i).daemon(true).start(() -> forwardToClient(up));
            }
        }

        private static DatagramChannel open() throws IOException {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET).bind(LOOPBACK);
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            return ch;
        }

        InetSocketAddress front() throws IOException {
            return (InetSocketAddress) front.getLocalAddress();
        }

        private void forwardToServer() {
            ByteBuffer b = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    b.clear();
                    client = (InetSocketAddress) front.receive(b);
                    b.flip();
                    byte[] copy = new byte[b.remaining()];
                    b.duplicate().get(copy);
                    lastFromClient = copy;
                    if (fromClient.incrementAndGet() == switchAfter) {
                        current = 1;
                        upstream[0].close();
                    }
                    upstream[current].send(b, server);
                }
            } catch (IOException e) {
                // closed: the relay ends
            }
        }

        private void forwardToClient(DatagramChannel up) {
            ByteBuffer b = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    b.clear();
                    up.receive(b);
                    b.flip();
                    front.send(b, client);
                }
            } catch (IOException e) {
                // closed: this upstream port is gone
            }
        }

        @Override
        public void close() throws IOException {
            front.close();
            upstream[0].close();
            upstream[1].close();
        }
    }

    @Test
    void shouldKeepTheSessionAcrossASourcePortChangeMidStream() throws Exception {
        SessionOptions o = MigrationTest.MIGRATING;
        byte[] data = MigrationTest.random(16 << 20, 16);
        try (KcpListener l = Kcps.listen(LOOPBACK, o);
                PortSwitchingRelay relay = new PortSwitchingRelay(l.localAddress(), 4_000);
                KcpSession c = Kcps.dial(relay.front(), o)) {
            c.write(new byte[] {1});
            KcpSession s = l.accept(Duration.ofSeconds(10));
            assertEquals(relay.upstreamAddress[0], s.remoteAddress());
            s.read(new byte[1]);
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                byte[] buf = new byte[64 << 10];
                try {
                    for (long n = 0; n < data.length; ) {
                        int r = s.read(buf);
                        s.write(buf, 0, r);
                        n += r;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    c.write(data);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            byte[] got = new byte[data.length];
            for (int n = 0; n < got.length; ) {
                n += c.read(got, n, got.length - n);
            }
            writer.join();
            echo.join();
            assertArrayEquals(data, got, "16 MiB echoed byte-exact across the port change");
            ListenerStats st = l.stats();
            assertTrue(relay.fromClient.get() > relay.switchAfter, "the port changed mid-stream");
            assertEquals(relay.upstreamAddress[1], s.remoteAddress(), "the same session object moved");
            assertTrue(s.isOpen());
            assertEquals(1, st.migrations(), st.toString());
            assertEquals(0, st.migrationsRefused(), st.toString());
            assertEquals(1, st.accepted(), "no second session: " + st);
            assertEquals(1, l.sessionCount());
            assertNull(l.poll());
            System.out.println("MIGRATION live: 16 MiB echo, port " + relay.upstreamAddress[0].getPort() + " -> "
                    + relay.upstreamAddress[1].getPort() + " after " + relay.switchAfter + " client datagrams; "
                    + st);
        }
    }

    @Test
    void shouldKeepAKcpGoClientsSessionAcrossASourcePortChange() throws Exception {
        SessionOptions o = GoPeers.javaOptions("aes", 10, 3, false).toBuilder().migration(true).build();
        try (KcpListener l = Kcps.listen(LOOPBACK, o);
                PortSwitchingRelay relay = new PortSwitchingRelay(l.localAddress(), 4_000)) {
            SessionIT.echoServer(l);
            java.util.Map<String, String> go = GoInteropIT.runGoClient(relay.front(), "aes", 10, 3, false, 16 << 20,
                    17);
            ListenerStats st = l.stats();
            assertEquals("ok", go.get("status"), go.toString());
            assertEquals(Integer.toString(16 << 20), go.get("bytes"), go.toString());
            assertTrue(relay.fromClient.get() > relay.switchAfter, "the port changed mid-stream");
            assertEquals(1, st.migrations(), st.toString());
            assertEquals(1, st.accepted(), "kcp-go's client kept its one session: " + st);
            System.out.println("MIGRATION kcp-go 5.6.1 client (aes, FEC 10/3): 16 MiB echoed across a port change; "
                    + st);
        }
    }

    @Test
    void shouldRefuseForgedAndReplayedDatagramsFromAnotherRealSocket() throws Exception {
        SessionOptions o = MigrationTest.MIGRATING;
        try (KcpListener l = Kcps.listen(LOOPBACK, o);
                PortSwitchingRelay relay = new PortSwitchingRelay(l.localAddress(), Long.MAX_VALUE);
                KcpSession c = Kcps.dial(relay.front(), o);
                DatagramChannel attacker = DatagramChannel.open(StandardProtocolFamily.INET).bind(LOOPBACK)) {
            c.write(new byte[] {1, 2, 3});
            KcpSession s = l.accept(Duration.ofSeconds(10));
            s.read(new byte[3]);
            byte[] captured = relay.lastFromClient;
            attacker.send(ByteBuffer.wrap(captured), l.localAddress()); // replayed from a new port
            byte[] flipped = captured.clone();
            flipped[flipped.length - 1] ^= 1;
            attacker.send(ByteBuffer.wrap(flipped), l.localAddress()); // CRC fails
            kcp.crypto.PacketSealer wrong = kcp.crypto.PacketSealer.forName("aes",
                    kcp.crypto.KeyDerivation.keyFor("aes", kcp.crypto.KeyDerivation.kcptun("wrong")));
            attacker.send(MigrationTest.sealed(wrong, c.conv(), 81, 1, 0, new byte[] {'x'}), l.localAddress());
            Await.until(() -> l.stats().migrationsRefused() == 3);
            ListenerStats st = l.stats();
            assertEquals(1, st.migrationsReplayed(), st.toString());
            assertEquals(2, st.migrationsForged(), st.toString());
            assertEquals(0, st.migrations(), st.toString());
            assertEquals(relay.upstreamAddress[0], s.remoteAddress(), "no session moved");
            c.write(new byte[] {4});
            byte[] one = new byte[1];
            s.setReadTimeout(Duration.ofSeconds(10));
            assertEquals(1, s.read(one));
            assertEquals(4, one[0], "the genuine client still reaches it");
        }
    }
}
