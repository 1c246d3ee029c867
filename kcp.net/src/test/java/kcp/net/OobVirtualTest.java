package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
import kcp.fec.OobPacket;
import kcp.net.testing.VirtualNetwork;

/**
 * OOB datagrams (kcp-go v5.6.72 SendOOB / SetOOBHandler / GetOOBMaxSize) between Java sessions in virtual time over
 * the in-memory network: every payload length byte-exact in both directions (with and without crypto), seeded loss,
 * OOB interleaved with a reliable transfer, the bounded queue, crafted bad datagrams, OOB without FEC, a throwing
 * handler, and the listener's routing. Deterministic: every datagram and every loss follows from the seeds.
 */
@Timeout(120)
class OobVirtualTest {
    static final SessionOptions FEC = SessionIT.FAST.toBuilder().fec(10, 3).build();

    /** A raw endpoint's receiver: it ignores what it is sent. */
    static final DatagramTransport.Receiver DEAF = new DatagramTransport.Receiver() {
        @Override
        public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
        }

        @Override
        public void onReceiveFailed(IOException e) {
        }
    };

    static SessionOptions withCipher(SessionOptions o, String cipher) {
        return "plain".equals(cipher) ? o
                : o.toBuilder().cipher(cipher, KeyDerivation.keyFor(cipher, KeyDerivation.kcptun("oob"))).build();
    }

    /** Payload {@code id} of {@code len} bytes: its first bytes name it, so a mixed-up delivery shows. */
    static byte[] payload(int id, int len) {
        byte[] b = new byte[len];
        new SplittableRandom(id * 1_000_003L + len).nextBytes(b);
        for (int i = 0; i < Math.min(4, len); i++) {
            b[i] = (byte) (id >>> (8 * i));
        }
        return b;
    }

    static int id(byte[] b) {
        int id = 0;
        for (int i = 0; i < Math.min(4, b.length); i++) {
            id |= (b[i] & 0xFF) << (8 * i);
        }
        return id;
    }

    /** Collects copies of the payloads a handler receives. */
    static List<byte[]> collect(KcpSession s) {
        List<byte[]> got = new ArrayList<>();
        s.setOobHandler((buf, off, len) -> got.add(Arrays.copyOfRange(buf, off, off + len)));
        return got;
    }

    static long count(KcpSession s, SnmpField f) {
        return s.stats().get(f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "aes", "aes-128-gcm"})
    void shouldDeliverEveryPayloadLengthByteExactBothWays(String cipher) throws IOException {
        VirtualNetwork net = new VirtualNetwork(11);
        try (Virtual.Pair p = Virtual.Pair.open(net, withCipher(FEC, cipher)); KcpSession server = p.accept()) {
            KcpSession client = p.client();
            int max = client.oobMaxSize();
            assertEquals(1400 - PacketSealerSizes.of(cipher) - 8 - 4, max, "kcp-go GetOOBMaxSize");
            assertEquals(max, server.oobMaxSize());
            List<byte[]> atServer = collect(server);
            List<byte[]> atClient = collect(client);
            for (int len = 0; len <= max; len++) {
                client.sendOob(payload(len, len), 0, len);
                server.sendOob(ByteBuffer.wrap(payload(len + 100_000, len)));
                net.advance(1);
            }
            net.advance(50);
            assertEquals(max + 1, atServer.size());
            assertEquals(max + 1, atClient.size());
            for (int len = 0; len <= max; len++) {
                assertArrayEquals(payload(len, len), atServer.get(len), "client to server, length " + len);
                assertArrayEquals(payload(len + 100_000, len), atClient.get(len), "server to client, length " + len);
            }
            assertEquals(max + 1, count(server, SnmpField.OOB_PACKETS));
            assertEquals(max + 1, count(client, SnmpField.OOB_PACKETS));
            assertEquals(0, count(server, SnmpField.IN_ERRS) + count(client, SnmpField.IN_ERRS));
            IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                    () -> client.sendOob(new byte[max + 1], 0, max + 1));
            assertTrue(tooLarge.getMessage().contains("oobMaxSize() is " + max), tooLarge.getMessage());
        }
    }

    /** Crypto header + trailer per cipher name, as the sealer reports it. */
    static final class PacketSealerSizes {
        static int of(String cipher) {
            if ("plain".equals(cipher)) {
                return 0;
            }
            PacketSealer s = PacketSealer.forName(cipher, KeyDerivation.keyFor(cipher, KeyDerivation.kcptun("x")));
            return s.headerSize() + s.trailerSize();
        }
    }

    @Test
    void shouldDeliverWhatSeededLossLeavesByteExactAndNeverRetransmit() throws IOException {
        VirtualNetwork net = new VirtualNetwork(12);
        net.link(Virtual.CLIENT, Virtual.SERVER, 20, 5, 15, 0, true);
        try (Virtual.Pair p = Virtual.Pair.open(net, withCipher(FEC, "aes-128-gcm")); KcpSession server = p.accept()) {
            List<byte[]> got = collect(server);
            net.advance(3_000); // the accept's segment and its ACKs settle first
            long sentBefore = net.linkFrom(Virtual.CLIENT, Virtual.SERVER).sent();
            long droppedBefore = net.linkFrom(Virtual.CLIENT, Virtual.SERVER).dropped();
            int n = 2_000;
            for (int i = 0; i < n; i++) {
                p.client().sendOob(payload(i, i % 200), 0, i % 200);
            }
            net.advance(1_000);
            long sent = net.linkFrom(Virtual.CLIENT, Virtual.SERVER).sent() - sentBefore;
            long lost = net.linkFrom(Virtual.CLIENT, Virtual.SERVER).dropped() - droppedBefore;
            assertEquals(n, sent, "one datagram per OOB payload, nothing resent: OOB bypasses KCP");
            assertTrue(lost > n / 10 && lost < n / 3, "about 20% lost: " + lost);
            assertEquals(n - lost, got.size(), "everything the link delivered, nothing more");
            boolean reordered = false;
            int last = -1;
            for (byte[] b : got) {
                if (b.length >= 4) {
                    int id = id(b);
                    assertArrayEquals(payload(id, id % 200), b, "payload " + id);
                    reordered |= id < last;
                    last = id;
                }
            }
            assertTrue(reordered, "the link reorders and OOB keeps no order");
        }
    }

    @Test
    void shouldKeepAReliableTransferByteExactWhileOobDatagramsInterleaveOverALossyLink() throws IOException {
        VirtualNetwork net = new VirtualNetwork(13);
        net.link(Virtual.CLIENT, Virtual.SERVER, 5, 5, 20, 0, true);
        try (Virtual.Pair p = Virtual.Pair.open(net, withCipher(FEC, "aes")); KcpSession server = p.accept()) {
            KcpSession client = p.client();
            List<byte[]> oobAtServer = collect(server);
            byte[] data = new byte[1 << 20];
            new SplittableRandom(13).nextBytes(data);
            byte[] got = new byte[data.length];
            int[] sent = {0};
            int[] received = {0};
            int[] oobSent = {0};
            boolean done = net.runUntil(() -> {
                try {
                    while (sent[0] < data.length && client.waitSnd() < client.options().sndWnd()) {
                        int n = Math.min(3000, data.length - sent[0]);
                        client.write(data, sent[0], n);
                        sent[0] += n;
                        client.sendOob(payload(oobSent[0], 100), 0, 100);
                        oobSent[0]++;
                    }
                    while (server.available() > 0) {
                        received[0] += server.read(got, received[0], got.length - received[0]);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return received[0] == data.length;
            }, 120_000);
            assertTrue(done, "received " + received[0]);
            assertArrayEquals(data, got, "the stream stays byte-exact");
            assertTrue(oobSent[0] > 300, "OOB datagrams went between the writes: " + oobSent[0]);
            assertTrue(oobAtServer.size() > oobSent[0] * 8 / 10 && oobAtServer.size() <= oobSent[0],
                    oobAtServer.size() + " of " + oobSent[0]);
            for (byte[] b : oobAtServer) {
                assertArrayEquals(payload(id(b), 100), b);
            }
        }
    }

    @Test
    void shouldKeepTheNewestDatagramsAndCountTheDroppedOldestWhenTheApplicationDoesNotRead() throws Exception {
        VirtualNetwork net = new VirtualNetwork(14);
        SessionOptions o = FEC.toBuilder().limits(Limits.defaults().withOobQueue(8)).build();
        try (Virtual.Pair p = Virtual.Pair.open(net, o); KcpSession server = p.accept()) {
            for (int i = 0; i < 20; i++) {
                p.client().sendOob(payload(i, 50), 0, 50);
            }
            net.advance(50);
            assertEquals(20, count(server, SnmpField.OOB_PACKETS));
            assertEquals(12, count(server, SnmpField.OOB_DROPS), "the 12 oldest were dropped");
            byte[] buf = new byte[server.oobMaxSize()];
            for (int i = 12; i < 20; i++) {
                int n = server.receiveOob(buf, 0, buf.length, Duration.ofSeconds(1));
                assertArrayEquals(payload(i, 50), Arrays.copyOf(buf, n), "oldest kept first");
            }
            // a short buffer gets the payload's head and learns its length
            p.client().sendOob(payload(99, 50), 0, 50);
            net.advance(10);
            byte[] small = new byte[10];
            assertEquals(50, server.receiveOob(small, 0, small.length, Duration.ZERO));
            assertArrayEquals(Arrays.copyOf(payload(99, 50), 10), small);
            // an empty queue blocks until the (virtual) timeout
            CompletableFuture<Throwable> waiting = VirtualSessionTest.blocked(
                    () -> server.receiveOob(buf, 0, buf.length, Duration.ofMillis(100)));
            net.advance(101);
            Throwable e = waiting.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SocketTimeoutException.class, e);
            // and a blocked receiver wakes with the next datagram
            ByteBuffer into = ByteBuffer.allocateDirect(1500);
            CompletableFuture<Throwable> woken = VirtualSessionTest.blocked(
                    () -> server.receiveOob(into, Duration.ZERO));
            p.client().sendOob(payload(7, 30), 0, 30);
            net.advance(10);
            assertEquals(null, woken.get(10, TimeUnit.SECONDS));
            into.flip();
            byte[] seven = new byte[into.remaining()];
            into.get(seven);
            assertArrayEquals(payload(7, 30), seven);
            // close wakes a blocked receiver
            CompletableFuture<Throwable> closing = VirtualSessionTest.blocked(
                    () -> server.receiveOob(buf, 0, buf.length, Duration.ZERO));
            server.close();
            Throwable closed = closing.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SocketException.class, closed);
            assertEquals("Socket closed", closed.getMessage());
        }
    }

    @Test
    void shouldQueueNothingForAnEmbryonicListenerSessionAndEverythingOnceItDeliveredData() throws IOException {
        VirtualNetwork net = new VirtualNetwork(21);
        SessionOptions o = withCipher(FEC, "aes");
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            HostileTraffic gen = new HostileTraffic(o, 5);
            PacketSealer sealer = o.newSealer();
            byte[] buf = new byte[1500];
            InetSocketAddress src = HostileTraffic.forgedSource(1);
            l.deliver(buf, gen.push(buf, 77, 1, 10), src); // sn 1 without sn 0: an embryonic session
            assertEquals(1, l.sessionCount());
            long packets = NetStats.global().get(SnmpField.OOB_PACKETS);
            long drops = NetStats.global().get(SnmpField.OOB_DROPS);
            for (int i = 0; i < 10; i++) {
                l.deliver(buf, sealOob(sealer, buf, 77, payload(i, 1000)), src);
            }
            assertEquals(packets + 10, NetStats.global().get(SnmpField.OOB_PACKETS));
            assertEquals(drops + 10, NetStats.global().get(SnmpField.OOB_DROPS), "no queue before accept is possible");
            l.deliver(buf, gen.push(buf, 77, 0, 10), src); // sn 0: in-order data, the session is acceptable
            KcpSession s = l.accept(Duration.ofSeconds(1));
            l.deliver(buf, sealOob(sealer, buf, 77, payload(11, 1000)), src);
            assertEquals(drops + 10, NetStats.global().get(SnmpField.OOB_DROPS));
            byte[] got = new byte[s.oobMaxSize()];
            assertEquals(1000, s.receiveOob(got, 0, got.length, Duration.ZERO));
            assertArrayEquals(payload(11, 1000), Arrays.copyOf(got, 1000));
        }
    }

    /** Seals an OOB packet into {@code buf} at offset 0 and returns the datagram's length. */
    static int sealOob(PacketSealer sealer, byte[] buf, int conv, byte[] payload) {
        int n = OobPacket.encode(buf, sealer.headerSize(), conv, payload, 0, payload.length);
        return sealer.seal(buf, 0, n);
    }

    @Test
    void shouldRefuseOobWithoutFecWithAMessageThatSaysHowToEnableIt() throws IOException {
        VirtualNetwork net = new VirtualNetwork(15);
        try (Virtual.Pair p = Virtual.Pair.open(net, SessionIT.FAST)) {
            KcpSession c = p.client();
            assertEquals(0, c.oobMaxSize(), "kcp-go GetOOBMaxSize without FEC");
            for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> c.sendOob(new byte[1], 0, 1),
                    () -> c.sendOob(ByteBuffer.allocate(1)), () -> c.setOobHandler((b, o, l) -> { }),
                    () -> c.receiveOob(new byte[1], 0, 1, Duration.ZERO))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertTrue(e.getMessage().contains("OOB requires FEC to be enabled"), e.getMessage());
                assertTrue(e.getMessage().contains("fec(10, 3)"), e.getMessage());
            }
        }
    }

    /** A raw endpoint at the server's address that sends crafted datagrams to a dialled client session. */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "aes", "aes-128-gcm"})
    void shouldDropAndCountEveryMalformedOrForeignOobDatagram(String cipher) throws IOException {
        VirtualNetwork net = new VirtualNetwork(16);
        SessionOptions o = withCipher(FEC, cipher);
        DatagramTransport raw = net.endpoint(Virtual.SERVER);
        raw.start(DEAF, ReceiveThreadKind.PLATFORM);
        int conv = 0x01020304;
        try (KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, conv, o, net.context())) {
            List<byte[]> got = collect(c);
            Forger f = new Forger(o, raw, Virtual.CLIENT);
            f.send(Forger.oob(conv, payload(1, 20)), 0); // valid
            byte[] wrongConv = Forger.oob(conv + 1, payload(2, 20));
            byte[] badSeqid = Forger.oob(conv, payload(3, 20));
            badSeqid[0] = 0;
            byte[] badSize = Forger.oob(conv, payload(4, 20));
            badSize[6]++;
            byte[] padded = Arrays.copyOf(Forger.oob(conv, payload(5, 20)), 12 + 20 + 3);
            byte[] truncated = Arrays.copyOf(Forger.oob(conv, payload(6, 20)), 10);
            for (byte[] bad : List.of(wrongConv, badSeqid, badSize, padded, truncated)) {
                f.send(bad, 0);
            }
            if (!"plain".equals(cipher)) {
                f.send(Forger.oob(conv, payload(7, 20)), 1); // sealed with another key
            }
            net.advance(20);
            assertEquals(1, got.size(), "only the valid datagram reaches the handler");
            assertArrayEquals(payload(1, 20), got.get(0));
            assertEquals(1, count(c, SnmpField.OOB_PACKETS));
            assertEquals(5, count(c, SnmpField.IN_ERRS), "wrong conv, seqid, size field, padding, truncation");
            assertEquals("plain".equals(cipher) ? 0 : 1, count(c, SnmpField.IN_CSUM_ERRORS));
            assertEquals(0, count(c, SnmpField.KCP_IN_ERRORS), "none of them reached KCP");
        } finally {
            raw.close();
        }
    }

    @Test
    void shouldDropAndCountOobThatReachesASessionWithoutFecInsteadOfFeedingItToKcp() throws IOException {
        VirtualNetwork net = new VirtualNetwork(17);
        DatagramTransport raw = net.endpoint(Virtual.SERVER);
        raw.start(DEAF, ReceiveThreadKind.PLATFORM);
        try (KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, 9, SessionIT.FAST,
                net.context())) {
            new Forger(SessionIT.FAST, raw, Virtual.CLIENT).send(Forger.oob(9, payload(1, 20)), 0);
            net.advance(20);
            assertEquals(1, count(c, SnmpField.IN_ERRS));
            assertEquals(0, count(c, SnmpField.OOB_PACKETS));
            assertEquals(0, count(c, SnmpField.KCP_IN_ERRORS));
        } finally {
            raw.close();
        }
    }

    @Test
    void shouldCountAndLogAThrowingHandlerAndKeepTheReceiveLoopServing() throws IOException {
        VirtualNetwork net = new VirtualNetwork(18);
        try (Virtual.Pair p = Virtual.Pair.open(net, FEC); KcpSession server = p.accept()) {
            server.setOobHandler((b, o, l) -> {
                throw new IllegalStateException("handler bug");
            });
            for (int i = 0; i < 5; i++) {
                p.client().sendOob(payload(i, 10), 0, 10);
            }
            net.advance(20);
            assertEquals(5, count(server, SnmpField.OOB_DROPS));
            byte[] data = payload(42, 50_000);
            assertArrayEquals(data, Virtual.transfer(net, p.client(), server, data, 1000, 30_000),
                    "the stream still flows");
            List<byte[]> got = collect(server);
            p.client().sendOob(payload(8, 10), 0, 10);
            net.advance(20);
            assertEquals(1, got.size());
        }
    }

    @Test
    void shouldGiveAListenersSessionItsOobAndNeverCreateOrResetASessionForOne() throws IOException {
        VirtualNetwork net = new VirtualNetwork(19);
        InetSocketAddress other = VirtualNetwork.address(3);
        try (Virtual.Pair p = Virtual.Pair.open(net, FEC); KcpSession server = p.accept()) {
            // a second client creates a session, then its address goes raw (the session stays at the server)
            DatagramTransport second = net.endpoint(other);
            KcpSession c2 = Kcps.dial(second, Virtual.SERVER, 7, FEC, net.context());
            c2.write(new byte[] {1});
            assertTrue(net.runUntil(() -> p.listener().sessionCount() == 2, 5_000));
            KcpSession s2 = p.listener().accept(Duration.ofSeconds(5));
            c2.close();
            List<byte[]> got = collect(s2);
            DatagramTransport raw = net.endpoint(other);
            raw.start(DEAF, ReceiveThreadKind.PLATFORM);
            Forger f = new Forger(FEC, raw, Virtual.SERVER);
            f.send(Forger.oob(7, payload(1, 30)), 0);
            f.send(Forger.oob(8, payload(2, 30)), 0); // another conv from a known address: kcp-go would reset
            net.advance(20);
            assertEquals(1, got.size());
            assertArrayEquals(payload(1, 30), got.get(0));
            assertEquals(1, count(s2, SnmpField.IN_ERRS), "the foreign conv is dropped and counted");
            assertTrue(s2.isOpen(), "and resets nothing");
            assertEquals(2, p.listener().sessionCount());
            // OOB from an unknown address creates no session
            DatagramTransport stranger = net.endpoint(VirtualNetwork.address(4));
            stranger.start(DEAF, ReceiveThreadKind.PLATFORM);
            new Forger(FEC, stranger, Virtual.SERVER).send(Forger.oob(7, payload(3, 30)), 0);
            net.advance(20);
            assertEquals(2, p.listener().sessionCount());
            raw.close();
            stranger.close();
        }
    }

    @Test
    void shouldRunAt61BytesWithAesGcmAndFecAndRefuseOneByteLess() throws IOException {
        SessionOptions gcm = withCipher(FEC, "aes-128-gcm");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gcm.toBuilder().mtu(60).build());
        assertTrue(e.getMessage().contains("[61, 1500]") && e.getMessage().contains("floor"), e.getMessage());
        VirtualNetwork net = new VirtualNetwork(20);
        try (Virtual.Pair p = Virtual.Pair.open(net, gcm.toBuilder().mtu(61).build()); KcpSession server = p.accept()) {
            byte[] data = payload(61, 20_000);
            assertArrayEquals(data, Virtual.transfer(net, p.client(), server, data, 500, 120_000));
            assertEquals(61 - 28 - 8 - 4, p.client().oobMaxSize());
            List<byte[]> got = collect(server);
            p.client().sendOob(payload(5, 21), 0, 21);
            net.advance(10);
            assertArrayEquals(payload(5, 21), got.get(0));
            IllegalArgumentException runtime = assertThrows(IllegalArgumentException.class,
                    () -> p.client().setMtu(60));
            assertTrue(runtime.getMessage().contains("61"), runtime.getMessage());
            p.client().setMtu(1400);
            assertEquals(1400 - 28 - 8 - 4, p.client().oobMaxSize(), "setMtu moves oobMaxSize");
        }
    }

    /** Builds and seals OOB datagrams by hand with kcp.fec and kcp.crypto, as a peer (or a stranger) would. */
    static final class Forger {
        private final PacketSealer sealer;
        private final PacketSealer foreign;
        private final DatagramTransport from;
        private final InetSocketAddress to;

        Forger(SessionOptions o, DatagramTransport from, InetSocketAddress to) {
            this.sealer = o.newSealer();
            this.foreign = o.cipherName() == null ? null
                    : PacketSealer.forName(o.cipherName(), KeyDerivation.keyFor(o.cipherName(),
                            KeyDerivation.kcptun("another key")));
            this.from = from;
            this.to = to;
        }

        /** An OOB packet (FEC header + conv + payload), unsealed. */
        static byte[] oob(int conv, byte[] payload) {
            byte[] b = new byte[OobPacket.HEADER_SIZE + payload.length];
            OobPacket.encode(b, 0, conv, payload, 0, payload.length);
            return b;
        }

        /** Seals {@code plain} with the session's key (key 0) or another one (key 1) and sends it. */
        void send(byte[] plain, int key) throws IOException {
            PacketSealer s = key == 0 ? sealer : foreign;
            byte[] d = new byte[1500];
            int h = s == null ? 0 : s.headerSize();
            System.arraycopy(plain, 0, d, h, plain.length);
            int n = s == null ? plain.length : s.seal(d, 0, plain.length);
            from.send(ByteBuffer.wrap(d, 0, n), to);
        }
    }
}
