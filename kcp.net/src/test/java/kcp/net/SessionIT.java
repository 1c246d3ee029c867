package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What only real sockets show: echo over IPv4 and IPv6 loopback with every cipher family, source filtering, ICMP
 * errors, JMX, streams, channels the session does not own, pacing, socket knobs. Every test binds port 0. Timeouts,
 * dead link, idleness and hibernation run in virtual time in {@link VirtualSessionTest}.
 */
@Timeout(60)
class SessionIT {
    static final SessionOptions FAST = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(512, 512).build();

    /** Serves an echo on a virtual thread per accepted session until the listener closes. */
    static void echoServer(KcpListener listener) {
        Thread.startVirtualThread(() -> {
            while (true) {
                KcpSession s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.startVirtualThread(() -> echo(s));
            }
        });
    }

    static void echo(KcpSession s) {
        byte[] buf = new byte[65536];
        try (s) {
            while (true) {
                int n = s.read(buf, 0, buf.length);
                s.write(buf, 0, n);
            }
        } catch (IOException e) {
            // closed by the test or the peer went away
        }
    }

    /** Writes {@code data} on a virtual thread and reads the echo back; returns what came back. */
    static byte[] roundTrip(KcpSession c, byte[] data, int chunk) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < data.length; off += chunk) {
                    c.write(data, off, Math.min(chunk, data.length - off));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.startVirtualThread(r));
        byte[] got = new byte[data.length];
        int off = 0;
        while (off < got.length) {
            off += c.read(got, off, got.length - off);
        }
        writer.get(10, TimeUnit.SECONDS);
        return got;
    }

    static DatagramChannel loopbackChannel() throws IOException {
        return DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0} cipher={1} fec={2}/{3} stream={4}")
    @CsvSource({
        "127.0.0.1, , 0, 0, false",
        "::1, , 0, 0, false",
        "127.0.0.1, aes, 0, 0, false",
        "127.0.0.1, salsa20, 10, 3, true",
        "::1, none, 10, 3, false",
        "127.0.0.1, aes-128-gcm, 0, 0, true",
        "127.0.0.1, sm4, 10, 3, false",
        "127.0.0.1, 3des, 0, 0, false",
    })
    void shouldEchoByteExactOverLoopback(String host, String cipher, int d, int p, boolean stream) throws Exception {
        SessionOptions.Builder b = FAST.toBuilder().fec(d, p).streamMode(stream);
        if (cipher != null) {
            b.cipherWithPassphrase(cipher, "it's a secret");
        }
        SessionOptions o = b.build();
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getByName(host), 0), o);
             KcpSession c = Kcps.dial(l.localAddress(), o)) {
            echoServer(l);
            byte[] data = random(42, 1 << 20);
            assertArrayEquals(data, roundTrip(c, data, 10_000));
            NetStatsSnapshot st = c.stats().snapshot();
            assertEquals(data.length, st.bytesSent());
            assertEquals(data.length, st.bytesReceived());
            assertEquals(0, st.inCsumErrors());
            assertEquals(0, st.kcpInErrors());
            assertTrue(st.outPkts() > 0 && st.inPkts() > 0 && st.inSegs() > 0 && st.outSegs() > 0, st.toString());
            if (d > 0) {
                assertTrue(st.fecFullShards() > 0, "FEC groups arrived complete: " + st);
            }
            assertEquals(l.localAddress(), c.remoteAddress());
            assertTrue(c.rto() > 0);
        }
    }

    @Test
    void shouldDecodeFecFromAPeerWhileSendingWithoutFecLikeKcpGosTenThreeVersusTenZeroFixture() throws Exception {
        SessionOptions server = FAST.toBuilder().fec(10, 0).build();
        SessionOptions client = FAST.toBuilder().fec(10, 3).build();
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), server);
             KcpSession c = Kcps.dial(l.localAddress(), client)) {
            var accepted = new java.util.concurrent.atomic.AtomicReference<KcpSession>();
            Thread.startVirtualThread(() -> {
                try {
                    KcpSession s = l.accept();
                    accepted.set(s);
                    echo(s);
                } catch (IOException e) {
                    // listener closed
                }
            });
            byte[] data = random(10, 300_000);
            assertArrayEquals(data, roundTrip(c, data, 10_000));
            NetStatsSnapshot st = accepted.get().stats().snapshot();
            assertTrue(st.fecParityShards() > 0, "the server's lazy (1,1) decoder tuned to 10/3: " + st);
            assertEquals(0, st.kcpInErrors(), st.toString());
            assertEquals(0, c.stats().snapshot().fecParityShards(), "the server sends no parity");
        }
    }

    @Test
    void shouldCountAndIgnoreDatagramsFromAnotherSourceOnAClientSocket() throws Exception {
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FAST);
             KcpSession c = Kcps.dial(l.localAddress(), FAST);
             DatagramChannel stranger = loopbackChannel()) {
            echoServer(l);
            InetSocketAddress target =
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), c.localAddress().getPort());
            for (int i = 0; i < 10; i++) {
                stranger.send(ByteBuffer.wrap(ListenerIT.push(c.conv(), 0, new byte[] {9}).array()), target);
            }
            byte[] data = random(13, 5000);
            assertArrayEquals(data, roundTrip(c, data, 5000));
            Await.until(() -> c.stats().get(SnmpField.IN_ERRS) >= 10);
            assertEquals(10, c.stats().get(SnmpField.IN_ERRS), "kcp-go v5.6.59+: only the dialled address is heard");
        }
    }

    @Test
    void shouldKeepAConnectedClientChannelAliveThroughPortUnreachableErrorsUntilTheServerComesUp() throws Exception {
        InetSocketAddress server;
        try (DatagramChannel probe = loopbackChannel()) {
            server = (InetSocketAddress) probe.getLocalAddress(); // a loopback port with nobody on it once closed
        }
        DatagramChannel ch = loopbackChannel();
        ch.connect(server);
        long icmpBefore = kcp.net.internal.ReceiveLoop.icmpErrors();
        try (KcpSession c = Kcps.dial(ch, server, 77, true, FAST)) {
            byte[] data = random(21, 20_000);
            c.write(data, 0, data.length); // every datagram meets a closed port: the kernel answers with ICMP
            Await.until(() -> kcp.net.internal.ReceiveLoop.icmpErrors() - icmpBefore >= 2);
            assertTrue(kcp.net.internal.ReceiveLoop.icmpErrors() - icmpBefore >= 2, "port-unreachable errors seen");
            assertTrue(c.isOpen(), "a UDP session survives ICMP errors");
            try (KcpListener l = Kcps.listen(server, FAST)) {
                echoServer(l);
                byte[] got = new byte[data.length];
                for (int off = 0; off < got.length; ) {
                    off += c.read(got, off, got.length - off); // KCP resends what the closed port swallowed
                }
                assertArrayEquals(data, got);
                assertArrayEquals(random(22, 3000), roundTrip(c, random(22, 3000), 1000));
            }
        }
    }

    @Test
    void shouldExposeASessionsCountersInJmxUntilItCloses() throws Exception {
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FAST)) {
            echoServer(l);
            KcpSession c = Kcps.dial(l.localAddress(), FAST);
            javax.management.ObjectName name = c.registerMBean();
            assertEquals(name, c.registerMBean());
            byte[] data = random(14, 10_000);
            assertArrayEquals(data, roundTrip(c, data, 5000));
            var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            assertEquals(10_000L, server.getAttribute(name, "BytesReceived"));
            assertTrue((Long) server.getAttribute(name, "OutPkts") > 0);
            assertEquals(c.srtt(), server.getAttribute(name, "SRTT"));
            assertTrue((Integer) server.getAttribute(name, "RTO") > 0);
            assertEquals(0, server.getAttribute(name, "WaitSnd"));
            assertEquals(l.localAddress().toString(), server.getAttribute(name, "RemoteAddress"));
            c.close();
            assertFalse(server.isRegistered(name), "close unregisters");
        }
    }

    @Test
    void shouldSendGatheringWritesAsOneWriteAndReadIntoByteBuffers() throws Exception {
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FAST);
             KcpSession c = Kcps.dial(l.localAddress(), FAST.toBuilder().streamMode(true).build())) {
            ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {7, 8, 9}).flip();
            long n = c.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1, 2}), direct});
            assertEquals(5, n);
            KcpSession s = l.accept(Duration.ofSeconds(5));
            ByteBuffer dst = ByteBuffer.allocateDirect(16);
            while (dst.position() < 5) {
                s.read(dst);
            }
            dst.flip();
            byte[] got = new byte[5];
            dst.get(got);
            assertArrayEquals(new byte[] {1, 2, 7, 8, 9}, got);
        }
    }

    @Test
    void shouldStreamThroughInputAndOutputStreamViews() throws Exception {
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FAST);
             KcpSession c = Kcps.dial(l.localAddress(), FAST)) {
            echoServer(l);
            OutputStream out = c.outputStream();
            InputStream in = c.inputStream();
            byte[] data = random(7, 100_000);
            out.write(data);
            byte[] got = in.readNBytes(data.length);
            assertArrayEquals(data, got);
            c.close();
            java.net.SocketException e = org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketException.class,
                    in::read, "a closed session's stream throws, as java.net.Socket's does");
            assertEquals("Socket closed", e.getMessage());
        }
    }

    @Test
    void shouldDialOverAnExistingChannelWithExplicitConvWithoutClosingIt() throws Exception {
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FAST);
             DatagramChannel ch = loopbackChannel()) {
            echoServer(l);
            KcpSession c = Kcps.dial(ch, l.localAddress(), 0xCAFEBABE, false, FAST);
            byte[] data = random(3, 50_000);
            assertArrayEquals(data, roundTrip(c, data, 5000));
            assertEquals(0xCAFEBABE, c.conv());
            c.close();
            assertTrue(ch.isOpen(), "a channel the session does not own stays open");
        }
    }

    @Test
    void shouldServeOverAnExistingChannelAndLeaveItOpen() throws Exception {
        try (DatagramChannel ch = loopbackChannel()) {
            KcpListener l = Kcps.serve(ch, FAST);
            echoServer(l);
            try (KcpSession c = Kcps.dial(l.localAddress(), FAST)) {
                byte[] data = random(4, 20_000);
                assertArrayEquals(data, roundTrip(c, data, 3000));
            }
            l.close();
            assertTrue(ch.isOpen());
            assertThrows(SocketException.class, l::accept);
        }
    }

    @Test
    void shouldPaceSendsToTheRateLimit() throws Exception {
        long rate = 1_000_000;
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FAST);
             KcpSession c = Kcps.dial(l.localAddress(), FAST.toBuilder().rateLimit(rate).build())) {
            echoServer(l);
            byte[] data = random(11, 1_500_000);
            long t0 = System.nanoTime();
            assertArrayEquals(data, roundTrip(c, data, 50_000));
            double secs = (System.nanoTime() - t0) / 1e9;
            long out = c.stats().snapshot().outBytes();
            // Token bucket: a 96000-byte burst, then rate bytes per second.
            double minSecs = (out - 96_000) / (double) rate;
            assertTrue(secs >= minSecs * 0.9, "sent " + out + " bytes in " + secs + " s, faster than the limit");
            assertTrue(secs < minSecs * 3 + 2, "pacing too slow: " + secs + " s for " + out + " bytes");
        }
    }

    @Test
    void shouldRejectMisuseWithMessagesNamingTheValue() throws Exception {
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FAST);
             KcpSession c = Kcps.dial(l.localAddress(), FAST)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.setWindowSize(0, 10));
            assertEquals("sndWnd must be in [1, 65535]: 0", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.setReadTimeout(Duration.ofMillis(-1)));
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                    () -> c.setWriteTimeout(Duration.ofDays(365_000)));
            assertEquals("timeout must be in [0, 100 days] (0 = none): PT8760000H", huge.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> c.read(new byte[2], 1, 2));
            c.write(new byte[] {1}, 0, 1);
            KcpSession s = l.accept(Duration.ofSeconds(5));
            IllegalStateException dscp = assertThrows(IllegalStateException.class, () -> s.setDscp(10));
            assertTrue(dscp.getMessage().startsWith("setDscp needs a client session that owns its socket"));
            c.setDscp(46);
            c.setSocketBuffers(1 << 20, 1 << 20);
            c.setNoDelay(false, 40, 2, true);
            c.setMtu(1200);
            c.setDup(1);
            c.setWriteDelay(true);
            c.setAckNoDelay(true);
            c.setRateLimit(0);
        }
    }
}
