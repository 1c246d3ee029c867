package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Steady-state encode/decode allocates nothing (style 2.7); JMH -prof gc gives the precise figure. The warm-up must
 * outlast C2 compiling the Vector API loop, which the adaptive loop runs on one call in 16 while the portable loop is
 * nearly as fast (it allocates until compiled).
 */
class AllocationTest {

    @Test
    void shouldNotAllocateInSteadyStateEncodeAndDecode() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FecEncoder enc = new FecEncoder(10, 3, 0);
        FecDecoder dec = new FecDecoder(10, 3);
        byte[] pkt = new byte[1400];
        byte[][] parity = new byte[3][1400];
        Runnable round = () -> {
            for (int n = 0; n < 10; n++) {
                Arrays.fill(pkt, 8, 1400, (byte) n);
                int ready = enc.encode(pkt, 0, 1400 - n, 0);
                if (n != 3) {
                    dec.decode(pkt, 0, 1400 - n, 0);
                }
                for (int k = 0; k < ready; k++) {
                    System.arraycopy(enc.parityBuffer(k), 0, parity[k], 0, enc.parityLength());
                    dec.decode(parity[k], 0, enc.parityLength(), 0);
                }
            }
        };
        for (int i = 0; i < 50_000; i++) {
            round.run();
        }
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            round.run();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(dec.recoveredCount() >= 30_000, "recovered " + dec.recoveredCount());
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 10k groups");
    }
}
