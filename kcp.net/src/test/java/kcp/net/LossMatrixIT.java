package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15's loss, duplication, reordering and delay matrix against real kcp-go 5.6.1 ({@code kcpgo}): 0, 5, 20
 * and 40% loss per datagram and direction, with 5% duplication and 5% reordering ({@link LossyRelay}, seeded)
 * behind a {@link DelayLine} of 10 ms plus 0-4 ms seeded jitter each way; both directions (Java client to a kcp-go
 * echo server, kcp-go client to a Java listener), aes + FEC 10/3, byte-exact echoes.
 *
 * <p>16 MiB per case; the whole matrix took 36 s on 2 shared cores (40% loss: 7-8 s per direction), so CI runs it
 * whole. Each case prints a {@code MATRIX} line (time, retransmissions, relay counters) for docs/hostile.md. Skips
 * without the Go peers unless {@code CI=true} ({@link GoPeers#binary}).
 */
@Timeout(300)
class LossMatrixIT {
    static final int MIB16 = 16 << 20;

    @ParameterizedTest(name = "java client -> kcp-go server, {0}% loss + 5% dup + 5% reorder + 10-14 ms delay")
    @ValueSource(ints = {0, 5, 20, 40})
    void shouldEchoByteExactThroughLossDuplicationReorderingAndDelayToAKcpGoServer(int loss) throws Exception {
        long seed = 15_000L + loss;
        int bytes = MIB16;
        SessionOptions o = GoPeers.javaOptions("aes", 10, 3, true);
        long t0 = System.nanoTime();
        try (GoInteropIT.GoServer server = GoInteropIT.GoServer.start("aes", 10, 3, true);
             LossyRelay relay = new LossyRelay(server.address(), seed, loss, 5, 5, Duration.ofSeconds(280), 50_000_000);
             DelayLine delay = new DelayLine(relay.address(), seed, 10, 4, 100_000, 280_000);
             KcpSession c = Kcps.dial(delay.address(), o)) {
            c.setReadTimeout(Duration.ofSeconds(60));
            byte[] data = SessionIT.random(seed, bytes);
            assertArrayEquals(data, SessionIT.roundTrip(c, data, 64 * 1024),
                    "seed " + seed + " " + relay + " " + delay);
            NetStatsSnapshot st = c.stats().snapshot();
            assertEquals(0, st.inCsumErrors(), st.toString());
            assertEquals(0, st.kcpInErrors(), st.toString());
            Map<String, String> go = server.finish();
            assertEquals(Integer.toString(bytes), go.get("echoed"), go.toString());
            assertEquals("0", go.get("InCsumErrors"), go.toString());
            assertEquals("0", go.get("KCPInErrors"), go.toString());
            assertImpaired(loss, relay, delay);
            report("java->go", loss, bytes, t0, relay, delay, st.retransSegs());
        }
    }

    @ParameterizedTest(name = "kcp-go client -> java listener, {0}% loss + 5% dup + 5% reorder + 10-14 ms delay")
    @ValueSource(ints = {0, 5, 20, 40})
    void shouldEchoByteExactThroughLossDuplicationReorderingAndDelayForAKcpGoClient(int loss) throws Exception {
        long seed = 16_000L + loss;
        int bytes = MIB16;
        SessionOptions o = GoPeers.javaOptions("aes", 10, 3, true);
        long t0 = System.nanoTime();
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), o);
             LossyRelay relay = new LossyRelay(l.localAddress(), seed, loss, 5, 5, Duration.ofSeconds(280), 50_000_000);
             DelayLine delay = new DelayLine(relay.address(), seed, 10, 4, 100_000, 280_000)) {
            SessionIT.echoServer(l);
            Map<String, String> go = GoInteropIT.runGoClient(delay.address(), "aes", 10, 3, true, bytes, seed);
            assertEquals("ok", go.get("status"), go + " " + relay + " " + delay);
            assertEquals(Integer.toString(bytes), go.get("bytes"), go.toString());
            assertEquals("0", go.get("InCsumErrors"), go.toString());
            assertEquals("0", go.get("KCPInErrors"), go.toString());
            assertImpaired(loss, relay, delay);
            report("go->java", loss, bytes, t0, relay, delay, Long.parseLong(go.getOrDefault("RetransSegs", "-1")));
        }
    }

    private static void assertImpaired(int loss, LossyRelay relay, DelayLine delay) {
        assertTrue(relay.duplicated.get() > 0 && relay.reordered.get() > 0, relay.toString());
        assertTrue(loss == 0 ? relay.dropped.get() == 0 : relay.dropped.get() > 0, relay.toString());
        assertTrue(delay.delayed.get() > 0 && delay.overflow.get() == 0, delay.toString());
    }

    private static void report(String dir, int loss, int bytes, long t0, LossyRelay relay, DelayLine delay,
            long retrans) {
        System.out.printf("MATRIX %s loss=%d%% bytes=%d elapsed_ms=%d retrans=%d %s %s%n", dir, loss, bytes,
                (System.nanoTime() - t0) / 1_000_000, retrans, relay, delay);
    }
}
