package kcp.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.net.testing.VirtualNetwork;

/**
 * Issue 15's proof under {@code -Xmx256m} (its own Surefire execution, see kcp.net's pom): a listener with the
 * default (heap-sized) budgets survives 10,000 forged window-filling sources while a real aes + FEC session stays
 * byte-exact; the heap it keeps afterwards is what the budget allows, not what the sources sent.
 */
@Timeout(300)
class HostileHeapTest {
    static long usedAfterGc() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void shouldSurviveTenThousandForgedWindowFillingSourcesInA256MiBHeap() throws IOException {
        long max = Runtime.getRuntime().maxMemory();
        // Runs in the hostile-heap execution (kcp.net pom); a -Dtest selection also runs it in the default one.
        org.junit.jupiter.api.Assumptions.assumeTrue(max <= 300L << 20, "needs -Xmx256m: " + max);
        SessionOptions o = HostileListenerTest.AES_FEC;
        VirtualNetwork net = new VirtualNetwork(256);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), o, net.context())) {
            HostileListenerTest.Live live = HostileListenerTest.Live.open(net, l, o);
            long budget = o.limits().effectiveReceiveBudgetBytes();
            long before = usedAfterGc();
            HostileTraffic gen = new HostileTraffic(o, 10);
            long[] peak = {0};
            HostileTraffic.Target hook = (buf, len, source) -> {
                l.deliver(buf, len, HostileTraffic.forgedSource(source));
                peak[0] = Math.max(peak[0], l.accountedBytes());
            };
            for (int round = 0; round < 10; round++) {
                gen.windowFill(hook, round * 1000, 1000, 32, 1000, HostileTraffic.Pacer.unbounded());
                live.check(32 * 1024, round);
            }
            long after = usedAfterGc();
            assertTrue(peak[0] <= budget, "accounted bytes within the budget: " + peak[0] + " > " + budget);
            assertTrue(l.sessionCount() <= o.limits().effectiveMaxSessions());
            System.out.printf("HEAP -Xmx%d MiB: 10,000 forged window-filling sources: heap after GC %+.1f MB "
                    + "(budget %d MiB, peak accounted %.1f MB), %d sessions held%n", max >> 20,
                    (after - before) / 1e6, budget >> 20, peak[0] / 1e6, l.sessionCount());
            assertTrue(live.client().isOpen() && live.server().isOpen());
            live.client().close();
        }
    }
}
