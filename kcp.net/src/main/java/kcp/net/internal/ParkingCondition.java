package kcp.net.internal;

import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Condition} of a {@link ReentrantLock} that allocates nothing per wait: waiting threads go into a small
 * array (grown only when more threads wait at once than ever before) and park; {@link #signalAll()} unparks them.
 * The JDK's {@code ConditionObject} allocates a node per {@code await}, which made every blocking read or write of a
 * session allocate (about 40 bytes per hand-off between the receive loop and the reader, JMH
 * {@code SessionPathBench}; see docs/decisions.md, "Echo CPU per datagram").
 *
 * <p>Semantics are {@link Condition}'s, with the latitude its contract gives: a waiter may return spuriously (every
 * caller loops on its predicate), and a signalled waiter is unparked at once rather than when the signaller unlocks.
 * {@link #signal()} wakes every waiter too (callers of this class only use {@link #signalAll()}). Every method must be
 * called with the lock held, else {@link IllegalMonitorStateException}. Await releases the lock fully (whatever the
 * hold count) and reacquires it before returning or throwing.
 */
public final class ParkingCondition implements Condition {
    private final ReentrantLock lock;
    /** Waiting threads in {@code [0, count)}; guarded by {@link #lock}. */
    private Thread[] waiters = new Thread[2];
    private int count;

    /**
     * Creates a condition of {@code lock}.
     *
     * @param lock the lock every caller holds
     */
    public ParkingCondition(ReentrantLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    @Override
    public void await() throws InterruptedException {
        park(false, 0L, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            park(false, 0L, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait threw InterruptedException", e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        return park(true, nanosTimeout, true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return park(true, unit.toNanos(time), true) > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return park(true, TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis()), true) > 0;
    }

    /** Wakes every waiter (as {@link #signalAll()}: a waiter re-checks its predicate anyway). */
    @Override
    public void signal() {
        signalAll();
    }

    @Override
    public void signalAll() {
        checkHeld();
        int n = count;
        if (n == 0) {
            return;
        }
        Thread[] w = waiters;
        for (int i = 0; i < n; i++) {
            LockSupport.unpark(w[i]);
            w[i] = null;
        }
        count = 0;
    }

    /** {@return threads waiting now (tests)} */
    public int waiting() {
        checkHeld();
        return count;
    }

    /**
     * Parks the caller until signalled, interrupted, the timeout passes or spuriously; returns the estimated time
     * left (timed waits) or 0.
     */
    private long park(boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        checkHeld();
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (timed && nanos <= 0) {
            return nanos;
        }
        Thread me = Thread.currentThread();
        add(me);
        int holds = lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        long start = timed ? System.nanoTime() : 0L;
        try {
            if (timed) {
                LockSupport.parkNanos(this, nanos);
            } else {
                LockSupport.park(this);
            }
        } finally {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
            remove(me);
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        } else if (!interruptible && Thread.interrupted()) {
            me.interrupt(); // keep the status for the caller
        }
        return timed ? nanos - (System.nanoTime() - start) : 0L;
    }

    private void add(Thread t) {
        if (count == waiters.length) {
            Thread[] bigger = new Thread[waiters.length * 2];
            System.arraycopy(waiters, 0, bigger, 0, count);
            waiters = bigger;
        }
        waiters[count++] = t;
    }

    /** Removes {@code t} if it is still listed (it timed out, was interrupted or woke spuriously). */
    private void remove(Thread t) {
        Thread[] w = waiters;
        for (int i = 0; i < count; i++) {
            if (w[i] == t) {
                w[i] = w[--count];
                w[count] = null;
                return;
            }
        }
    }

    private void checkHeld() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("hold the lock of this condition first");
        }
    }
}
