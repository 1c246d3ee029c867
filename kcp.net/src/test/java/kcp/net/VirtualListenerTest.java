package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.net.testing.VirtualNetwork;

/** kcp-go's listener rules and this library's two improvements, in virtual time with hand-made datagrams. */
@Timeout(60)
class VirtualListenerTest {
    static final SessionOptions FAST = SessionIT.FAST;

    /** A raw endpoint that records what it receives. */
    static final class Raw implements DatagramTransport.Receiver {
        final DatagramTransport transport;
        final List<byte[]> received = new ArrayList<>();

        Raw(VirtualNetwork net, int host) {
            transport = net.endpoint(VirtualNetwork.address(host));
            transport.start(this, ReceiveThreadKind.PLATFORM);
        }

        void send(ByteBuffer datagram) throws IOException {
            transport.send(datagram, Virtual.SERVER);
        }

        @Override
        public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
            received.add(java.util.Arrays.copyOf(buf, len));
        }

        @Override
        public void onReceiveFailed(IOException e) {
        }
    }

    static long inErrs(KcpListener l) {
        return NetStats.global().get(SnmpField.IN_ERRS);
    }

    @Test
    void shouldReplaceASessionOnlyWithANewConvWhoseSnIsZero() throws Exception {
        VirtualNetwork net = new VirtualNetwork(1);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), FAST, net.context())) {
            Raw raw = new Raw(net, 1);
            raw.send(ListenerIT.push(1, 0, new byte[] {'a'}));
            net.advance(2);
            KcpSession a = l.accept(Duration.ofSeconds(1));
            assertEquals(1, a.conv());
            byte[] one = new byte[1];
            assertEquals(1, a.read(one, 0, 1));

            long inErrs = inErrs(l);
            raw.send(ListenerIT.push(2, 5, new byte[] {'x'}));
            net.advance(2);
            assertEquals(0, l.pendingAccepts(), "no session for a foreign conv with sn != 0");
            assertTrue(inErrs(l) > inErrs, "it is dropped and counted");
            assertTrue(a.isOpen());

            raw.send(ListenerIT.push(2, 0, new byte[] {'b'}));
            net.advance(2);
            KcpSession b = l.accept(Duration.ofSeconds(1));
            assertEquals(2, b.conv());
            assertFalse(a.isOpen(), "the old session was replaced");
            assertThrows(SocketException.class, () -> a.read(one, 0, 1));
            assertEquals(1, b.read(one, 0, 1));
            assertEquals('b', one[0]);
            assertEquals(1, l.sessionCount());
        }
    }

    @Test
    void shouldIgnoreLatePacketsOfAJustClosedConvForTheQuietPeriodButStartANewConvAtOnce() throws Exception {
        VirtualNetwork net = new VirtualNetwork(2);
        SessionOptions o = FAST.toBuilder().quietPeriod(Duration.ofSeconds(30)).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            Raw raw = new Raw(net, 1);
            raw.send(ListenerIT.push(7, 0, new byte[] {'a'}));
            net.advance(2);
            l.accept(Duration.ofSeconds(1)).close();
            long inErrs = inErrs(l);
            raw.send(ListenerIT.push(7, 1, new byte[] {'z'}));
            raw.send(ListenerIT.push(7, 0, new byte[] {'z'}));
            net.advance(29_000);
            raw.send(ListenerIT.push(7, 0, new byte[] {'z'}));
            net.advance(2);
            assertEquals(0, l.pendingAccepts(), "no ghost session for the closed conv within the 30 s");
            assertEquals(0, l.sessionCount());
            assertTrue(inErrs(l) >= inErrs + 3);
            net.advance(1_000);
            raw.send(ListenerIT.push(7, 1, new byte[] {'z'}));
            net.advance(2);
            assertEquals(0, l.pendingAccepts(), "sn 1 alone makes an embryonic session, not an acceptable one");
            raw.send(ListenerIT.push(7, 0, new byte[] {'z'}));
            net.advance(2);
            KcpSession late = l.accept(Duration.ofSeconds(1));
            assertEquals(7, late.conv(), "after the quiet period the conv starts a session again, as in kcp-go");
            late.close();
            raw.send(ListenerIT.push(8, 0, new byte[] {'n'}));
            net.advance(2);
            assertEquals(8, l.accept(Duration.ofSeconds(1)).conv(), "a reconnect with a new conv starts at once");
        }
    }

    /** Opens a session from {@code raw} with {@code conv}, accepts it and closes it. */
    private static void openAndClose(VirtualNetwork net, KcpListener l, Raw raw, int conv) throws IOException {
        raw.send(ListenerIT.push(conv, 0, new byte[] {'a'}));
        net.advance(2);
        KcpSession s = l.accept(Duration.ofSeconds(1));
        assertEquals(conv, s.conv());
        s.close();
    }

    @Test
    void shouldForgetQuietAddressesOnceTheirPeriodEndsAndKeepAtMostTheBound() throws Exception {
        VirtualNetwork net = new VirtualNetwork(12);
        SessionOptions o = FAST.toBuilder().quietPeriod(Duration.ofSeconds(5)).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            Raw[] raw = new Raw[7];
            for (int i = 1; i < raw.length; i++) {
                raw[i] = new Raw(net, 10 + i);
            }
            for (int i = 1; i <= 3; i++) {
                openAndClose(net, l, raw[i], 100 + i);
            }
            assertEquals(3, l.routes.quietCount());
            net.advance(6_000);
            openAndClose(net, l, raw[4], 104);
            assertEquals(1, l.routes.quietCount(), "the three expired addresses are swept by the next close");

            l.routes.limitQuiet(2);
            openAndClose(net, l, raw[5], 105);
            openAndClose(net, l, raw[6], 106);
            assertEquals(2, l.routes.quietCount(), "over the bound, the oldest address leaves early");
            raw[4].send(ListenerIT.push(104, 0, new byte[] {'b'}));
            net.advance(2);
            assertEquals(104, l.accept(Duration.ofSeconds(1)).conv(), "the address that left early starts again");
            long inErrs = inErrs(l);
            raw[6].send(ListenerIT.push(106, 0, new byte[] {'c'}));
            net.advance(2);
            assertEquals(0, l.pendingAccepts(), "the newest quiet address still ignores its closed conv");
            assertTrue(inErrs(l) > inErrs);
        }
    }

    @Test
    void shouldShedTheOldestEmbryoEvenAfterAYoungerOneWasPromoted() throws Exception {
        VirtualNetwork net = new VirtualNetwork(13);
        SessionOptions o = FAST.toBuilder().limits(Limits.defaults().withMaxSessions(3)).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            Raw[] raw = new Raw[4];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = new Raw(net, 20 + i);
            }
            for (int i = 0; i < 3; i++) { // three embryos: data, but not sn 0
                raw[i].send(ListenerIT.push(200 + i, 1, new byte[] {'e'}));
                net.advance(2);
            }
            assertEquals(3, l.embryonicCount());
            raw[1].send(ListenerIT.push(201, 0, new byte[] {'p'}));
            net.advance(2);
            assertEquals(201, l.accept(Duration.ofSeconds(1)).conv(), "the middle embryo delivered and was promoted");
            assertEquals(2, l.embryonicCount());

            raw[3].send(ListenerIT.push(203, 0, new byte[] {'n'}));
            net.advance(2);
            assertEquals(203, l.accept(Duration.ofSeconds(1)).conv(), "a new session past maxSessions sheds an embryo");
            assertEquals(1, l.embryonicCount());
            long created = l.stats().accepted();
            raw[2].send(ListenerIT.push(202, 0, new byte[] {'c'}));
            net.advance(2);
            assertEquals(202, l.accept(Duration.ofSeconds(1)).conv(), "the youngest embryo is still there");
            assertEquals(created, l.stats().accepted(), "its sn 0 fed the session it had: the oldest embryo was shed");
            assertEquals(0, l.embryonicCount());
        }
    }

    @Test
    void shouldResurrectAClosedConvLikeKcpGoWhenTheQuietPeriodIsZero() throws Exception {
        VirtualNetwork net = new VirtualNetwork(3);
        SessionOptions o = FAST.toBuilder().quietPeriod(Duration.ZERO).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            Raw raw = new Raw(net, 1);
            raw.send(ListenerIT.push(7, 0, new byte[] {'a'}));
            net.advance(2);
            l.accept(Duration.ofSeconds(1)).close();
            raw.send(ListenerIT.push(7, 1, new byte[] {'z'}));
            net.advance(2);
            assertEquals(1, l.sessionCount(), "kcp-go's ghost starts again...");
            assertEquals(0, l.pendingAccepts(), "...but stays embryonic (issue 15) until its first in-order data");
            raw.send(ListenerIT.push(7, 0, new byte[] {'y'}));
            net.advance(2);
            assertEquals(7, l.accept(Duration.ofSeconds(1)).conv());
        }
    }

    @Test
    void shouldBoundPendingSessionsByTheBacklog() throws Exception {
        VirtualNetwork net = new VirtualNetwork(4);
        SessionOptions o = FAST.toBuilder().acceptBacklog(4).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            long inErrs = inErrs(l);
            for (int i = 0; i < 10; i++) {
                new Raw(net, 10 + i).send(ListenerIT.push(100 + i, 0, new byte[] {1}));
            }
            net.advance(2);
            assertEquals(4, l.sessionCount(), "the rest was dropped, kcp-go style; the clients retransmit");
            assertEquals(4, l.pendingAccepts());
            assertTrue(inErrs(l) >= inErrs + 6, "and counted");
            for (int i = 0; i < 4; i++) {
                assertEquals(100 + i, l.accept(Duration.ofSeconds(1)).conv(), "first come, first accepted");
            }
            assertEquals(0, l.pendingAccepts());
        }
    }

    @Test
    void shouldApplyConfiguredWindowsToAcceptedSessionsFromTheFirstPacket() throws Exception {
        VirtualNetwork net = new VirtualNetwork(5);
        SessionOptions o = FAST.toBuilder().windowSize(1024, 1024).ackNoDelay(true).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            Raw raw = new Raw(net, 1);
            raw.send(ListenerIT.push(55, 0, new byte[] {'w'}));
            net.advance(2);
            assertEquals(1, raw.received.size(), "the ACK came back at once (ackNoDelay)");
            ByteBuffer ack = ByteBuffer.wrap(raw.received.get(0)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(55, ack.getInt(0));
            assertEquals(82, ack.get(4), "an ACK");
            assertEquals(1023, ack.getShort(6) & 0xFFFF,
                    "advertises the configured 1024-packet window (kcp-go: 31 until the app sets it)");
            assertEquals(1, l.sessionCount());
        }
    }

    @Test
    void shouldTimeOutAnAcceptAtTheVirtualDeadline() throws Exception {
        VirtualNetwork net = new VirtualNetwork(6);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), FAST, net.context())) {
            CompletableFuture<Throwable> accept = VirtualSessionTest.blocked(() -> l.accept(Duration.ofMillis(50)));
            net.advance(49);
            assertFalse(accept.isDone());
            net.advance(2);
            Throwable e = accept.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SocketTimeoutException.class, e);
            assertEquals("Accept timed out", e.getMessage());
        }
    }

    @Test
    void shouldCloseItsSessionsAndWakeAcceptorsOnClose() throws Exception {
        VirtualNetwork net = new VirtualNetwork(7);
        KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), FAST, net.context());
        Raw raw = new Raw(net, 1);
        raw.send(ListenerIT.push(3, 0, new byte[] {'a'}));
        net.advance(2);
        KcpSession s = l.accept(Duration.ofSeconds(1));
        CompletableFuture<Throwable> accept = VirtualSessionTest.blocked(l::accept);
        l.close();
        l.close();
        assertEquals("Socket closed", accept.get(10, TimeUnit.SECONDS).getMessage());
        assertFalse(s.isOpen());
        assertEquals(1, s.read(new byte[1]), "data already received can still be read");
        assertThrows(SocketException.class, () -> s.read(new byte[1], 0, 1));
        assertEquals(0, l.sessionCount());
    }

    @Test
    void shouldShowSessionsAcceptedAndDroppedInTheListenerMBean() throws Exception {
        VirtualNetwork net = new VirtualNetwork(8);
        SessionOptions o = FAST.toBuilder().acceptBacklog(2).build();
        KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context());
        javax.management.ObjectName name = l.registerMBean();
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        for (int i = 0; i < 3; i++) {
            new Raw(net, 20 + i).send(ListenerIT.push(200 + i, 0, new byte[] {1}));
        }
        net.advance(2);
        assertEquals(2, server.getAttribute(name, "SessionCount"));
        assertEquals(2, server.getAttribute(name, "PendingAccepts"));
        assertEquals(2L, server.getAttribute(name, "Accepted"));
        assertEquals(1L, server.getAttribute(name, "Dropped"), "the third met a full backlog");
        assertTrue((Long) server.getAttribute(name, "InErrs") > 0, "next to the process-wide counters");
        l.close();
        assertFalse(server.isRegistered(name), "close unregisters");
    }
}
