package kcp.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;

/**
 * Waits for state that only real sockets update (counters bumped by a receive loop, ICMP errors from the kernel):
 * nothing signals those, so this polls. Tests in virtual time never need it.
 */
final class Await {
    private Await() {
    }

    /** Polls {@code condition} every millisecond for up to 10 s and fails if it never holds. */
    static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in 10 s");
            Thread.sleep(1);
        }
    }
}
