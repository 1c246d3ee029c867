package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import kcp.net.internal.UninterruptibleChannels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application's interrupt cancels one blocking call and never the socket: over real sockets, because what is at
 * stake is the JDK channel, which an interrupt closes (and with it every session of a listener) unless kcp.net keeps
 * the interrupt away from it. Sends that happen on an interrupted thread (an OOB datagram, the flush of a close) and
 * interrupts that land while a writer's datagrams are going out must leave the other sessions, and the interrupted
 * thread's own session, working.
 */
@Timeout(60)
class InterruptedSendTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final SessionOptions FEC = SessionIT.FAST.toBuilder().fec(10, 3).build();

    /** Two clients of one listener, each with its accepted session. */
    private record Pair(KcpSession clientA, KcpSession serverA, KcpSession clientB, KcpSession serverB) {
        static Pair of(KcpListener l) throws IOException {
            KcpSession a = Kcps.dial(l.localAddress(), FEC);
            KcpSession sa = accept(l, a);
            KcpSession b = Kcps.dial(l.localAddress(), FEC);
            KcpSession sb = accept(l, b);
            return new Pair(a, sa, b, sb);
        }

        private static KcpSession accept(KcpListener l, KcpSession client) throws IOException {
            client.write(new byte[] {7}, 0, 1);
            KcpSession s = l.accept(Duration.ofSeconds(5));
            s.setReadTimeout(Duration.ofSeconds(5));
            client.setReadTimeout(Duration.ofSeconds(5));
            assertEquals(1, s.read(new byte[1], 0, 1));
            return s;
        }

        /** Session B still carries a round trip both ways, and the listener accepts a new client. */
        void assertListenerStillServes(KcpListener l) throws IOException {
            assertBStillWorks();
            try (KcpSession c = Kcps.dial(l.localAddress(), FEC); KcpSession s = accept(l, c)) {
                assertTrue(s.isOpen(), "the listener still accepts");
            }
        }

        /** Session B still carries a round trip both ways. */
        void assertBStillWorks() throws IOException {
            byte[] ping = {1, 2, 3, 4};
            clientB.write(ping, 0, ping.length);
            byte[] got = new byte[4];
            readFully(serverB, got);
            assertArrayEquals(ping, got);
            serverB.write(got, 0, got.length);
            byte[] back = new byte[4];
            readFully(clientB, back);
            assertArrayEquals(ping, back);
        }

        void close() {
            clientA.close();
            clientB.close();
            serverA.close();
            serverB.close();
        }
    }

    /** A call that may send, made with the thread's interrupt status set: it must keep the status for the caller. */
    @FunctionalInterface
    private interface Call {
        void run() throws IOException;
    }

    private static void onInterruptedThread(Call call) throws IOException {
        Thread.currentThread().interrupt();
        try {
            call.run();
        } finally {
            assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
        }
    }

    private static void readFully(KcpSession s, byte[] into) throws IOException {
        int off = 0;
        while (off < into.length) {
            off += s.read(into, off, into.length - off);
        }
    }

    private static KcpListener listener(boolean owned) throws IOException {
        // Served over a channel from DatagramChannel.open(): the JDK's interruptible kind, which kcp.net cannot
        // replace; owned: the listener opens its socket itself.
        return owned ? Kcps.listen(LOOPBACK, FEC) : Kcps.serve(DatagramChannel.open().bind(LOOPBACK), FEC);
    }

    @Test
    void shouldOpenChannelsThatAnInterruptDoesNotCloseWhenTheJvmOpensItsSocketInternals() throws Exception {
        assertNull(UninterruptibleChannels.unavailableBecause(), "the test JVMs run with kcp.net.jvmflags");
        try (DatagramChannel ch = UninterruptibleChannels.open(null).bind(LOOPBACK);
                DatagramChannel plain = DatagramChannel.open().bind(LOOPBACK)) {
            Thread.currentThread().interrupt();
            try {
                ch.send(java.nio.ByteBuffer.wrap(new byte[] {1}), plain.getLocalAddress());
            } finally {
                assertTrue(Thread.interrupted(), "the status is the caller's to clear");
            }
            assertTrue(ch.isOpen(), "an interrupted thread's send closed the channel");
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(4);
            assertEquals(ch.getLocalAddress(), plain.receive(in));
            assertEquals(1, in.flip().remaining());
        }
    }

    @ParameterizedTest(name = "listener owns its socket: {0}")
    @ValueSource(booleans = {true, false})
    void shouldKeepTheListenerServingWhenAnInterruptedThreadSendsAnOobDatagram(boolean owned) throws Exception {
        KcpListener l = listener(owned);
        Pair p = Pair.of(l);
        try {
            byte[] oob = {9, 8, 7};
            onInterruptedThread(() -> p.serverA().sendOob(oob, 0, oob.length));
            byte[] got = new byte[16];
            assertEquals(3, p.clientA().receiveOob(got, 0, got.length, Duration.ofSeconds(5)));
            assertEquals(9, got[0]);
            p.assertListenerStillServes(l);
        } finally {
            p.close();
            l.close();
        }
    }

    @ParameterizedTest(name = "listener owns its socket: {0}")
    @ValueSource(booleans = {true, false})
    void shouldKeepTheListenerServingWhenAnInterruptedThreadClosesOneOfItsSessions(boolean owned) throws Exception {
        KcpListener l = listener(owned);
        Pair p = Pair.of(l);
        try {
            // Written but held back (write delay, a 5 s tick): the close's own flush is what sends it, on the
            // interrupted thread.
            p.serverA().setWriteDelay(true);
            p.serverA().setNoDelay(true, 5000, 2, true);
            byte[] last = {5, 6, 7, 8, 9};
            p.serverA().write(last, 0, last.length);
            onInterruptedThread(() -> p.serverA().close());
            byte[] got = new byte[5];
            readFully(p.clientA(), got);
            assertArrayEquals(last, got, "the close flushed what was written");
            p.assertListenerStillServes(l);
        } finally {
            p.close();
            l.close();
        }
    }

    @Test
    void shouldLeaveAServedChannelOpenWhenAnInterruptedThreadClosesTheListener() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open().bind(LOOPBACK)) {
            KcpListener l = Kcps.serve(ch, FEC);
            onInterruptedThread(l::close); // wakes its receive loop with an empty datagram from the channel to itself
            assertTrue(ch.isOpen(), "the application's channel was closed");
            ch.send(java.nio.ByteBuffer.wrap(new byte[] {1}), ch.getLocalAddress());
        }
    }

    /**
     * A writer interrupted every 50 us, 300 times 60 KB: each write either completes or throws
     * {@link InterruptedIOException} saying how much it queued, and the peer reads exactly that stream. Before kcp.net
     * opened its sockets uninterruptibly, the third write or so failed: an interrupt had landed inside a send.
     */
    @ParameterizedTest(name = "virtual writer: {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepTheSessionWhenItsWriterIsInterruptedWhileDatagramsGoOut(boolean virtual) throws Exception {
        try (KcpListener l = Kcps.listen(LOOPBACK, SessionIT.FAST);
                KcpSession c = Kcps.dial(l.localAddress(), SessionIT.FAST)) {
            c.write(new byte[] {0}, 0, 1);
            KcpSession s = l.accept(Duration.ofSeconds(5));
            byte[] chunk = SessionIT.random(3, 60_000);
            AtomicReference<IOException> failure = new AtomicReference<>();
            AtomicLong queued = new AtomicLong(1); // the byte that opened the session
            AtomicInteger interrupted = new AtomicInteger();
            Runnable writes = () -> {
                for (int i = 0; i < 300 && failure.get() == null; i++) {
                    int at = 0;
                    while (at < chunk.length) {
                        try {
                            c.write(chunk, at, chunk.length - at);
                            queued.addAndGet(chunk.length - at);
                            at = chunk.length;
                        } catch (InterruptedIOException e) {
                            // Whatever the write queued is in the stream; the rest of the chunk goes next.
                            queued.addAndGet(e.bytesTransferred);
                            at += e.bytesTransferred;
                            interrupted.incrementAndGet();
                            Thread.interrupted();
                        } catch (IOException e) {
                            failure.set(e);
                            return;
                        }
                    }
                }
            };
            Thread writer = virtual ? Thread.ofVirtual().unstarted(writes) : Thread.ofPlatform().unstarted(writes);
            AtomicBoolean done = new AtomicBoolean();
            Thread interrupter = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    writer.interrupt();
                    LockSupport.parkNanos(50_000L);
                }
            });
            long read = 0;
            byte[] buf = new byte[65536];
            s.setReadTimeout(Duration.ofMillis(100)); // to notice the writer's end; a timeout leaves the session open
            writer.start();
            while ((writer.isAlive() || read < queued.get()) && failure.get() == null) {
                int n;
                try {
                    n = s.read(buf, 0, buf.length);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    long at = read + k - 1;
                    byte want = at < 0 ? 0 : chunk[(int) (at % chunk.length)];
                    if (buf[k] != want) {
                        throw new AssertionError("byte " + (read + k) + " differs");
                    }
                }
                read += n;
            }
            done.set(true);
            interrupter.join();
            writer.join();
            assertNull(failure.get(), "a write failed other than by its interrupt");
            assertEquals(queued.get(), read, "the peer read what the writes queued");
            assertTrue(c.isOpen() && s.isOpen());
            assertTrue(interrupted.get() > 0, "no write was interrupted: the test did not test anything");
            c.write(new byte[] {42}, 0, 1);
            assertEquals(1, s.read(buf, 0, 1));
            assertEquals(42, buf[0]);
        }
    }
}
