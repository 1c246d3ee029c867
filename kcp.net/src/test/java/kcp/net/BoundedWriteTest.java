package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.core.wire.SegmentHeader;
import kcp.net.testing.VirtualNetwork;

/**
 * Issue 15's bounded writes and interrupts, in virtual time: a write of any size holds at most the send budget (twice
 * the send window) in KCP's queue, honours the write timeout and reports what it queued; interrupted calls throw
 * {@link InterruptedIOException} and leave the session open; the input stream agrees with {@code java.net.Socket}'s
 * after close.
 */
@Timeout(60)
class BoundedWriteTest {
    static final int WND = 32;

    static SessionOptions options(boolean stream) {
        return SessionIT.FAST.toBuilder().windowSize(WND, WND).streamMode(stream).build();
    }

    /** A call on its own virtual thread, started and waited for until it blocks. */
    record Call(Thread thread, CompletableFuture<Throwable> outcome, boolean[] interruptedAfter) {
        static Call start(VirtualSessionTest.ThrowingRunnable body) {
            CompletableFuture<Throwable> f = new CompletableFuture<>();
            boolean[] flag = {false};
            Thread t = Thread.ofVirtual().unstarted(() -> {
                try {
                    body.run();
                    f.complete(null);
                } catch (Throwable e) {
                    flag[0] = Thread.currentThread().isInterrupted();
                    f.complete(e);
                }
            });
            t.start();
            VirtualSessionTest.awaitParked(t, f);
            return new Call(t, f, flag);
        }

        Throwable result() throws Exception {
            return outcome.get(20, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {true, false})
    void shouldQueueNoMoreThanTheSendBudgetAndHonourTheWriteTimeoutOfAHugeWrite(boolean stream) throws Exception {
        VirtualNetwork net = new VirtualNetwork(31);
        // nobody at the server address: nothing is ever acknowledged
        KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, 1, options(stream), net.context());
        c.setWriteTimeout(Duration.ofMillis(200));
        byte[] huge = new byte[64 << 20];
        Call w = Call.start(() -> c.write(huge));
        assertTrue(c.waitSnd() <= 2 * WND, "at most the budget is queued: " + c.waitSnd());
        net.advance(150);
        assertTrue(!w.outcome().isDone(), "still waiting for window space");
        net.advance(100);
        SocketTimeoutException e = assertInstanceOf(SocketTimeoutException.class, w.result());
        int mss = c.options().mtu() - SegmentHeader.OVERHEAD;
        assertEquals(2 * WND * mss, e.bytesTransferred, "it says how much was queued: the budget");
        assertTrue(c.waitSnd() <= 2 * WND, "never more than the budget: " + c.waitSnd());
        assertTrue(c.isOpen());
        c.close();
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {true, false})
    void shouldDeliverOneLargeWriteByteExactWhileItsQueueStaysWithinTheBudget(boolean stream) throws Exception {
        VirtualNetwork net = new VirtualNetwork(32);
        net.link(Virtual.CLIENT, Virtual.SERVER, 5, 10, 20, 0, true);
        try (Virtual.Pair p = Virtual.Pair.open(net, options(stream))) {
            KcpSession server = p.accept();
            byte[] data = new byte[1 << 20];
            new SplittableRandom(7).nextBytes(data);
            Call w = Call.start(() -> p.client().write(data));
            ByteBuffer got = ByteBuffer.allocate(data.length);
            int peak = 0;
            for (int ms = 0; got.hasRemaining(); ms += 5) {
                assertTrue(ms < 600_000, "received " + got.position());
                net.advance(5);
                // let the writer queue its next share before time moves on (it wakes when ACKs open the window)
                VirtualSessionTest.awaitParked(w.thread(), w.outcome());
                peak = Math.max(peak, p.client().waitSnd());
                while (server.available() > 0) {
                    server.read(got);
                }
            }
            assertNull(w.result());
            assertArrayEquals(data, got.array());
            assertTrue(peak <= 2 * WND, "queue plus flight stayed within the budget: " + peak);
        }
    }

    @Test
    void shouldThrowInterruptedIoExceptionAndKeepTheSessionOpenWhenABlockedReadOrWriteIsInterrupted()
            throws Exception {
        VirtualNetwork net = new VirtualNetwork(33);
        try (Virtual.Pair p = Virtual.Pair.open(net, options(true))) {
            KcpSession server = p.accept();
            Call read = Call.start(() -> server.read(new byte[10]));
            read.thread().interrupt();
            assertInstanceOf(InterruptedIOException.class, read.result());
            assertTrue(read.interruptedAfter()[0], "the interrupt status is set again");
            assertTrue(server.isOpen(), "the session stays open (unlike an interruptible channel)");

            p.client().write(new byte[] {42});
            assertTrue(net.runUntil(() -> server.available() > 0, 1_000));
            byte[] one = new byte[1];
            assertEquals(1, server.read(one));
            assertEquals(42, one[0], "and goes on working");

            // a write blocked on the budget: nothing is acknowledged while time stands still
            Call write = Call.start(() -> p.client().write(new byte[8 << 20]));
            write.thread().interrupt();
            InterruptedIOException e = assertInstanceOf(InterruptedIOException.class, write.result());
            assertTrue(e.bytesTransferred > 0, "what was queued before the interrupt: " + e.bytesTransferred);
            assertTrue(p.client().isOpen());
        }
    }

    @Test
    void shouldThrowInterruptedIoExceptionFromAnInterruptedAcceptAndKeepAccepting() throws Exception {
        VirtualNetwork net = new VirtualNetwork(34);
        try (Virtual.Pair p = Virtual.Pair.open(net, options(true))) {
            Call accept = Call.start(() -> p.listener().accept());
            accept.thread().interrupt();
            assertInstanceOf(InterruptedIOException.class, accept.result());
            assertTrue(accept.interruptedAfter()[0]);
            assertEquals(1, p.accept().conv(), "the listener still accepts");
        }
    }

    @Test
    void shouldThrowSocketClosedFromTheInputStreamAfterCloseLikeJavaNetSocket() throws Exception {
        VirtualNetwork net = new VirtualNetwork(35);
        try (Virtual.Pair p = Virtual.Pair.open(net, options(true))) {
            KcpSession server = p.accept();
            InputStream in = server.inputStream();
            p.client().write(new byte[] {1, 2});
            assertTrue(net.runUntil(() -> server.available() > 0, 1_000));
            server.close();
            assertEquals(1, in.read(), "data received before close() can still be read");
            assertEquals(2, in.read());
            SocketException e = assertThrows(SocketException.class, in::read);
            assertEquals("Socket closed", e.getMessage());
            assertThrows(SocketException.class, () -> server.read(new byte[1]), "read() agrees");
        }
    }
}
