package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import kcp.net.internal.SocketInternals;
import kcp.net.internal.UdpSegmentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UdpTransport#sendAll} with Linux UDP segmentation offload, over real loopback sockets: the peer must
 * receive exactly the datagrams that were given, in order, whether runs went out as one segmented send, one by one
 * after the kernel refused to segment, or mixed with larger datagrams sent alone from another thread. The build runs
 * kcp.net's tests with {@code --add-opens java.base/sun.nio.ch=kcp.net}, so segmentation must be on here.
 */
@Timeout(60)
class UdpSegmentationTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** {@code SOL_SOCKET} and {@code SO_NO_CHECK} (asm-generic/socket.h): send without UDP checksums. */
    private static final int SOL_SOCKET = 1;
    private static final int SO_NO_CHECK = 11;

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void shouldDeliverEveryDatagramIntactAndInOrderWhenRunsAreSentSegmented(String host) throws Exception {
        InetAddress loopback = InetAddress.getByName(host);
        try (DatagramChannel rx = receiver(loopback);
             UdpTransport tx = UdpTransport.bind(new InetSocketAddress(loopback, 0), SocketControl.NONE)) {
            assertTrue(UdpTransport.segmentationAvailable(), UdpSegmentation.unavailableBecause());
            assertTrue(tx.segments(), "segmentation should be on: " + UdpSegmentation.unavailableBecause());
            List<byte[]> sent = new ArrayList<>();
            Random rnd = new Random(7);
            // A bulk transfer's shape: runs of full 1,400-byte datagrams, a short one closing some runs, small ACKs.
            for (int batch = 0; batch < 60; batch++) {
                List<ByteBuffer> b = BulkShape.flush(sent, rnd, 70);
                long full = b.stream().filter(d -> d.remaining() == BulkShape.FULL).count();
                int first = sent.size() - b.size();
                sendAll(tx, b, rx);
                expect(rx, sent, first);
                if (batch == 0 && full >= 2) {
                    assertEquals(1400, tx.segmentSize(), "the first run of full datagrams sets the segment size");
                }
            }
            // A datagram longer than the segment size goes alone, unsplit; later runs of it are segmented at its size.
            sendAll(tx, List.of(BulkShape.datagram(sent, 1472, rnd)), rx);
            expect(rx, sent, sent.size() - 1);
            assertEquals(1472, tx.segmentSize());
            List<ByteBuffer> b = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                b.add(BulkShape.datagram(sent, i < 20 ? 1472 : 1400, rnd));
            }
            sendAll(tx, b, rx);
            assertTrue(tx.segments());
            expect(rx, sent, sent.size() - b.size());
        }
    }

    @Test
    void shouldNotSegmentOnAChannelTheApplicationKeeps() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             DatagramChannel rx = receiver(); UdpTransport tx = UdpTransport.over(ch, false)) {
            assertFalse(tx.segments(), "the application may send longer datagrams of its own on this channel");
            List<byte[]> sent = new ArrayList<>();
            Random rnd = new Random(9);
            List<ByteBuffer> b = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                b.add(BulkShape.datagram(sent, 1400, rnd));
            }
            sendAll(tx, b, rx);
            assertEquals(0, tx.segmentSize());
            // the application's own datagram, longer than the transport's, must arrive whole
            ch.send(BulkShape.datagram(sent, 1472, rnd), rx.getLocalAddress());
            expect(rx, sent, 0);
        }
    }

    @Test
    void shouldSendOneByOneFromTheFirstSegmentedSendTheKernelRefuses() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress(LOOPBACK, 0));
        // Without UDP checksums the kernel refuses every segmented send (EINVAL): a real refusal, as a path
        // without checksum offload gives.
        SocketInternals.setIntOption(ch, SOL_SOCKET, SO_NO_CHECK, 1);
        try (DatagramChannel rx = receiver(); UdpTransport tx = UdpTransport.over(ch, true)) {
            assertTrue(tx.segments());
            List<byte[]> sent = new ArrayList<>();
            Random rnd = new Random(8);
            for (int batch = 0; batch < 5; batch++) {
                List<ByteBuffer> b = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    b.add(BulkShape.datagram(sent, 1400, rnd));
                }
                b.add(BulkShape.datagram(sent, 300, rnd));
                sendAll(tx, b, rx);
                expect(rx, sent, sent.size() - b.size());
            }
            assertFalse(tx.segments(), "a refused segmented send turns segmentation off");
            assertEquals(0, tx.segmentSize());
        }
    }

    @Test
    void shouldKeepSegmentingAfterAnErrorThatSingleSendsMeetToo() throws Exception {
        try (DatagramChannel rx = receiver(); UdpTransport tx = UdpTransport.bind(new InetSocketAddress(LOOPBACK, 0),
                SocketControl.NONE)) {
            Random rnd = new Random(10);
            List<byte[]> sent = new ArrayList<>();
            List<ByteBuffer> lost = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                lost.add(BulkShape.datagram(new ArrayList<>(), 1400, rnd));
            }
            // The limited broadcast address without SO_BROADCAST: the kernel refuses every send to it (EACCES, or
            // ENETUNREACH without a route), segmented or not. That is the path's error, not segmentation's.
            InetSocketAddress broadcast = new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 9);
            assertThrows(IOException.class, () -> tx.sendAll(lost.toArray(ByteBuffer[]::new), lost.size(), broadcast));
            assertTrue(tx.segments(), "an error that single sends meet too leaves segmentation on");
            List<ByteBuffer> b = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                b.add(BulkShape.datagram(sent, 1400, rnd));
            }
            sendAll(tx, b, rx);
            assertEquals(1400, tx.segmentSize());
            expect(rx, sent, 0);
        }
    }

    @Test
    void shouldNeverSplitADatagramSentAloneWhileAnotherThreadSendsRuns() throws Exception {
        try (DatagramChannel rx = receiver(); UdpTransport tx = UdpTransport.bind(new InetSocketAddress(LOOPBACK, 0),
                SocketControl.NONE)) {
            assertTrue(tx.segments());
            InetSocketAddress to = (InetSocketAddress) rx.getLocalAddress();
            int perThread = 4_000;
            // At most 64 datagrams in flight, so that the receiver's socket buffer never overflows.
            Semaphore window = new Semaphore(64);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            IOException[] failed = new IOException[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        ByteBuffer[] run = new ByteBuffer[16];
                        int seq = 0;
                        while (seq < perThread) {
                            if (id == 1 && seq == perThread / 2) {
                                // longer than both threads' runs: the segment size must rise before it goes alone
                                window.acquire();
                                tx.send(tagged(id, seq++, 1472), to);
                                continue;
                            }
                            int len = id == 0 ? 1000 : seq < perThread / 2 ? 1200 : 1400;
                            int n = Math.min(run.length, (id == 1 && seq < perThread / 2 ? perThread / 2 : perThread)
                                    - seq);
                            for (int i = 0; i < n; i++) {
                                run[i] = tagged(id, seq + i, len);
                            }
                            window.acquire(n);
                            tx.sendAll(run, n, to);
                            seq += n;
                        }
                    } catch (IOException e) {
                        failed[id] = e;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            start.countDown();
            int[] next = new int[2];
            rx.socket().setSoTimeout(10_000);
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            for (int n = 0; n < 2 * perThread; n++) {
                rx.socket().receive(p);
                window.release();
                ByteBuffer d = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                int id = d.getInt();
                int seq = d.getInt();
                int len = d.getInt();
                assertEquals(len, p.getLength(), "datagram " + id + "/" + seq + " arrived split or merged");
                assertEquals(next[id], seq, "thread " + id + "'s datagrams arrive in order");
                next[id]++;
            }
            for (Thread s : senders) {
                s.join();
            }
            assertNull(failed[0]);
            assertNull(failed[1]);
            assertEquals(1472, tx.segmentSize(), "runs set the size, the long datagram raised it");
        }
    }

    private static ByteBuffer tagged(int id, int seq, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(id).putInt(seq).putInt(len);
        while (b.hasRemaining()) {
            b.put((byte) (seq + b.position()));
        }
        return b.flip();
    }

    private static DatagramChannel receiver() throws IOException {
        return receiver(LOOPBACK);
    }

    private static DatagramChannel receiver(InetAddress at) throws IOException {
        DatagramChannel rx = DatagramChannel.open(UdpTransport.family(new InetSocketAddress(at, 0)));
        rx.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        rx.bind(new InetSocketAddress(at, 0));
        return rx;
    }


    /** Sends like a session's queue does (every position must end up at its limit), then checks the positions. */
    private static void sendAll(UdpTransport tx, List<ByteBuffer> datagrams, DatagramChannel rx) throws IOException {
        ByteBuffer[] arr = datagrams.toArray(ByteBuffer[]::new);
        tx.sendAll(arr, arr.length, (InetSocketAddress) rx.getLocalAddress());
        for (ByteBuffer b : arr) {
            assertFalse(b.hasRemaining(), "sendAll advances every position past what it sent");
        }
    }

    /** Receives {@code sent[from, size)} and compares each datagram. */
    private static void expect(DatagramChannel rx, List<byte[]> sent, int from) throws IOException {
        rx.socket().setSoTimeout(5_000);
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        for (int i = from; i < sent.size(); i++) {
            rx.socket().receive(p);
            byte[] got = new byte[p.getLength()];
            System.arraycopy(p.getData(), 0, got, 0, got.length);
            assertArrayEquals(sent.get(i), got, "datagram " + i + " of " + sent.size());
        }
    }
}
