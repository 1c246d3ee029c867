package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.core.wire.SegmentHeader;
import kcp.crypto.KeyDerivation;
import kcp.net.testing.VirtualNetwork;

/**
 * Issue 15 attacks 2a and 2b against a listener in virtual time, through the forged-source hook: data-less datagrams
 * create nothing; sessions are embryonic until their first in-order data, small, reaped after a timeout, and shed
 * first when the listener's budgets are full; a live aes + FEC session stays byte-exact throughout.
 */
@Timeout(120)
class HostileListenerTest {
    static final byte[] KEY = KeyDerivation.keyFor("aes", KeyDerivation.kcptun("hostile"));
    static final SessionOptions AES_FEC = SessionIT.FAST.toBuilder().cipher("aes", KEY).fec(10, 3).build();

    static long global(SnmpField f) {
        return NetStats.global().get(f);
    }

    /** A live client of {@code l}, accepted; checks byte-exact echo-free transfers both ways. */
    record Live(VirtualNetwork net, KcpSession client, KcpSession server) {
        static Live open(VirtualNetwork net, KcpListener l, SessionOptions o) throws IOException {
            KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, 1, o, net.context());
            return new Live(net, c, new Virtual.Pair(net, l, c).accept());
        }

        void check(int bytes, long seed) {
            byte[] data = new byte[bytes];
            new SplittableRandom(seed).nextBytes(data);
            assertArrayEquals(data, Virtual.transfer(net, client, server, data, 1000, 60_000));
            assertArrayEquals(data, Virtual.transfer(net, server, client, data, 1000, 60_000));
        }
    }

    @Test
    void shouldCreateNoSessionFromTenThousandForgedDatalessSources() throws IOException {
        VirtualNetwork net = new VirtualNetwork(21);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), AES_FEC, net.context())) {
            Live live = Live.open(net, l, AES_FEC);
            HostileTraffic gen = new HostileTraffic(AES_FEC, 1);
            HostileTraffic.Target hook = HostileTraffic.Target.hook(l);
            gen.dataless(hook, 0, 10_000, SegmentHeader.CMD_ACK, HostileTraffic.Pacer.unbounded());
            gen.dataless(hook, 10_000, 1_000, SegmentHeader.CMD_WASK, HostileTraffic.Pacer.unbounded());
            gen.dataless(hook, 11_000, 1_000, SegmentHeader.CMD_WINS, HostileTraffic.Pacer.unbounded());
            net.advance(100);
            assertEquals(1, l.sessionCount(), "12,000 forged data-less sources made no session");
            assertEquals(1, l.acceptedCount());
            live.check(32 * 1024, 1);
            live.client().close();
        }
    }

    @Test
    void shouldHoldANewSessionBackFromAcceptUntilItsFirstInOrderDataAndReapItAfterTheTimeout() throws IOException {
        VirtualNetwork net = new VirtualNetwork(22);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), AES_FEC, net.context())) {
            HostileTraffic gen = new HostileTraffic(AES_FEC, 2);
            HostileTraffic.Target hook = HostileTraffic.Target.hook(l);
            long shed = global(SnmpField.SESSIONS_SHED);
            gen.windowFill(hook, 0, 1, 1023, 1000, HostileTraffic.Pacer.unbounded());
            assertEquals(1, l.sessionCount());
            assertEquals(1, l.embryonicCount());
            assertEquals(0, l.pendingAccepts(), "an embryonic session is not acceptable");
            long window = AES_FEC.limits().embryonicWindow();
            assertTrue(l.accountedBytes() <= Limits.SESSION_BASE_BYTES + window * (AES_FEC.mtu() + 64),
                    "sn 1..1023 without sn 0: at most an embryonic window is held: " + l.accountedBytes());
            net.advance((int) AES_FEC.limits().embryonicTimeout().toMillis() + 100);
            assertEquals(0, l.sessionCount(), "reaped after the embryonic timeout");
            assertEquals(0, l.accountedBytes());
            assertEquals(shed + 1, global(SnmpField.SESSIONS_SHED));
            // a kcp-go-like client's first datagram (PUSH sn 0) is acceptable at once
            Live live = Live.open(net, l, AES_FEC);
            live.check(64 * 1024, 2);
            live.client().close();
        }
    }

    @Test
    void shouldKeepAThousandForgedWindowFillingSourcesWithinTheBudgetWhileALiveSessionStaysExact() throws IOException {
        VirtualNetwork net = new VirtualNetwork(23);
        long budget = 4L << 20;
        SessionOptions o = AES_FEC.toBuilder().limits(Limits.defaults().withReceiveBudgetBytes(budget)).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            Live live = Live.open(net, l, o);
            HostileTraffic gen = new HostileTraffic(o, 3);
            long[] peak = {0};
            HostileTraffic.Target hook = (buf, len, source) -> {
                l.deliver(buf, len, HostileTraffic.forgedSource(source));
                peak[0] = Math.max(peak[0], l.accountedBytes());
            };
            long shed = global(SnmpField.SESSIONS_SHED);
            for (int round = 0; round < 10; round++) {
                gen.windowFill(hook, round * 100, 100, 64, 1000, HostileTraffic.Pacer.unbounded());
                live.check(16 * 1024, round);
            }
            assertTrue(peak[0] <= budget, "accounted bytes stayed within the budget: peak " + peak[0]);
            assertTrue(global(SnmpField.SESSIONS_SHED) - shed >= 800,
                    "embryonic sessions were shed to stay within it: " + (global(SnmpField.SESSIONS_SHED) - shed));
            assertTrue(l.sessionCount() <= budget / Limits.SESSION_BASE_BYTES);
            assertTrue(live.client().isOpen() && live.server().isOpen());
            System.out.println("BUDGET 1000 forged window-filling sources: peak accounted " + peak[0] + " of " + budget
                    + " bytes, sessions " + l.sessionCount() + ", shed " + (global(SnmpField.SESSIONS_SHED) - shed));
            live.client().close();
        }
    }

    @Test
    void shouldRefuseNewSessionsBeyondTheSessionBudgetWhenNoneIsEmbryonic() throws IOException {
        VirtualNetwork net = new VirtualNetwork(24);
        SessionOptions o = AES_FEC.toBuilder().limits(Limits.defaults().withMaxSessions(1)).build();
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            Live live = Live.open(net, l, o);
            long drops = global(SnmpField.IN_BUDGET_DROPS);
            HostileTraffic gen = new HostileTraffic(o, 4);
            byte[] buf = new byte[1500];
            l.deliver(buf, gen.push(buf, 99, 0, 10), HostileTraffic.forgedSource(1));
            assertEquals(1, l.sessionCount(), "the established session is never shed for a newcomer");
            assertEquals(drops + 1, global(SnmpField.IN_BUDGET_DROPS));
            live.check(4096, 5);
            live.client().close();
        }
    }

    @Test
    void shouldGiveAcceptedSessionsTheDefaultIdleTimeout() throws IOException {
        VirtualNetwork net = new VirtualNetwork(25);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), AES_FEC, net.context())) {
            Live live = Live.open(net, l, AES_FEC);
            assertEquals(Duration.ofSeconds(30), live.server().idleTimeout());
            assertEquals(Duration.ZERO, live.client().idleTimeout(), "dialled sessions keep none by default");
            live.client().close(); // the peer vanishes: KCP has no FIN
            net.advance(29_000);
            live.server().available();
            assertTrue(live.server().isOpen());
            net.advance(2_000);
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> live.server().read(new byte[1]));
            assertTrue(e.getMessage().contains("idle timeout"), e.getMessage());
            assertFalse(l.toString().isEmpty());
        }
    }
}
