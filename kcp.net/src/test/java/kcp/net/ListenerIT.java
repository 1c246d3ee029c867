package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The listener over real sockets: closing, a served channel that dies, floods of junk and of source ports, spoofed
 * addresses. kcp-go's routing rules (replacement, quiet period, backlog, windows from the first packet) run in
 * virtual time in {@link VirtualListenerTest}.
 */
@Timeout(60)
class ListenerIT {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** A 24-byte KCP header plus payload: conv, cmd, frg, wnd, ts, sn, una, len (little endian). */
    static ByteBuffer push(int conv, int sn, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(24 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(conv).put((byte) 81).put((byte) 0).putShort((short) 128).putInt(0).putInt(sn).putInt(0)
                .putInt(payload.length).put(payload);
        return b.flip();
    }

    static DatagramChannel rawClient() throws IOException {
        return DatagramChannel.open().bind(LOOPBACK);
    }

    static long global(SnmpField f) {
        return NetStats.global().get(f);
    }

    @Test
    void shouldCloseItsSessionsAndStopAcceptingOnClose() throws Exception {
        KcpListener l = Kcps.listen(LOOPBACK, SessionIT.FAST);
        l.setSocketBuffers(1 << 20, 1 << 20);
        l.setDscp(46);
        assertThrows(IllegalArgumentException.class, () -> l.setDscp(64));
        try (KcpSession c = Kcps.dial(l.localAddress(), SessionIT.FAST)) {
            c.write(new byte[] {1}, 0, 1);
            KcpSession s = l.accept(Duration.ofSeconds(5));
            assertEquals(1, s.read(new byte[1], 0, 1));
            l.close();
            l.close();
            assertTrue(!s.isOpen());
            assertThrows(SocketException.class, () -> s.read(new byte[1], 0, 1));
            SocketException e = assertThrows(SocketException.class, l::accept);
            assertEquals("Socket closed", e.getMessage());
        }
    }

    @Test
    void shouldFailSessionsAndAcceptWithTheSocketErrorWhenTheServedChannelDies() throws Exception {
        DatagramChannel ch = DatagramChannel.open().bind(LOOPBACK);
        KcpListener l = Kcps.serve(ch, SessionIT.FAST);
        try (KcpSession c = Kcps.dial(l.localAddress(), SessionIT.FAST)) {
            c.write(new byte[] {1}, 0, 1);
            KcpSession s = l.accept(Duration.ofSeconds(5));
            assertEquals(1, s.read(new byte[1], 0, 1));
            ch.close();
            IOException read = assertThrows(IOException.class, () -> s.read(new byte[1], 0, 1));
            assertTrue(!(read instanceof SocketTimeoutException), read.toString());
            assertTrue(read.getCause() instanceof java.nio.channels.ClosedChannelException, read.toString());
            IOException accept = assertThrows(IOException.class, l::accept);
            assertTrue(accept.getCause() instanceof java.nio.channels.ClosedChannelException, accept.toString());
        } finally {
            l.close();
        }
    }

    @Test
    void shouldKeepServingRealSessionsThroughAFloodOfRandomAndMutatedDatagrams() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        SessionOptions o = SessionIT.FAST.toBuilder().cipherWithPassphrase("aes", "flood").fec(10, 3)
                .socketBuffers(4 << 20, 4 << 20).build();
        try (KcpListener l = Kcps.listen(LOOPBACK, o)) {
            SessionIT.echoServer(l);
            long csum = global(SnmpField.IN_CSUM_ERRORS);
            long handlerFailures = kcp.net.internal.ReceiveLoop.handlerFailures();
            Thread flooder = Thread.ofPlatform().start(() -> {
                try (DatagramChannel f = rawClient()) {
                    byte[] junk = new byte[1500];
                    for (int i = 0; i < 50_000; i++) {
                        int len = rnd.nextInt(0, 1501);
                        rnd.nextBytes(junk);
                        if (i % 2 == 0 && len >= 44) {
                            // mutated: a well-formed plain KCP PUSH (as if crypto were off) with one bit flipped
                            ByteBuffer p = push(rnd.nextInt(), 0, new byte[len - 44]);
                            p.get(junk, 20, p.remaining());
                            junk[rnd.nextInt(len)] ^= (byte) (1 << rnd.nextInt(8));
                        }
                        f.send(ByteBuffer.wrap(junk, 0, len), l.localAddress());
                        if (i % 1000 == 999) {
                            // Pace the blast so that the socket buffer does not overflow on a loaded machine.
                            awaitGlobal(SnmpField.IN_CSUM_ERRORS, csum + (i + 1) * 95L / 100);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<KcpSession> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(Kcps.dial(l.localAddress(), o));
                }
                for (int i = 0; i < clients.size(); i++) {
                    byte[] data = SessionIT.random(seed + i, 256 * 1024);
                    assertArrayEquals(data, SessionIT.roundTrip(clients.get(i), data, 8192), "seed " + seed);
                }
                flooder.join();
                // Datagrams shorter than the 20-byte crypto header (about 1.3%) are dropped uncounted, like kcp-go.
                awaitGlobal(SnmpField.IN_CSUM_ERRORS, csum + 48_000);
                assertTrue(global(SnmpField.IN_CSUM_ERRORS) >= csum + 48_000,
                        "the flood was rejected by the CRC and counted, seed " + seed);
                assertEquals(clients.size(), l.sessionCount(), "no session from junk, seed " + seed);
                assertEquals(handlerFailures, kcp.net.internal.ReceiveLoop.handlerFailures(), "nothing threw");
            } finally {
                for (KcpSession c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void shouldCreateNoSessionFromManySourcePortsWhenCryptoRejectsThem() throws Exception {
        SessionOptions o = SessionIT.FAST.toBuilder().cipherWithPassphrase("aes", "ports").build();
        List<DatagramChannel> sources = new ArrayList<>();
        try (KcpListener l = Kcps.listen(LOOPBACK, o)) {
            long csum = global(SnmpField.IN_CSUM_ERRORS);
            for (int i = 0; i < 2000; i++) {
                DatagramChannel raw = rawClient();
                sources.add(raw);
                ByteBuffer p = ByteBuffer.allocate(20 + 25);
                p.position(20);
                p.put(push(i, 0, new byte[] {1})).flip();
                raw.send(p, l.localAddress());
                if (i % 100 == 99) {
                    // Let the receive loop keep up, so that no datagram is lost to a full socket buffer.
                    awaitGlobal(SnmpField.IN_CSUM_ERRORS, csum + i + 1);
                }
            }
            awaitGlobal(SnmpField.IN_CSUM_ERRORS, csum + 2000);
            assertTrue(global(SnmpField.IN_CSUM_ERRORS) >= csum + 2000, "CRC rejected every one");
            assertEquals(0, l.sessionCount(), "plain KCP from 2000 ports makes no session on an encrypted listener");
        } finally {
            for (DatagramChannel c : sources) {
                c.close();
            }
        }
    }

    private static void awaitGlobal(SnmpField f, long atLeast) throws InterruptedException {
        Await.until(() -> global(f) >= atLeast);
    }

    @Test
    void shouldBoundSessionsFromManySourcePortsByTheBacklogWithoutCrypto() throws Exception {
        SessionOptions o = SessionIT.FAST.toBuilder().acceptBacklog(128).build();
        List<DatagramChannel> sources = new ArrayList<>();
        try (KcpListener l = Kcps.listen(LOOPBACK, o)) {
            long inErrs = global(SnmpField.IN_ERRS);
            for (int i = 0; i < 2000; i++) {
                DatagramChannel raw = rawClient();
                sources.add(raw);
                raw.send(push(i, 0, new byte[] {1}), l.localAddress());
                if (i % 100 == 99) {
                    // Let the receive loop keep up, so that no datagram is lost to a full socket buffer.
                    int sent = i + 1;
                    Await.until(() -> l.sessionCount() + global(SnmpField.IN_ERRS) - inErrs >= sent);
                }
            }
            // Every datagram was routed: 128 made sessions, the rest were dropped at the backlog and counted.
            Await.until(() -> global(SnmpField.IN_ERRS) - inErrs >= 2000 - 128);
            assertEquals(128, l.sessionCount(), "nobody accepts: pending sessions stop at the backlog");
        } finally {
            for (DatagramChannel c : sources) {
                c.close();
            }
        }
    }

    /** 100,000 distinct source addresses (127.0.0.1..127.0.0.3, ports 1..65535), as a spoofing flood would. */
    private static InetSocketAddress spoofed(int i) throws IOException {
        byte[] ip = {127, 0, 0, (byte) (1 + i / 65535)};
        return new InetSocketAddress(InetAddress.getByAddress(ip), 1 + i % 65535);
    }

    @Test
    void shouldCreateNoSessionAndKeepNoStateForAHundredThousandSpoofedPortsWhenCryptoIsOn() throws Exception {
        SessionOptions o = SessionIT.FAST.toBuilder().cipherWithPassphrase("aes", "spoof").build();
        try (KcpListener l = Kcps.listen(LOOPBACK, o)) {
            long csum = global(SnmpField.IN_CSUM_ERRORS);
            byte[] buf = new byte[1500];
            for (int i = 0; i < 100_000; i++) {
                ByteBuffer p = push(i, 0, new byte[] {1, 2, 3});
                int len = 20 + p.remaining();
                p.get(buf, 20, p.remaining());
                l.deliver(buf, len, spoofed(i));
            }
            assertTrue(global(SnmpField.IN_CSUM_ERRORS) >= csum + 100_000, "the CRC rejected every datagram");
            assertEquals(0, l.sessionCount(), "no session, no per-address state");
        }
    }

    @Test
    void shouldBoundSessionsByTheBacklogForAHundredThousandSpoofedPortsWithoutCrypto() throws Exception {
        SessionOptions o = SessionIT.FAST.toBuilder().acceptBacklog(128).build();
        try (KcpListener l = Kcps.listen(LOOPBACK, o)) {
            long dropped = global(SnmpField.IN_ERRS);
            byte[] buf = new byte[1500];
            for (int i = 0; i < 100_000; i++) {
                ByteBuffer p = push(i, 0, new byte[] {1, 2, 3});
                int len = p.remaining();
                p.get(buf, 0, len);
                l.deliver(buf, len, spoofed(i));
            }
            assertEquals(128, l.sessionCount(), "pending sessions stop at the accept backlog");
            assertTrue(global(SnmpField.IN_ERRS) >= dropped + 100_000 - 128, "the rest was dropped and counted");
            KcpSession first = l.accept(Duration.ofSeconds(1));
            assertEquals(0, first.conv(), "the first spoofed datagram made the first session");
        }
    }
}
