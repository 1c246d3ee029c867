package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Steady-state allocation of both receive loops during an encrypted (aes, CFB) OOB echo over loopback, as
 * {@link AllocationIT} does for the stream: the server's loop opens, checks and hands each datagram to a handler
 * that seals and sends the echo; the client's loop opens, checks and queues a copy for {@code receiveOob}. Neither
 * may allocate per datagram (queue slots and send buffers are reused).
 */
@Timeout(120)
class OobAllocationIT {
    private static final int WARMUP = 5_000;
    private static final int MEASURED = 20_000;

    @Test
    void shouldNotAllocatePerOobDatagramOnTheReceiveLoops() throws Throwable {
        Object bean = ManagementFactory.getThreadMXBean();
        MethodHandle allocated = MethodHandles.publicLookup().findVirtual(
                Class.forName("com.sun.management.ThreadMXBean"), "getThreadAllocatedBytes",
                MethodType.methodType(long.class, long.class)).bindTo(bean);
        SessionOptions o = SessionOptions.builder().mode(KcpMode.FAST3).cipherWithPassphrase("aes", "alloc")
                .fec(10, 3).receiveThread(ReceiveThreadKind.PLATFORM).build();
        try (KcpListener l = OobIT.oobEchoServer(o); KcpSession c = Kcps.dial(OobIT.localhost(l), o)) {
            // a listener creates a session only for data: one stream byte first, echoed once the handler is set
            c.write(new byte[1]);
            c.read(new byte[1]);
            byte[] msg = new byte[200];
            byte[] got = new byte[c.oobMaxSize()];
            pingPong(c, msg, got, WARMUP);
            Map<String, Thread> threads = new LinkedHashMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                String n = t.getName();
                if (n.equals("kcp-rx-" + l.localAddress().getPort())
                        || n.equals("kcp-rx-" + c.localAddress().getPort())) {
                    threads.put(n, t);
                }
            }
            assertEquals(2, threads.size(), threads.keySet().toString());
            Map<String, Long> before = new LinkedHashMap<>();
            for (var e : threads.entrySet()) {
                before.put(e.getKey(), (long) allocated.invoke(e.getValue().threadId()));
            }
            int echoed = pingPong(c, msg, got, MEASURED);
            StringBuilder report = new StringBuilder();
            for (var e : threads.entrySet()) {
                long bytes = (long) allocated.invoke(e.getValue().threadId()) - before.get(e.getKey());
                report.append(e.getKey()).append('=').append(bytes).append(" B (")
                        .append(String.format("%.2f", bytes / (double) MEASURED)).append(" B/round trip) ");
                assertTrue(bytes / MEASURED < 8, e.getKey() + " allocates per datagram: " + report);
            }
            System.out.println("steady-state allocation over " + MEASURED + " encrypted OOB round trips (" + echoed
                    + " echoed): " + report);
        }
    }

    /** Sends {@code n} OOB datagrams one at a time and waits up to a second for each echo; returns the echoes. */
    private static int pingPong(KcpSession c, byte[] msg, byte[] got, int n) throws IOException {
        int echoed = 0;
        for (int i = 0; i < n; i++) {
            c.sendOob(msg, 0, msg.length);
            try {
                c.receiveOob(got, 0, got.length, Duration.ofSeconds(1));
                echoed++;
            } catch (java.net.SocketTimeoutException lost) {
                // loopback dropped one: OOB is not retransmitted; the next round trip goes on
            }
        }
        return echoed;
    }
}
