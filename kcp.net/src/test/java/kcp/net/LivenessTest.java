package kcp.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.net.testing.VirtualNetwork;

/**
 * Issue 15, dead and silent peers found in bounded time, in virtual time: the dead-link timeout (time form of
 * deadLinkXmit), and what the default deadLinkXmit of 20 means in seconds (documented in docs/hostile.md).
 */
@Timeout(60)
class LivenessTest {
    static final java.net.InetSocketAddress BLACK_HOLE = VirtualNetwork.address(99);

    @Test
    void shouldFailASessionWhoseOldestSegmentWaitsLongerThanTheDeadLinkTimeout() throws Exception {
        VirtualNetwork net = new VirtualNetwork(41);
        SessionOptions o = SessionIT.FAST.toBuilder().deadLinkXmit(0).deadLinkTimeout(Duration.ofSeconds(2)).build();
        try (KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), BLACK_HOLE, 1, o, net.context())) {
            c.write(new byte[100]);
            CompletableFuture<Throwable> read = VirtualSessionTest.blocked(() -> c.read(new byte[10]));
            net.advance(1_900);
            assertFalse(read.isDone(), "1.9 s without an ACK: still alive");
            net.advance(300);
            Throwable e = read.get(10, TimeUnit.SECONDS);
            assertTrue(e.getMessage().startsWith("dead link: segment 0 unacknowledged for 2000 ms"), e.getMessage());
        }
    }

    /** Virtual ms until a write to nobody fails by the default deadLinkXmit (20) with {@code o}. */
    static int deadLinkMs(SessionOptions o, long seed) throws Exception {
        VirtualNetwork net = new VirtualNetwork(seed);
        try (KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), BLACK_HOLE, 1, o, net.context())) {
            c.write(new byte[100]);
            int t0 = net.nowMs();
            BoundedWriteTest.Call read = BoundedWriteTest.Call.start(() -> c.read(new byte[10]));
            while (!read.outcome().isDone()) {
                assertTrue(net.nowMs() - t0 < 600_000, "no dead link in 10 minutes");
                net.advance(100);
                VirtualSessionTest.awaitParked(read.thread(), read.outcome());
            }
            assertTrue(read.result().getMessage().startsWith("dead link: a segment was sent 20 times"));
            return net.nowMs() - t0;
        }
    }

    @Test
    void shouldDeclareADeadLinkAfterTwentyTransmissionsIn21SecondsWithNoDelayAnd38SecondsWithoutBeforeAnyRttSample()
            throws Exception {
        int fast3 = deadLinkMs(SessionOptions.builder().mode(KcpMode.FAST3).build(), 42);
        int fast = deadLinkMs(SessionOptions.builder().mode(KcpMode.FAST).build(), 43);
        System.out.println("DEADLINK default deadLinkXmit=20, no RTT sample (RTO 200 ms): fast3/fast2 (nodelay 1) "
                + fast3 + " ms, normal/fast (nodelay 0) " + fast + " ms");
        // nodelay 1: the RTO grows by half the base RTO per resend, 19 waits = 104.5 x 200 ms; nodelay 0: by the base
        // RTO, 190 x 200 ms
        assertTrue(fast3 >= 20_900 && fast3 <= 22_500, "fast3: " + fast3);
        assertTrue(fast >= 38_000 && fast <= 40_000, "fast: " + fast);
    }
}
