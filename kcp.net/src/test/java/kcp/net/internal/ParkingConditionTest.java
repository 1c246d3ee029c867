package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

class ParkingConditionTest {

    /** Waits (under the lock) until {@code n} threads wait on {@code c}. */
    private static void awaitWaiters(ReentrantLock lock, ParkingCondition c, int n) throws InterruptedException {
        while (true) {
            lock.lock();
            try {
                if (c.waiting() == n) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            Thread.onSpinWait();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Test
    void shouldWakeEveryWaiterOnSignalAllAndReacquireTheLock() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        ParkingCondition c = new ParkingCondition(lock);
        boolean[] ready = new boolean[1];
        CountDownLatch done = new CountDownLatch(3);
        AtomicReference<Throwable> error = new AtomicReference<>();
        for (int i = 0; i < 3; i++) {
            Runnable waiter = () -> {
                lock.lock();
                try {
                    while (!ready[0]) {
                        c.await();
                    }
                    if (!lock.isHeldByCurrentThread()) {
                        error.set(new AssertionError("await returned without the lock"));
                    }
                    done.countDown();
                } catch (InterruptedException e) {
                    error.set(e);
                } finally {
                    lock.unlock();
                }
            };
            (i == 0 ? Thread.ofVirtual() : Thread.ofPlatform().daemon()).start(waiter);
        }
        awaitWaiters(lock, c, 3);
        lock.lock();
        try {
            ready[0] = true;
            c.signalAll();
            assertEquals(0, c.waiting(), "signalled waiters leave the list");
        } finally {
            lock.unlock();
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every waiter woke");
        assertEquals(null, error.get());
    }

    @Test
    void shouldReturnFromATimedWaitAfterItsTimeoutWithTheLockHeldTwice() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        ParkingCondition c = new ParkingCondition(lock);
        lock.lock();
        lock.lock();
        try {
            long left = c.awaitNanos(1_000_000L);
            while (left > 0) {
                left = c.awaitNanos(left); // a spurious return is allowed; the caller loops
            }
            assertEquals(2, lock.getHoldCount(), "the hold count is restored");
            assertEquals(0, c.waiting(), "a timed-out waiter leaves the list");
            assertFalse(c.await(0, TimeUnit.NANOSECONDS), "a zero timeout does not wait");
        } finally {
            lock.unlock();
            lock.unlock();
        }
    }

    @Test
    void shouldThrowInterruptedExceptionWithTheLockReacquired() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        ParkingCondition c = new ParkingCondition(lock);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            lock.lock();
            try {
                c.await();
            } catch (InterruptedException e) {
                thrown.set(lock.isHeldByCurrentThread() ? e : new AssertionError("lock not held after interrupt"));
            } finally {
                lock.unlock();
                done.countDown();
            }
        });
        awaitWaiters(lock, c, 1);
        t.interrupt();
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        lock.lock();
        try {
            assertEquals(0, c.waiting(), "an interrupted waiter leaves the list");
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldRejectCallsWithoutTheLock() {
        ParkingCondition c = new ParkingCondition(new ReentrantLock());
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, c::signalAll);
        assertEquals("hold the lock of this condition first", e.getMessage());
        assertThrows(IllegalMonitorStateException.class, c::await);
    }
}
