package kcp.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Steady-state allocation of the infrastructure threads (both receive loops and the shared updater) during
 * an encrypted FEC echo, read from {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}: the
 * receive and flush paths must allocate nothing per packet. (User threads are reported, not asserted: a
 * blocking {@code Condition.await} allocates a JDK queue node per wait.)
 */
@Timeout(120)
class AllocationIT {
    private static final int WARMUP = 15_000;
    private static final int MEASURED = 20_000;

    @Test
    void shouldNotAllocatePerPacketOnReceiveLoopsAndUpdater() throws Throwable {
        measure("");
    }

    /** JFR running with the JDK's default settings: kcp.net's lifecycle events on, its segment trace off. */
    @Test
    void shouldNotAllocatePerPacketWhileJfrRecordsWithoutTheSegmentTrace() throws Throwable {
        try (Recording r = new Recording(Configuration.getConfiguration("default"))) {
            r.setToDisk(false);
            r.start();
            measure(" (JFR recording, default settings)");
        }
    }

    private static void measure(String label) throws Throwable {
        // Link kcp.net's foreign function code first, so that both receive loops read with receive offload from the
        // start, as in a JVM that has linked it, and the warm-up compiles that path. (Unlinked, they would switch
        // after 20,000 datagrams, in the measured window, and their first native reads run uncompiled.)
        UdpTransport.coalescingAvailable();
        Object bean = ManagementFactory.getThreadMXBean();
        MethodHandle allocated = MethodHandles.publicLookup().findVirtual(
                Class.forName("com.sun.management.ThreadMXBean"), "getThreadAllocatedBytes",
                MethodType.methodType(long.class, long.class)).bindTo(bean);
        SessionOptions o = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(256, 256)
                .cipherWithPassphrase("aes", "alloc").fec(10, 3).receiveThread(ReceiveThreadKind.PLATFORM).build();
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), o);
             KcpSession c = Kcps.dial(l.localAddress(), o)) {
            c.write(new byte[1], 0, 1);
            KcpSession s = l.accept(Duration.ofSeconds(5));
            s.read(new byte[1], 0, 1);
            Thread echo = Thread.ofPlatform().name("echo").start(() -> SessionIT.echo(s));
            byte[] msg = new byte[1000];
            pingPong(c, msg, WARMUP);
            Map<String, Thread> threads = new LinkedHashMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                String n = t.getName();
                if (n.equals("kcp-updater") || n.equals("kcp-rx-" + l.localAddress().getPort())
                        || n.equals("kcp-rx-" + c.localAddress().getPort())) {
                    threads.put(n, t);
                }
            }
            threads.put("client", Thread.currentThread());
            threads.put("echo", echo);
            assertTrue(threads.size() == 5, threads.keySet().toString());
            Map<String, Long> before = new LinkedHashMap<>();
            for (var e : threads.entrySet()) {
                before.put(e.getKey(), (long) allocated.invoke(e.getValue().threadId()));
            }
            pingPong(c, msg, MEASURED);
            StringBuilder report = new StringBuilder();
            Map<String, Long> perRoundTrip = new LinkedHashMap<>();
            for (var e : threads.entrySet()) {
                long bytes = (long) allocated.invoke(e.getValue().threadId()) - before.get(e.getKey());
                perRoundTrip.put(e.getKey(), bytes / MEASURED);
                report.append(e.getKey()).append('=').append(bytes).append(" B (")
                        .append(String.format("%.2f", bytes / (double) MEASURED)).append(" B/round trip) ");
            }
            System.out.println("steady-state allocation over " + MEASURED + " encrypted FEC round trips" + label + ": "
                    + report);
            // One object per packet would cost >= 16 B x (>= 2 datagrams per round trip); what remains below
            // 8 B per round trip is incidental (the shared updater also serves other tests' sessions, grows arrays).
            for (var e : perRoundTrip.entrySet()) {
                if (e.getKey().startsWith("kcp-")) {
                    assertTrue(e.getValue() < 8, e.getKey() + " allocates per packet: " + report);
                }
            }
            c.close();
            echo.join(5000);
        }
    }

    private static void pingPong(KcpSession c, byte[] msg, int n) throws IOException {
        byte[] got = new byte[msg.length];
        for (int i = 0; i < n; i++) {
            c.write(msg, 0, msg.length);
            int off = 0;
            while (off < got.length) {
                off += c.read(got, off, got.length - off);
            }
        }
    }
}
