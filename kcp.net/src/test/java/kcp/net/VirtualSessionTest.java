package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.net.testing.VirtualNetwork;

/**
 * Session behaviour in virtual time over the in-memory network: timeouts, dead link, idle timeout, idleness,
 * hibernation, window reopening, queue gauges. Blocking calls run on virtual threads; the test thread moves time and
 * waits for them by their thread state or their futures, never by sleeping.
 */
@Timeout(60)
class VirtualSessionTest {
    static final SessionOptions FAST = SessionIT.FAST;
    /** An address with no endpoint: everything sent there is lost. */
    static final InetSocketAddress BLACK_HOLE = VirtualNetwork.address(99);

    /** Runs {@code call} on a virtual thread and returns its outcome: null, or what it threw. */
    static CompletableFuture<Throwable> blocked(ThrowingRunnable call) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = Thread.startVirtualThread(() -> {
            try {
                call.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        awaitParked(t, outcome);
        return outcome;
    }

    /** Waits until {@code t} parks (blocked on a condition) or finishes. */
    static void awaitParked(Thread t, CompletableFuture<?> outcome) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!outcome.isDone() && t.getState() != Thread.State.WAITING
                && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the call neither blocked nor finished: " + t.getState());
            Thread.onSpinWait();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static KcpSession dialBlackHole(VirtualNetwork net, SessionOptions o) {
        return Kcps.dial(net.endpoint(Virtual.CLIENT), BLACK_HOLE, 5, o, net.context());
    }

    @Test
    void shouldTimeOutAReadAtTheVirtualDeadline() throws Exception {
        VirtualNetwork net = new VirtualNetwork(1);
        try (KcpSession c = dialBlackHole(net, FAST)) {
            c.setReadTimeout(Duration.ofMillis(100));
            CompletableFuture<Throwable> read = blocked(() -> c.read(new byte[10]));
            net.advance(99);
            assertFalse(read.isDone(), "the read waits its whole timeout");
            net.advance(2);
            Throwable e = read.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SocketTimeoutException.class, e);
            assertEquals("Read timed out", e.getMessage());
        }
    }

    @Test
    void shouldTimeOutAWriteThatFindsTheWindowFull() throws Exception {
        VirtualNetwork net = new VirtualNetwork(2);
        try (KcpSession c = dialBlackHole(net, FAST.toBuilder().windowSize(4, 4).deadLinkXmit(0).build())) {
            c.setWriteTimeout(Duration.ofMillis(100));
            for (int i = 0; i < 4; i++) {
                c.write(new byte[1000]);
            }
            CompletableFuture<Throwable> write = blocked(() -> c.write(new byte[1000]));
            net.advance(99);
            assertFalse(write.isDone(), "nobody acknowledges: the fifth write waits for window space");
            net.advance(2);
            Throwable e = write.get(10, TimeUnit.SECONDS);
            assertInstanceOf(SocketTimeoutException.class, e);
            assertEquals("Write timed out", e.getMessage());
        }
    }

    @Test
    void shouldWakeBlockedReadersAndWritersOnCloseAndRejectLaterCalls() throws Exception {
        VirtualNetwork net = new VirtualNetwork(3);
        KcpSession c = dialBlackHole(net, FAST.toBuilder().windowSize(2, 2).deadLinkXmit(0).build());
        c.write(new byte[1000]);
        c.write(new byte[1000]);
        CompletableFuture<Throwable> reader = blocked(() -> c.read(new byte[10]));
        CompletableFuture<Throwable> writer = blocked(() -> c.write(new byte[1000]));
        net.advance(1_000);
        assertFalse(reader.isDone() || writer.isDone(), "both callers are blocked");
        c.close();
        c.close();
        assertEquals("Socket closed", reader.get(10, TimeUnit.SECONDS).getMessage());
        assertEquals("Socket closed", writer.get(10, TimeUnit.SECONDS).getMessage());
        assertInstanceOf(SocketException.class, reader.get());
        assertThrows(SocketException.class, () -> c.write(new byte[1], 0, 1));
        assertFalse(c.isOpen());
    }

    @Test
    void shouldFailBlockedAndLaterCallsOnDeadLink() throws Exception {
        VirtualNetwork net = new VirtualNetwork(4);
        try (KcpSession c = dialBlackHole(net, FAST.toBuilder().deadLinkXmit(3).build())) {
            c.write(new byte[100]);
            CompletableFuture<Throwable> read = blocked(() -> c.read(new byte[10]));
            net.advance(10_000); // the third transmission, RTO backoff included, is well within 10 s
            Throwable e = read.get(10, TimeUnit.SECONDS); // the failing tick woke the reader
            assertTrue(e.getMessage().startsWith("dead link: a segment was sent 3 times"), e.getMessage());
            IOException later = assertThrows(IOException.class, () -> c.write(new byte[1], 0, 1));
            assertTrue(later.getMessage().startsWith("dead link"), later.getMessage());
        }
    }

    @Test
    void shouldFailOnTheIdleTimeoutAtItsDeadlineAfterHibernating() throws Exception {
        VirtualNetwork net = new VirtualNetwork(5);
        try (KcpSession c = dialBlackHole(net, FAST.toBuilder().hibernateAfter(Duration.ofMillis(50))
                .idleTimeout(Duration.ofMillis(400)).build())) {
            CompletableFuture<Throwable> read = blocked(() -> c.read(new byte[10]));
            net.advance(399);
            assertFalse(read.isDone(), "nothing received for 399 ms: still alive");
            assertEquals(1, c.hibernations(), "hibernated once, 50 ms into the idle period");
            net.advance(2);
            Throwable e = read.get(10, TimeUnit.SECONDS);
            assertTrue(e.getMessage().startsWith("idle timeout: nothing received from"), e.getMessage());
            assertEquals(1, c.hibernations());
            assertThrows(IOException.class, () -> c.read(new byte[1]), "later calls fail too");
        }
    }

    @Test
    void shouldStopTickingIdleSessionsAndDeliverAtOnceAfterIdleness() throws Exception {
        VirtualNetwork net = new VirtualNetwork(6);
        // 30 ms interval; no idle timeout on the accepted side (its default of 30 s would keep one timer)
        SessionOptions o = SessionOptions.builder().mode(KcpMode.FAST)
                .limits(Limits.defaults().withAcceptedIdleTimeout(Duration.ZERO)).build();
        try (Virtual.Pair p = Virtual.Pair.open(net, o)) {
            KcpSession s = p.accept();
            KcpSession c = p.client();
            net.advance(6_000); // the last ACKs go out, then both sides hibernate (5 s) and leave the updater
            assertEquals(Long.MAX_VALUE, net.context().nextDeadlineNanos(), "no timer left for idle sessions");
            long cTicks = c.ticks();
            long sTicks = s.ticks();
            net.advance(60_000);
            assertEquals(cTicks, c.ticks(), "an idle client session is not ticked");
            assertEquals(sTicks, s.ticks(), "an idle server session is not ticked");
            byte[] got = new byte[16];
            for (int round = 0; round < 3; round++) {
                int t0 = net.nowMs();
                c.write(new byte[] {(byte) round});
                assertTrue(net.runUntil(() -> s.available() > 0, 1_000));
                assertEquals(1, s.read(got));
                s.write(got, 0, 1);
                assertTrue(net.runUntil(() -> c.available() > 0, 1_000));
                assertEquals(1, c.read(got));
                assertEquals(round, got[0]);
                assertEquals(2, net.nowMs() - t0, "a write after idleness is flushed at once: two 1 ms hops");
                net.advance(10_000);
                assertEquals(Long.MAX_VALUE, net.context().nextDeadlineNanos(), "idle again, round " + round);
            }
            assertEquals(0, c.waitSnd(), "every segment was acknowledged after idleness");
            assertEquals(0, s.waitSnd());
            assertEquals(4, c.hibernations(), "hibernated after the first exchange and after each round");
        }
    }

    @Test
    void shouldHibernateIdleSessionsAndStayByteExactAcrossHibernations() throws Exception {
        VirtualNetwork net = new VirtualNetwork(7);
        net.link(Virtual.CLIENT, Virtual.SERVER, 5, 5, 15, 2, true);
        SessionOptions o = FAST.toBuilder().fec(10, 3).cipherWithPassphrase("aes", "hibernate")
                .hibernateAfter(Duration.ofMillis(150)).build();
        try (Virtual.Pair p = Virtual.Pair.open(net, o)) {
            KcpSession s = p.accept();
            KcpSession c = p.client();
            net.advance(1_000);
            long base = c.hibernations();
            for (int round = 1; round <= 3; round++) {
                // A bulk round fills every cache (FEC groups, segments, keystreams), then both sides go idle.
                byte[] data = SessionIT.random(round, 200_000 + 1_337 * round);
                assertArrayEquals(data, Virtual.transfer(net, c, s, data, 10_000, 60_000), "round " + round);
                assertArrayEquals(data, Virtual.transfer(net, s, c, data, 10_000, 60_000), "round " + round);
                net.advance(2_000);
                assertEquals(base + round, c.hibernations(), "client hibernated once per idle period");
                assertEquals(base + round, s.hibernations(), "server hibernated once per idle period");
                long cTicks = c.ticks();
                long sTicks = s.ticks();
                net.advance(5_000);
                assertEquals(cTicks, c.ticks(), "a hibernated session is not ticked");
                assertEquals(sTicks, s.ticks(), "a hibernated session is not ticked");
            }
            assertEquals(0, c.stats().snapshot().inCsumErrors());
            assertEquals(0, c.stats().snapshot().kcpInErrors());
            assertEquals(0, s.stats().snapshot().kcpInErrors());
        }
    }

    @Test
    void shouldAnnounceAReopenedWindowAtOnceInsteadOfWaitingForThePeersProbe() throws Exception {
        VirtualNetwork net = new VirtualNetwork(8);
        SessionOptions server = FAST.toBuilder().windowSize(128, 8).build();
        KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), server, net.context());
        try (l; KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, 1,
                FAST.toBuilder().windowSize(128, 128).build(), net.context())) {
            c.write(new byte[8 * 1376]); // 8 segments fill the server's receive queue
            net.advance(1_000);
            KcpSession s = l.accept(Duration.ofSeconds(1));
            assertEquals(0, c.waitSnd(), "all 8 acknowledged; the server advertises a window of 0");
            c.write(new byte[100]);
            net.advance(1_000);
            assertEquals(1, c.waitSnd(), "the client holds its next message back until the window reopens");
            assertEquals(8, s.stats().snapshot().get(SnmpField.RING_BUFFER_RCV_QUEUE), "a full window waits");
            byte[] buf = new byte[2048];
            int read = 0;
            while (s.available() > 0) {
                read += s.read(buf);
            }
            assertEquals(8 * 1376, read);
            int t0 = net.nowMs();
            assertTrue(net.runUntil(() -> s.available() > 0, 10_000));
            assertEquals(100, s.available());
            // WINS goes out at once (1 ms hop), the client sends at its next 10 ms tick (1 ms hop): without the
            // announcement its window probe would come 7 s after it saw the window close.
            assertTrue(net.nowMs() - t0 <= 12, "more data " + (net.nowMs() - t0) + " ms after the window reopened");
        }
    }

    @Test
    void shouldReportQueueLengthsInTheRingBufferGauges() throws Exception {
        VirtualNetwork net = new VirtualNetwork(9);
        SessionOptions small = FAST.toBuilder().windowSize(32, 32).build();
        try (KcpSession lost = dialBlackHole(net, small)) {
            // the peer never answers; a write may queue up to twice the send window (the send budget)
            lost.write(SessionIT.random(14, 2 * 32 * 1376));
            net.advance(100);
            NetStatsSnapshot ls = lost.stats().snapshot();
            assertEquals(32, ls.get(SnmpField.RING_BUFFER_SND_BUFFER), "a window of unacknowledged segments: " + ls);
            assertEquals(32, ls.get(SnmpField.RING_BUFFER_SND_QUEUE), ls.toString());
        }
    }

    @Test
    void shouldSendEveryDatagramTwiceWithDupOne() throws Exception {
        VirtualNetwork net = new VirtualNetwork(10);
        try (Virtual.Pair p = Virtual.Pair.open(net, FAST.toBuilder().dup(1).build())) {
            KcpSession s = p.accept();
            byte[] data = SessionIT.random(12, 200_000);
            assertArrayEquals(data, Virtual.transfer(net, p.client(), s, data, 10_000, 10_000));
            NetStatsSnapshot st = p.client().stats().snapshot();
            assertTrue(st.outPkts() >= 2 * (data.length / 1376), "every datagram went out twice: " + st);
            assertTrue(s.stats().snapshot().repeatSegs() >= data.length / 1376, "the copies arrived as repeats");
        }
    }

    @Test
    void shouldSplitAMessageLargerThanTheReadBufferOverSeveralReads() throws Exception {
        VirtualNetwork net = new VirtualNetwork(11);
        try (Virtual.Pair p = Virtual.Pair.open(net, FAST)) {
            KcpSession s = p.accept();
            assertEquals(5, p.client().write(new byte[] {1, 2, 3, 4, 5}));
            assertTrue(net.runUntil(() -> s.available() > 0, 1_000));
            assertEquals(5, s.available());
            byte[] two = new byte[2];
            assertEquals(2, s.read(two, 0, 2));
            assertArrayEquals(new byte[] {1, 2}, two);
            assertEquals(3, s.available(), "the rest of the message");
            assertEquals(2, s.read(two, 0, 2));
            assertArrayEquals(new byte[] {3, 4}, two);
            assertEquals(1, s.read(two));
            assertEquals(5, two[0]);
            assertEquals(0, s.available());
        }
    }
}
