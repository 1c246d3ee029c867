package kcp.net.internal;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The one thread that ticks every session's KCP flush when KCP asks for it (kcp-go's
 * {@code SystemTimedSched}, spec 5.8): a binary min-heap of {@link Task}s keyed by absolute deadline
 * (nanoseconds on an injectable clock), so a wake-up costs O(log n) per <em>due</em> task and nothing
 * for the others. Before ticking a task the updater {@link Lock#tryLock() tries} the task's lock; if a
 * user thread holds it, the task is retried {@value #BUSY_RETRY_NANOS} ns later instead of waiting, so
 * no session can stall the others.
 *
 * <p>Thread-safe: {@link #schedule}, {@link #cancel} and the getters may be called from any thread;
 * {@link #runDue(long)} is called by the updater thread (or, without {@link #start()}, by a test that
 * drives virtual time). Ticks run outside the updater's own lock. The heap array grows as needed;
 * scheduling an already-queued task allocates nothing. A tick may {@link #PARK park} its task: it leaves the
 * queue (so idle sessions cost no wake-ups) until the next {@link #schedule}, which is cheap and idempotent.
 */
public final class Updater implements AutoCloseable {
    /** Delay before retrying a task whose lock was busy: 1 ms. */
    public static final long BUSY_RETRY_NANOS = 1_000_000L;
    /** Returned by {@link Task#tick(long)} to drop the task. */
    public static final long CANCEL = Long.MIN_VALUE;
    /**
     * Returned by {@link Task#tick(long)} to leave the queue until the next {@link #schedule} (an idle session):
     * a parked task costs nothing. A {@code schedule} that races with the tick still re-queues it.
     */
    public static final long PARK = Long.MAX_VALUE;

    private static final System.Logger LOG = System.getLogger(Updater.class.getName());
    /** A bug may make every session's tick throw: logged once a minute at most, process-wide. */
    static final RateLimitedLog TASK_FAILURE_LOG = new RateLimitedLog(LOG, 60_000_000_000L, System::nanoTime);
    private static final java.util.concurrent.atomic.LongAdder TASK_FAILURES =
            new java.util.concurrent.atomic.LongAdder();

    /**
     * Something the updater ticks: a session. Holds its own heap position, so queue operations do not
     * allocate.
     */
    public abstract static class Task {
        private final Lock lock;
        private long deadlineNanos;
        private int heapIndex = -1;
        private boolean running;
        private boolean cancelled;

        /**
         * Creates a task whose ticks run under {@code lock}.
         *
         * @param lock taken with {@code tryLock} around {@link #tick(long)}, or null for none
         */
        protected Task(Lock lock) {
            this.lock = lock;
        }

        /**
         * Runs at or after the deadline, under the task's lock.
         *
         * @param nowNanos the updater's clock
         * @return the next absolute deadline in nanoseconds, {@link Updater#PARK} or {@link Updater#CANCEL}
         */
        protected abstract long tick(long nowNanos);

        /** Runs after {@link #tick(long)} once the task's lock is released (e.g. socket sends). */
        protected void afterTick() {
        }

        /**
         * Runs once, outside the task's lock, after {@link #tick(long)} or {@link #afterTick()} threw: the task is
         * already dropped from the updater (which goes on with the other tasks); a session closes itself here with
         * the cause.
         *
         * @param cause what the tick threw
         */
        protected void failed(Throwable cause) {
        }
    }

    private final String name;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Task[] heap = new Task[64];
    private int size;
    private Task[] due = new Task[64];
    private long[] next = new long[64];
    private Thread thread;
    private volatile boolean closed;

    /**
     * Creates an updater; call {@link #start()} to run it on its own thread.
     *
     * @param name      thread name used by {@link #start()}
     * @param nanoClock the clock deadlines refer to ({@code System::nanoTime} in production)
     */
    public Updater(String name, LongSupplier nanoClock) {
        this.name = Objects.requireNonNull(name, "name");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Lazily creates and starts the process-wide updater. */
    private static final class Shared {
        static final Updater INSTANCE = new Updater("kcp-updater", System::nanoTime);

        static {
            INSTANCE.start();
        }
    }

    /** {@return the process-wide updater ("kcp-updater", a platform daemon thread, started on first use)} */
    public static Updater shared() {
        return Shared.INSTANCE;
    }

    /** {@return this updater's clock in nanoseconds} */
    public long nowNanos() {
        return nanoClock.getAsLong();
    }

    /** Starts the platform daemon thread that runs due tasks; call once. */
    public void start() {
        lock.lock();
        try {
            if (thread != null) {
                throw new IllegalStateException("updater " + name + " already started");
            }
            thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code task} at {@code deadlineNanos} (also re-arming a {@link #PARK parked} task), or moves it
     * earlier if it is queued later (never later: a pending earlier tick already covers it). Wakes the thread if
     * the task becomes the first due. A call during the task's tick re-queues it after the tick even if the tick
     * parks it.
     *
     * @param task          the task
     * @param deadlineNanos absolute time on this updater's clock
     */
    public void schedule(Task task, long deadlineNanos) {
        lock.lock();
        try {
            if (task.cancelled) {
                return;
            }
            if (task.running) {
                // runDue re-queues it at the earlier of this deadline and the tick's answer.
                task.deadlineNanos = Math.min(task.deadlineNanos, deadlineNanos);
                return;
            }
            if (task.heapIndex >= 0) {
                if (deadlineNanos < task.deadlineNanos) {
                    task.deadlineNanos = deadlineNanos;
                    siftUp(task.heapIndex);
                }
            } else {
                task.deadlineNanos = deadlineNanos;
                insert(task);
            }
            if (heap[0] == task) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes {@code task} for good; a tick already running finishes, but is not re-queued.
     *
     * @param task the task
     */
    public void cancel(Task task) {
        lock.lock();
        try {
            task.cancelled = true;
            if (task.heapIndex >= 0) {
                removeAt(task.heapIndex);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@return number of queued tasks} */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the earliest queued deadline, or {@link Long#MAX_VALUE} if nothing is queued} */
    public long nextDeadlineNanos() {
        lock.lock();
        try {
            return size == 0 ? Long.MAX_VALUE : heap[0].deadlineNanos;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ticks every task due at {@code nowNanos} (deadline &lt;= now), then re-queues each at the deadline
     * its tick returned (not at all if it returned {@link #PARK} and nothing scheduled it meanwhile). A task whose
     * lock is busy is re-queued at {@code now + BUSY_RETRY_NANOS}.
     * Tasks that become due again during this call wait for the next call.
     *
     * @param nowNanos current time on this updater's clock
     * @return number of tasks taken from the queue
     */
    public int runDue(long nowNanos) {
        int n = takeDue(nowNanos);
        for (int i = 0; i < n; i++) {
            next[i] = runOne(due[i], nowNanos);
        }
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                Task t = due[i];
                due[i] = null;
                t.running = false;
                if (t.cancelled || next[i] == CANCEL) {
                    t.cancelled = true;
                    continue;
                }
                // A schedule() during the tick left its (earlier) deadline in t.deadlineNanos.
                t.deadlineNanos = Math.min(t.deadlineNanos, next[i]);
                if (t.deadlineNanos != PARK) {
                    insert(t);
                }
            }
            if (size > 0) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        return n;
    }

    private int takeDue(long nowNanos) {
        lock.lock();
        try {
            int n = 0;
            while (size > 0 && heap[0].deadlineNanos <= nowNanos) {
                Task t = heap[0];
                removeAt(0);
                t.running = true;
                // Marks "no schedule() during the tick": any such call lowers it below MAX_VALUE.
                t.deadlineNanos = Long.MAX_VALUE;
                if (n == due.length) {
                    due = Arrays.copyOf(due, n * 2);
                    next = Arrays.copyOf(next, n * 2);
                }
                due[n++] = t;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    private static long runOne(Task t, long nowNanos) {
        Lock l = t.lock;
        if (l != null && !l.tryLock()) {
            return nowNanos + BUSY_RETRY_NANOS;
        }
        long result;
        Throwable failure = null;
        try {
            result = t.tick(nowNanos);
        } catch (RuntimeException | Error e) {
            failure = e;
            result = CANCEL;
        } finally {
            if (l != null) {
                l.unlock();
            }
        }
        if (failure == null) {
            try {
                t.afterTick();
            } catch (RuntimeException | Error e) {
                failure = e;
                result = CANCEL;
            }
        }
        if (failure != null) {
            // Contained: one task's bug (or an Error in it) must not end the thread every session depends on.
            TASK_FAILURES.increment();
            TASK_FAILURE_LOG.log(System.Logger.Level.ERROR, "kcp updater: the tick of " + t + " threw; it was "
                    + "dropped and its session closed with this cause (Updater.taskFailures() counts them)", failure);
            try {
                t.failed(failure);
            } catch (RuntimeException | Error e) {
                TASK_FAILURE_LOG.log(System.Logger.Level.ERROR, "closing a failed updater task failed", e);
            }
        }
        return result;
    }

    /**
     * Returns how many task ticks threw, process-wide (a bug indicator, like
     * {@link ReceiveLoop#handlerFailures()}; each such task was dropped and its session closed).
     *
     * @return failed ticks
     */
    public static long taskFailures() {
        return TASK_FAILURES.sum();
    }

    private void loop() {
        while (!closed) {
            lock.lock();
            try {
                if (size == 0) {
                    changed.await();
                    continue;
                }
                long wait = heap[0].deadlineNanos - nanoClock.getAsLong();
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            } finally {
                lock.unlock();
            }
            runDue(nanoClock.getAsLong());
        }
    }

    /** Stops the thread (if started) and waits up to one second for it; queued tasks are dropped. */
    @Override
    public void close() {
        closed = true;
        Thread t;
        lock.lock();
        try {
            t = thread;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- binary heap on deadlineNanos; caller holds lock ----

    private void insert(Task t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    private void removeAt(int i) {
        Task removed = heap[i];
        size--;
        Task last = heap[size];
        heap[size] = null;
        removed.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    private void siftUp(int i) {
        Task t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Task p = heap[parent];
            if (p.deadlineNanos <= t.deadlineNanos) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Task t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadlineNanos < heap[child].deadlineNanos) {
                child = right;
            }
            if (t.deadlineNanos <= heap[child].deadlineNanos) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
