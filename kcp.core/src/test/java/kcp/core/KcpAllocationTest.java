package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.junit.jupiter.api.Test;

/**
 * Steady-state send / input / flush / recv allocate nothing: the thread's allocated-byte counter stays flat over 10k
 * iterations (a smoke test; JMH {@code -prof gc} in kcp.bench gives the precise per-operation figure).
 *
 * <p>kcp.core requires only java.base, and Surefire patches this test into that module, so neither
 * {@code java.management} nor {@code jdk.management} is readable at compile time. The test therefore looks
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes} up reflectively (core reflection does not
 * need readability, and both modules are in the boot layer because Surefire's launcher runs on the class path).
 */
class KcpAllocationTest {
    private static final int CONV = 99;
    private static final int ITERATIONS = 10_000;

    /** Moves datagrams between two Kcps through preallocated slots (copying, as the output contract asks). */
    private static final class Wire implements KcpOutput {
        final byte[][] slots = new byte[64][1500];
        final int[] lengths = new int[64];
        int count;

        @Override
        public void output(byte[] buf, int len) {
            System.arraycopy(buf, 0, slots[count], 0, len);
            lengths[count++] = len;
        }

        void deliverTo(Kcp to, int now) {
            for (int i = 0; i < count; i++) {
                assertEquals(InputResult.OK, to.input(slots[i], 0, lengths[i], true, false, now));
            }
            count = 0;
        }
    }

    @Test
    void shouldNotAllocateInSteadyState() throws Throwable {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        MethodHandle allocated = MethodHandles.publicLookup().findVirtual(
                Class.forName("com.sun.management.ThreadMXBean"), "getCurrentThreadAllocatedBytes",
                MethodType.methodType(long.class)).bindTo(bean);
        Wire ab = new Wire();
        Wire ba = new Wire();
        Kcp a = new Kcp(CONV, ab);
        Kcp b = new Kcp(CONV, ba);
        for (Kcp k : new Kcp[] {a, b}) {
            k.setNoDelay(true, 10, 2, true);
            k.setWindowSize(128, 128);
        }
        byte[] msg = new byte[1000];
        byte[] got = new byte[2000];
        int[] now = {0};
        Runnable iteration = () -> {
            msg[0]++;
            a.send(msg, 0, msg.length);
            a.send(msg, 0, 100);
            a.flush(false, now[0]);
            ab.deliverTo(b, now[0]);
            b.flush(false, now[0]);
            ba.deliverTo(a, now[0]);
            assertEquals(msg.length, b.recv(got, 0, got.length));
            assertEquals(msg[0], got[0]);
            assertEquals(100, b.recv(got, 0, got.length));
            now[0] += 5;
        };
        for (int i = 0; i < 3 * ITERATIONS; i++) { // warm-up: pools and rings reach their working size, JIT
            iteration.run();
        }
        long before = (long) allocated.invoke();
        for (int i = 0; i < ITERATIONS; i++) {
            iteration.run();
        }
        long after = (long) allocated.invoke();
        long perIteration = (after - before) / ITERATIONS;
        System.out.println("steady-state allocation: " + (after - before) + " bytes over " + ITERATIONS
                + " iterations");
        assertTrue(after - before < 16 * 1024, "allocated " + (after - before) + " bytes in " + ITERATIONS
                + " iterations (" + perIteration + " B/iteration)");
        assertEquals(0, a.waitSnd(), "all acknowledged");
    }
}
