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

    private static MethodHandle allocatedBytes() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        return MethodHandles.publicLookup().findVirtual(
                Class.forName("com.sun.management.ThreadMXBean"), "getCurrentThreadAllocatedBytes",
                MethodType.methodType(long.class)).bindTo(bean);
    }

    /** Two Kcps exchanging a 1000-byte and a 100-byte message per round, every datagram delivered. */
    private static final class Pair {
        final Wire ab = new Wire();
        final Wire ba = new Wire();
        final Kcp a = new Kcp(CONV, ab);
        final Kcp b = new Kcp(CONV, ba);
        final byte[] msg = new byte[1000];
        final byte[] got = new byte[2000];
        int now;

        Pair() {
            for (Kcp k : new Kcp[] {a, b}) {
                k.setNoDelay(true, 10, 2, true);
                k.setWindowSize(128, 128);
            }
        }

        void round() {
            msg[0]++;
            a.send(msg, 0, msg.length);
            a.send(msg, 0, 100);
            a.flush(false, now);
            ab.deliverTo(b, now);
            b.flush(false, now);
            ba.deliverTo(a, now);
            assertEquals(msg.length, b.recv(got, 0, got.length));
            assertEquals(msg[0], got[0]);
            assertEquals(100, b.recv(got, 0, got.length));
            now += 5;
        }

        long allocatedOver(MethodHandle allocated, int rounds) throws Throwable {
            long before = (long) allocated.invoke();
            for (int i = 0; i < rounds; i++) {
                round();
            }
            return (long) allocated.invoke() - before;
        }
    }

    @Test
    void shouldNotAllocateInSteadyState() throws Throwable {
        MethodHandle allocated = allocatedBytes();
        Pair p = new Pair();
        p.allocatedOver(allocated, 3 * ITERATIONS); // warm-up: pools and rings reach their working size, JIT
        long bytes = p.allocatedOver(allocated, ITERATIONS);
        System.out.println("steady-state allocation: " + bytes + " bytes over " + ITERATIONS + " iterations");
        assertTrue(bytes < 16 * 1024, "allocated " + bytes + " bytes in " + ITERATIONS
                + " iterations (" + bytes / ITERATIONS + " B/iteration)");
        assertEquals(0, p.a.waitSnd(), "all acknowledged");
    }

    @Test
    void shouldDropCachesOnTrimAndReachSteadyStateAgain() throws Throwable {
        MethodHandle allocated = allocatedBytes();
        Pair p = new Pair();
        p.allocatedOver(allocated, 3 * ITERATIONS);
        assertTrue(p.a.isIdle() && p.b.isIdle(), "both sides idle between rounds");
        p.a.trim();
        p.b.trim();
        long flushBuffers = 2L * (p.a.mtu() + 24) * 3;
        long rewarm = p.allocatedOver(allocated, 1);
        assertTrue(rewarm >= flushBuffers, "trim released both flush buffers, so the next round allocates them "
                + "again: " + rewarm + " bytes");
        p.allocatedOver(allocated, ITERATIONS);
        long bytes = p.allocatedOver(allocated, ITERATIONS);
        assertTrue(bytes < 16 * 1024, "after re-warming, rounds allocate nothing: " + bytes + " bytes");
        assertEquals(0, p.a.waitSnd(), "all acknowledged across the trim");
    }
}
