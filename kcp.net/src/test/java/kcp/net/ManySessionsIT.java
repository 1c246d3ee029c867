package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import kcp.net.internal.BufferPool;
import kcp.net.internal.Updater;

/**
 * 1,000 concurrent sessions on one listener, each echoing 64 KiB on its own virtual thread (IPv4 and IPv6);
 * 50 sessions hibernating between bursts; 10,000 sessions opened and closed without leaking threads, sessions,
 * updater entries or buffers.
 */
@Timeout(180)
class ManySessionsIT {
    static final SessionOptions CLIENT = SessionIT.FAST.toBuilder().windowSize(128, 128)
            .receiveThread(ReceiveThreadKind.VIRTUAL).build();

    @ParameterizedTest(name = "1000 sessions over {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void shouldEchoOnAThousandConcurrentSessionsByteExact(String host) throws Exception {
        int sessions = 1000;
        int bytes = 64 * 1024; // concurrency and routing, not bulk: 64 MiB through the listener per run
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getByName(host), 0),
                SessionIT.FAST.toBuilder().socketBuffers(8 << 20, 8 << 20).build());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            SessionIT.echoServer(l);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                long seed = i;
                results.add(pool.submit(() -> {
                    try (KcpSession c = Kcps.dial(l.localAddress(), CLIENT)) {
                        byte[] data = SessionIT.random(seed, bytes);
                        assertArrayEquals(data, SessionIT.roundTrip(c, data, 16 * 1024), "session " + seed);
                        return true;
                    }
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        }
    }

    @Test
    void shouldStayByteExactWhenSessionsHibernateBetweenBurstsConcurrently() throws Exception {
        // Hibernation every few tens of ms on both sides, while other sessions' traffic keeps the updater and the
        // receive loops busy: trims race with input, writes and re-arming on every session.
        SessionOptions o = SessionIT.FAST.toBuilder().fec(10, 3).cipherWithPassphrase("aes", "bursts")
                .hibernateAfter(Duration.ofMillis(20)).build();
        int sessions = 50;
        int rounds = 6;
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), o);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            SessionIT.echoServer(l);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                long seed = 1000 + i;
                results.add(pool.submit(() -> {
                    try (KcpSession c = Kcps.dial(l.localAddress(), o.toBuilder()
                            .receiveThread(ReceiveThreadKind.VIRTUAL).build())) {
                        for (int r = 0; r < rounds; r++) {
                            byte[] data = SessionIT.random(seed * 31 + r, 20_000 + (int) (seed % 7) * 3_001);
                            assertArrayEquals(data, SessionIT.roundTrip(c, data, 4096),
                                    "session " + seed + " round " + r);
                            Thread.sleep(40 + seed % 30); // idle long enough to hibernate
                        }
                        assertEquals(0, c.stats().snapshot().kcpInErrors());
                        return c.hibernations();
                    }
                }));
            }
            long hibernations = 0;
            for (Future<Long> f : results) {
                hibernations += f.get();
            }
            assertTrue(hibernations >= sessions * (rounds - 1L) / 2, "clients hibernated " + hibernations + " times");
        }
    }

    @ParameterizedTest(name = "open and close {0} sessions")
    @ValueSource(ints = {10_000})
    void shouldLeakNoThreadSessionOrBufferWhenOpeningAndClosingManySessions(int count) throws Exception {
        long estab = NetStats.global().get(SnmpField.CURR_ESTAB);
        int queued = Updater.shared().size();
        // Platform receive threads, so that a leaked loop shows up in Thread.getAllStackTraces().
        SessionOptions client = SessionIT.FAST.toBuilder().receiveThread(ReceiveThreadKind.PLATFORM).build();
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SessionIT.FAST)) {
            byte[] one = new byte[1];
            for (int i = 0; i < count; i++) {
                KcpSession c = Kcps.dial(l.localAddress(), client);
                c.write(new byte[] {(byte) i}, 0, 1);
                KcpSession s = l.accept();
                assertEquals(1, s.read(one, 0, 1));
                s.close();
                c.close();
            }
            String listenerLoop = "kcp-rx-" + l.localAddress().getPort();
            for (Thread t : receiveLoops(listenerLoop)) {
                t.join(5_000); // a closed session's loop ends once its socket is closed
            }
            assertEquals(List.of(), receiveLoops(listenerLoop).stream().map(Thread::getName).toList(),
                    "client receive loops still alive");
            assertEquals(0, l.sessionCount());
        }
        assertEquals(estab, NetStats.global().get(SnmpField.CURR_ESTAB));
        assertTrue(Updater.shared().size() <= queued + 1,
                "closed sessions left the updater: " + Updater.shared().size());
        assertTrue(BufferPool.shared().pooled() <= 4096);
    }

    private static List<Thread> receiveLoops(String except) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("kcp-rx-") && !t.getName().equals(except)).toList();
    }
}
