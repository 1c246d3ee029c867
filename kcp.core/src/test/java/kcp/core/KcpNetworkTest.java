package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kcp.core.testing.KcpPair;
import kcp.core.testing.LossyLink;
import kcp.core.testing.VirtualClock;
import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/**
 * skywind3000's {@code test.cpp} / kcp-go 5.6.1 {@code TestNetwork} (spec 11.4) in virtual time: 10% round-trip loss
 * (5% per direction, seeds 9 and 99), RTT 60..125 ms, windows 128/128; peer a sends an 8-byte message (index, send
 * time) every 20 ms, peer b echoes everything, a checks order and measures the RTT until 100 echoes returned.
 */
class KcpNetworkTest {
    private static final int CONV = 0x11223344;

    /** Average and maximum RTT of one mode. */
    private record Result(String mode, long avgRtt, int maxRtt, int virtualMs) {
    }

    private static Result run(String name, int mode, boolean compat561) {
        VirtualClock clock = new VirtualClock(1_000_000);
        KcpPair pair = new KcpPair(CONV, clock, new LossyLink(9, 5, 30, 62, 0, false, 1000),
                new LossyLink(99, 5, 30, 62, 0, false, 1000));
        Kcp a = pair.a();
        Kcp b = pair.b();
        for (Kcp k : new Kcp[] {a, b}) {
            k.setCompat561(compat561);
            k.setWindowSize(128, 128);
            switch (mode) {
                case 0 -> k.setNoDelay(false, 10, 0, false); // default
                case 1 -> k.setNoDelay(false, 10, 0, true); // normal: no congestion control
                default -> k.setNoDelay(true, 10, 2, true); // fast
            }
        }
        byte[] msg = new byte[8];
        byte[] buf = new byte[64];
        int start = clock.nowMs();
        int[] state = {start, 0, 0, 0}; // next send time, next index to send, next index expected, max rtt
        long[] sum = {0};
        pair.setApplication(now -> {
            while (now - state[0] >= 0) {
                SegmentHeader.putInt(msg, 0, state[1]++);
                SegmentHeader.putInt(msg, 4, now);
                a.send(msg, 0, 8);
                state[0] += 20;
            }
            pair.wakeAt(state[0]);
            int n;
            while ((n = b.recv(buf, 0, buf.length)) > 0) {
                b.send(buf, 0, n);
            }
            while ((n = a.recv(buf, 0, buf.length)) > 0) {
                assertEquals(8, n);
                int index = SegmentHeader.getInt(buf, 0);
                assertEquals(state[2], index, "echo out of order");
                state[2]++;
                int rtt = now - SegmentHeader.getInt(buf, 4);
                sum[0] += rtt;
                state[3] = Math.max(state[3], rtt);
            }
        });
        assertTrue(pair.runUntil(() -> state[2] >= 100, 600_000), name + " " + pair);
        return new Result(name, sum[0] / state[2], state[3], clock.nowMs() - start);
    }

    @Test
    void shouldBeatDefaultModeWithFastMode() {
        String[] names = {"default", "normal", "fast"};
        Result[] results = new Result[3];
        for (int mode = 0; mode < 3; mode++) {
            results[mode] = run(names[mode], mode, false);
            Result r561 = run(names[mode], mode, true);
            System.out.printf("mode %-7s: avgrtt=%d maxrtt=%d (virtual %d ms) | compat561: avgrtt=%d maxrtt=%d%n",
                    names[mode], results[mode].avgRtt, results[mode].maxRtt, results[mode].virtualMs,
                    r561.avgRtt, r561.maxRtt);
        }
        assertTrue(results[2].avgRtt < results[0].avgRtt, "fast avg rtt " + results[2] + " vs default "
                + results[0]);
        assertTrue(results[2].maxRtt <= results[0].maxRtt, "fast max rtt " + results[2] + " vs default "
                + results[0]);
        assertTrue(results[2].avgRtt < 200, "fast mode over a 60-125 ms path: " + results[2]);
    }
}
