package kcp.examples;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Counts a server's sessions that started and ended, so that callers can wait until all have ended. */
final class SessionTally {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long started;
    private long ended;

    void started() {
        lock.lock();
        try {
            started++;
        } finally {
            lock.unlock();
        }
    }

    void ended() {
        lock.lock();
        try {
            ended++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code sessions} sessions have ended and none is running; false on timeout. */
    boolean await(long sessions, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (ended < sessions || ended < started) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
