package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import kcp.net.internal.UdpCoalescing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link UdpTransport}'s receive loop with Linux UDP receive offload, over real loopback sockets: runs that a
 * segmenting sender sent with one call arrive in one read, and the receiver must still get exactly the datagrams
 * that were sent, one by one, in order, from the sender's address as the JDK reports it. The build runs kcp.net's
 * tests with {@code --enable-native-access=kcp.net} and the JDK's socket internals opened, so it must be on here.
 */
@Timeout(60)
class UdpCoalescingTest {
    /** What a receiver saw: a copy of one datagram, or why the transport stopped. */
    private record Got(byte[] bytes, InetSocketAddress from, IOException failure) {
    }

    private static final class Collector implements DatagramTransport.Receiver {
        final BlockingQueue<Got> got = new LinkedBlockingQueue<>();

        @Override
        public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
            got.add(new Got(Arrays.copyOf(buf, len), from, null));
        }

        @Override
        public void onReceiveFailed(IOException e) {
            got.add(new Got(null, null, e));
        }

        Got next() throws InterruptedException {
            Got g = got.poll(10, TimeUnit.SECONDS);
            assertNotNull(g, "nothing arrived within 10 s");
            return g;
        }
    }

    /**
     * Links kcp.net's foreign function code before any loop starts, so that every loop here reads with receive offload
     * from its start (loops that start while it links switch later: {@code ReceiveLoopTest}).
     */
    @BeforeAll
    static void linkFirst() {
        assertTrue(UdpTransport.coalescingAvailable(), UdpCoalescing.unavailableBecause());
    }

    /**
     * Loops switch only once the linking thread has also run the native read over a private socket pair, so that
     * the JIT has compiled it (a loop that switched to interpreted code fell behind for long enough that its peer's
     * retransmission timers fired): every read of the warm-up happened, half of them runs of three datagrams.
     */
    @Test
    void shouldLetLoopsSwitchOnlyAfterTheWarmUpHasReadSingleDatagramsAndRuns() throws Exception {
        Await.until(UdpCoalescing::linkedOrStart);
        int[] counts = UdpCoalescing.warmUpCounts();
        assertEquals(UdpCoalescing.WARM_UP_READS, counts[0], "reads of the warm-up");
        assertEquals(UdpCoalescing.WARM_UP_READS / 2, counts[1], "reads that returned a run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void shouldHandOverEveryDatagramOfACoalescedRunOnItsOwnAndInOrder(String host) throws Exception {
        InetAddress loopback = InetAddress.getByName(host);
        Collector c = new Collector();
        try (UdpTransport rx = UdpTransport.bind(new InetSocketAddress(loopback, 0), SocketControl.NONE);
             UdpTransport tx = UdpTransport.bind(new InetSocketAddress(loopback, 0), SocketControl.NONE)) {
            rx.start(c, ReceiveThreadKind.PLATFORM);
            assertTrue(UdpTransport.coalescingAvailable(), UdpCoalescing.unavailableBecause());
            assertTrue(rx.coalesces(), "a platform loop on an owned channel reads with receive offload");
            List<byte[]> sent = new ArrayList<>();
            Random rnd = new Random(11);
            for (int batch = 0; batch < 40; batch++) {
                List<ByteBuffer> b = BulkShape.flush(sent, rnd, 50);
                int first = sent.size() - b.size();
                tx.sendAll(b.toArray(ByteBuffer[]::new), b.size(), rx.localAddress());
                for (int i = first; i < sent.size(); i++) {
                    Got g = c.next();
                    assertArrayEquals(sent.get(i), g.bytes(), "datagram " + i);
                    assertEquals(tx.localAddress(), g.from());
                }
            }
            assertTrue(rx.coalescedDatagrams() > 0, "no run arrived coalesced");
            assertTrue(c.got.isEmpty(), "more datagrams than were sent: " + c.got.size());
        }
    }

    @Test
    void shouldCutADatagramLongerThan1500BytesAsTheJdkLoopDoes() throws Exception {
        Collector c = new Collector();
        try (UdpTransport rx = UdpTransport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketControl.NONE); DatagramChannel tx = DatagramChannel.open()) {
            rx.start(c, ReceiveThreadKind.PLATFORM);
            assertTrue(rx.coalesces());
            byte[] big = new byte[3000];
            new Random(3).nextBytes(big);
            tx.send(ByteBuffer.wrap(big), rx.localAddress());
            tx.send(ByteBuffer.allocate(0), rx.localAddress());
            assertArrayEquals(Arrays.copyOf(big, 1500), c.next().bytes());
            assertEquals(0, c.next().bytes().length, "an empty datagram is delivered, as the JDK's loop delivers it");
        }
    }

    @Test
    void shouldReportAnIpv4PeerOfADualStackSocketAsTheJdkDoes() throws Exception {
        Collector c = new Collector();
        try (UdpTransport rx = UdpTransport.bind(new InetSocketAddress(0), SocketControl.NONE);
             DatagramChannel tx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            rx.start(c, ReceiveThreadKind.PLATFORM);
            assertTrue(rx.coalesces());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", rx.localAddress().getPort());
            tx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), to);
            Got g = c.next();
            assertInstanceOf(Inet4Address.class, g.from().getAddress(), "IPv4-mapped senders read as IPv4");
            assertEquals(tx.getLocalAddress(), g.from());
            tx.send(ByteBuffer.wrap(new byte[] {4}), to);
            assertTrue(g.from() == c.next().from(), "a repeated sender is the same object (no allocation per read)");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldEndABlockedLoopAndReleaseThePortOnClose(boolean virtualSenderFirst) throws Exception {
        InetSocketAddress at;
        Collector c = new Collector();
        UdpTransport rx = UdpTransport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketControl.NONE);
        rx.start(c, ReceiveThreadKind.PLATFORM);
        assertTrue(rx.coalesces());
        at = rx.localAddress();
        if (virtualSenderFirst) {
            // A send from a virtual thread makes the JDK switch the socket to non-blocking mode for good, and the
            // loop's own descriptor shares that mode: its read then waits in poll, which a close must end too.
            Thread.ofVirtual().start(() -> {
                try {
                    rx.send(ByteBuffer.wrap(new byte[] {7}), at);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).join();
            assertArrayEquals(new byte[] {7}, c.next().bytes());
        }
        Thread loop = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("kcp-rx-" + at.getPort())).findFirst().orElseThrow();
        rx.close();
        loop.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(loop.isAlive(), "the loop blocked in its native read must end on close");
        assertTrue(c.got.isEmpty(), "a close is not a failure: " + c.got);
        // the loop's own descriptor is closed too: the port is free again
        try (DatagramChannel again = DatagramChannel.open().bind(at)) {
            assertEquals(at, again.getLocalAddress());
        }
    }

    @Test
    void shouldFailTheReceiverWhenTheChannelIsClosedUnderTheLoop() throws Exception {
        Collector c = new Collector();
        DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress at = (InetSocketAddress) ch.getLocalAddress();
        try (UdpTransport rx = UdpTransport.over(ch, true); DatagramChannel tx = DatagramChannel.open()) {
            rx.start(c, ReceiveThreadKind.PLATFORM);
            assertTrue(rx.coalesces());
            ch.close();   // as an interrupted send closes a JDK channel
            // The loop's own descriptor still holds the socket, so the next datagram reaches it; the loop then finds
            // the channel closed, as the JDK's loop would have at once.
            tx.send(ByteBuffer.wrap(new byte[] {9}), at);
            Got g = c.next();
            assertInstanceOf(ClosedChannelException.class, g.failure());
        }
    }

    @Test
    void shouldLeaveVirtualLoopsAndUnownedChannelsToTheJdk() throws Exception {
        try (UdpTransport virtual = UdpTransport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketControl.NONE);
             DatagramChannel ch = DatagramChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             UdpTransport unowned = UdpTransport.over(ch, false)) {
            Collector a = new Collector();
            Collector b = new Collector();
            virtual.start(a, ReceiveThreadKind.VIRTUAL);
            unowned.start(b, ReceiveThreadKind.PLATFORM);
            assertFalse(virtual.coalesces(), "a native read would pin the virtual thread's carrier");
            assertFalse(unowned.coalesces(), "the application may read its own channel");
            try (DatagramChannel tx = DatagramChannel.open()) {
                tx.send(ByteBuffer.wrap(new byte[] {5}), virtual.localAddress());
                tx.send(ByteBuffer.wrap(new byte[] {6}), unowned.localAddress());
            }
            assertArrayEquals(new byte[] {5}, a.next().bytes());
            assertArrayEquals(new byte[] {6}, b.next().bytes());
        }
    }
}
