package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.net.testing.VirtualNetwork;

/** kcp-go listener parity in virtual time: the accept variants and the listener's counters and MBean. */
@Timeout(60)
class ListenerParityTest {
    static final SessionOptions FAST = SessionIT.FAST;

    @Test
    void shouldOfferBlockingTimedAndNonBlockingAccepts() throws Exception {
        VirtualNetwork net = new VirtualNetwork(11);
        KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), FAST, net.context());
        assertNull(l.poll(), "poll does not wait");
        CompletableFuture<Throwable> timed = VirtualSessionTest.blocked(() -> l.accept(Duration.ofMillis(20)));
        net.advance(21);
        assertInstanceOf(SocketTimeoutException.class, timed.get(10, TimeUnit.SECONDS));

        KcpSession[] got = new KcpSession[1];
        CompletableFuture<Throwable> blocking = VirtualSessionTest.blocked(() -> got[0] = l.accept());
        new VirtualListenerTest.Raw(net, 1).send(ListenerIT.push(41, 0, new byte[] {1}));
        net.advance(2);
        assertNull(blocking.get(10, TimeUnit.SECONDS), "the blocked accept got the session");
        assertEquals(41, got[0].conv());

        new VirtualListenerTest.Raw(net, 3).send(ListenerIT.push(42, 0, new byte[] {2}));
        assertNull(l.poll(), "not arrived yet");
        net.advance(2);
        KcpSession polled = l.poll();
        assertEquals(42, polled.conv(), "poll takes a waiting session");
        assertNull(l.poll());
        assertTrue(polled.isOpen());
        l.close();
        assertEquals("Socket closed", assertThrows(SocketException.class, l::poll).getMessage());
        assertEquals("Socket closed", assertThrows(SocketException.class, l::accept).getMessage());
    }

    @Test
    void shouldCountAcceptedRefusedAndBacklogDropsPerListener() throws Exception {
        VirtualNetwork net = new VirtualNetwork(12);
        SessionOptions o = FAST.toBuilder().acceptBacklog(2).quietPeriod(Duration.ofSeconds(10)).build();
        KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context());
        javax.management.ObjectName name = l.registerMBean();
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        VirtualListenerTest.Raw[] raws = new VirtualListenerTest.Raw[3];
        for (int i = 0; i < 3; i++) {
            raws[i] = new VirtualListenerTest.Raw(net, 30 + i);
            raws[i].send(ListenerIT.push(300 + i, 0, new byte[] {1}));
        }
        net.advance(2);
        ListenerStats st = l.stats();
        assertEquals(2, st.sessions());
        assertEquals(2, st.pendingAccepts());
        assertEquals(2, st.accepted());
        assertEquals(1, st.backlogDrops(), st.toString());
        assertEquals(1, st.refused(), st.toString());

        l.accept().close(); // conv 300 from .30: quiet for 10 s
        raws[0].send(ListenerIT.push(300, 0, new byte[] {1}));
        raws[0].send(ListenerIT.push(300, 5, new byte[0])); // no ghost either
        net.advance(2);
        st = l.stats();
        assertEquals(3, st.refused(), "the quiet period refuses too: " + st);
        assertEquals(1, st.backlogDrops(), "but that is no backlog drop");
        assertEquals(3, st.dropped(), st.toString());
        assertEquals(0, st.migrations() + st.migrationsRefused(), "no migration mode, no migration counts");

        assertEquals(1, server.getAttribute(name, "SessionCount"));
        assertEquals(2L, server.getAttribute(name, "Accepted"));
        assertEquals(3L, server.getAttribute(name, "Refused"));
        assertEquals(1L, server.getAttribute(name, "BacklogDrops"));
        assertEquals(0L, server.getAttribute(name, "Migrations"));
        assertEquals(0L, server.getAttribute(name, "MigrationsRefused"));
        l.close();
        assertFalse(server.isRegistered(name));
    }

    @Test
    void shouldCountMigrationsInTheListenerMBean() throws Exception {
        try (MigrationTest.Setup x = MigrationTest.Setup.open(13, MigrationTest.MIGRATING)) {
            javax.management.ObjectName name = x.listener().registerMBean();
            var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            x.carrier().roam();
            byte[] data = MigrationTest.random(100_000, 13);
            assertTrue(java.util.Arrays.equals(data,
                    MigrationTest.transfer(x.net(), x.client(), x.server(), data, () -> { })));
            new VirtualListenerTest.Raw(x.net(), 7).send(java.nio.ByteBuffer.wrap(new byte[64]));
            x.net().advance(2);
            assertEquals(1L, server.getAttribute(name, "Migrations"));
            assertEquals(1L, server.getAttribute(name, "MigrationsForged"), "64 zero bytes fail the CRC");
            assertEquals(1L, server.getAttribute(name, "MigrationsRefused"));
        }
    }
}
