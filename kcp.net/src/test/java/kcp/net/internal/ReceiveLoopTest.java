package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import kcp.net.ReceiveThreadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReceiveLoopTest {
    @Test
    @Timeout(30)
    void shouldCountEveryHandlerFailureButLogAtMostOnce() throws Exception {
        int n = 300;
        CountDownLatch thrown = new CountDownLatch(n);
        CountDownLatch healthy = new CountDownLatch(1);
        ReceiveLoop.Handler handler = new ReceiveLoop.Handler() {
            @Override
            public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
                if (buf[0] == 1) {
                    healthy.countDown();
                    return;
                }
                thrown.countDown();
                throw new IllegalStateException("handler bug on every datagram");
            }

            @Override
            public void onReceiveFailed(IOException e) {
            }
        };
        long failures = ReceiveLoop.handlerFailures();
        long reports = ReceiveLoop.HANDLER_FAILURE_LOG.reports();
        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel tx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            ReceiveLoop loop = ReceiveLoop.start(rx, handler, ReceiveThreadKind.PLATFORM, "kcp-rx-test", false);
            try {
                InetSocketAddress to = (InetSocketAddress) rx.getLocalAddress();
                // loopback may drop a burst that outruns the loop: send until every failure was seen
                while (!thrown.await(1, TimeUnit.MILLISECONDS)) {
                    tx.send(ByteBuffer.wrap(new byte[] {0}), to);
                }
                while (!healthy.await(10, TimeUnit.MILLISECONDS)) {
                    tx.send(ByteBuffer.wrap(new byte[] {1}), to);
                }
            } finally {
                loop.stop(true);
            }
        }
        assertTrue(ReceiveLoop.handlerFailures() - failures >= n, "every failure counted");
        assertTrue(ReceiveLoop.HANDLER_FAILURE_LOG.reports() - reports <= 1, "one ERROR line a minute at most");
        assertEquals(0, healthy.getCount(), "the loop survived them all");
    }

    @Test
    @Timeout(30)
    void shouldTakeDatagramsWhilePollingAndAfterBlockingThenCloseTheChannel() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        ReceiveLoop.Handler handler = new ReceiveLoop.Handler() {
            @Override
            public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
                got.add(new String(buf, 0, len, StandardCharsets.US_ASCII));
            }

            @Override
            public void onReceiveFailed(IOException e) {
                got.add("failed: " + e);
            }
        };
        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel tx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            ReceiveLoop loop = ReceiveLoop.start(rx, handler, ReceiveThreadKind.VIRTUAL, "kcp-rx-poll", true);
            InetSocketAddress to = (InetSocketAddress) rx.getLocalAddress();
            for (int round = 0; round < 3; round++) {
                // the loop has polled for its 50 us and blocks in a receive: a datagram must still wake it
                awaitBlockedReceive(loop);
                String late = "late " + round;
                tx.send(ByteBuffer.wrap(late.getBytes(StandardCharsets.US_ASCII)), to);
                assertEquals(late, got.poll(10, TimeUnit.SECONDS));
                // a burst: taken while the loop polls, in order (loopback keeps it)
                for (int i = 0; i < 50; i++) {
                    tx.send(ByteBuffer.wrap(("d" + round + "." + i).getBytes(StandardCharsets.US_ASCII)), to);
                }
                for (int i = 0; i < 50; i++) {
                    assertEquals("d" + round + "." + i, got.poll(10, TimeUnit.SECONDS));
                }
            }
            assertTrue(loop.polls());
            // the loop's channel still sends whole datagrams from other threads
            ByteBuffer reply = ByteBuffer.wrap("reply".getBytes(StandardCharsets.US_ASCII));
            rx.send(reply, (InetSocketAddress) tx.getLocalAddress());
            assertFalse(reply.hasRemaining());
            ByteBuffer in = ByteBuffer.allocate(64);
            tx.receive(in);
            assertEquals("reply", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            loop.stop(true);
            assertTrue(loop.thread().join(java.time.Duration.ofSeconds(10)), "the loop ends when stopped");
            assertFalse(rx.isOpen());
            assertTrue(got.isEmpty(), "a stop is not a receive failure: " + got);
        }
    }

    /** Nothing signals a loop's blocking receive: polls its flag and state (with a 10 s limit) until it blocks. */
    private static void awaitBlockedReceive(ReceiveLoop loop) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        // the flag set, and the thread parked in the JDK's poller (WAITING) rather than spinning
        while (!loop.blockedInReceive() || loop.thread().getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, () -> "the loop never blocked in a receive: " + loop.thread()
                    + " " + loop.thread().getState() + " " + java.util.Arrays.toString(loop.thread().getStackTrace()));
            Thread.onSpinWait();
        }
    }

    @Test
    @Timeout(30)
    void shouldNotPollOnAPlatformThread() throws Exception {
        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            ReceiveLoop loop = ReceiveLoop.start(rx, new ReceiveLoop.Handler() {
                @Override
                public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
                }

                @Override
                public void onReceiveFailed(IOException e) {
                }
            }, ReceiveThreadKind.PLATFORM, "kcp-rx-platform", true);
            assertFalse(loop.polls());
            assertTrue(rx.isBlocking(), "a platform loop blocks in receive; its channel keeps blocking mode");
            loop.stop(true);
            assertTrue(loop.thread().join(java.time.Duration.ofSeconds(10)));
        }
    }

    @Test
    @Timeout(30)
    void shouldSwitchToReceiveOffloadAfterItsFirstDatagramOnceLinked() throws Exception {
        assertTrue(UdpCoalescing.available(), UdpCoalescing.unavailableBecause());   // links, as a JVM soon has
        long warmDeadline = System.nanoTime() + 10_000_000_000L;
        while (!UdpCoalescing.linkedOrStart()) {   // and warms up, on its own thread
            assertTrue(System.nanoTime() < warmDeadline, "the warm-up never ended");
            Thread.onSpinWait();
        }
        BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel tx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            ReceiveLoop loop = ReceiveLoop.startSwitchingAfterFirstDatagram(rx, new ReceiveLoop.Handler() {
                @Override
                public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
                    got.add(java.util.Arrays.copyOf(buf, len));
                }

                @Override
                public void onReceiveFailed(IOException e) {
                    got.add(new byte[0]);
                }
            }, "kcp-rx-switch");
            try {
                InetSocketAddress to = (InetSocketAddress) rx.getLocalAddress();
                assertFalse(loop.coalesces(), "it starts with the JDK's reads");
                tx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), to);
                assertEquals(3, got.poll(10, TimeUnit.SECONDS).length);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!loop.coalesces()) {   // it switches right after handing the first datagram on
                    assertTrue(System.nanoTime() < deadline, "the loop never switched to receive offload");
                    Thread.onSpinWait();
                }
                // A run of 10 datagrams in one segmented send now arrives in one read, each handed on alone.
                UdpSegmentation.setSegmentSize(tx, 1400);
                ByteBuffer run = ByteBuffer.allocateDirect(10 * 1400);
                for (int i = 0; i < 10 * 1400; i++) {
                    run.put((byte) (i / 1400));
                }
                tx.send(run.flip(), to);
                for (int i = 0; i < 10; i++) {
                    byte[] d = got.poll(10, TimeUnit.SECONDS);
                    assertEquals(1400, d.length);
                    assertEquals(i, d[0]);
                    assertEquals(i, d[1399]);
                }
                assertEquals(10, loop.coalescedDatagrams());
            } finally {
                loop.stop(true);
            }
            assertTrue(loop.thread().join(java.time.Duration.ofSeconds(10)), "the switched loop ends on stop");
            assertTrue(got.isEmpty(), "nothing more, and no failure: " + got.size());
        }
    }
}
