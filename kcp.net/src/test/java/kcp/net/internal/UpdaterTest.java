package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UpdaterTest {
    private static final long MS = 1_000_000L;

    /** A task that records its ticks and answers with a function of now. */
    static final class Recording extends Updater.Task {
        final List<Long> ticks = new ArrayList<>();
        final String name;
        final List<String> order;
        LongUnaryOperator next;
        int afterTicks;

        Recording(String name, ReentrantLock lock, List<String> order, LongUnaryOperator next) {
            super(lock);
            this.name = name;
            this.order = order;
            this.next = next;
        }

        @Override
        protected long tick(long nowNanos) {
            ticks.add(nowNanos);
            order.add(name);
            return next.applyAsLong(nowNanos);
        }

        @Override
        protected void afterTick() {
            afterTicks++;
        }
    }

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final Updater updater = new Updater("test-updater", clock::get);
    private final List<String> order = new ArrayList<>();

    @Test
    void shouldTickOnlyDueTasksAmongManyQueued() {
        List<Recording> far = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Recording r = new Recording("far" + i, null, order, now -> now + 10 * MS);
            far.add(r);
            updater.schedule(r, clock.get() + 60_000 * MS + i);
        }
        Recording a = new Recording("a", null, order, now -> now + 10 * MS);
        Recording b = new Recording("b", null, order, now -> now + 10 * MS);
        Recording c = new Recording("c", null, order, now -> now + 10 * MS);
        updater.schedule(c, clock.get() + 3 * MS);
        updater.schedule(a, clock.get() + 1 * MS);
        updater.schedule(b, clock.get() + 2 * MS);
        assertEquals(0, updater.runDue(clock.get()), "nothing is due yet");
        assertEquals(3, updater.runDue(clock.addAndGet(5 * MS)));
        assertEquals(List.of("a", "b", "c"), order, "due tasks run in deadline order");
        assertEquals(10_003, updater.size(), "ticked tasks are queued again at the deadline they returned");
        assertEquals(clock.get() + 10 * MS, updater.nextDeadlineNanos());
        assertTrue(far.stream().allMatch(r -> r.ticks.isEmpty()));
        assertEquals(1, a.afterTicks);
    }

    @Test
    void shouldRescheduleAtTheDeadlineTheTickReturnsAndStopOnCancel() {
        int[] left = {3};
        Recording r = new Recording("r", null, order, now -> --left[0] > 0 ? now + 7 * MS : Updater.CANCEL);
        long t0 = clock.get();
        updater.schedule(r, t0);
        for (int i = 0; i < 5; i++) {
            updater.runDue(clock.get());
            clock.addAndGet(7 * MS);
        }
        assertEquals(List.of(t0, t0 + 7 * MS, t0 + 14 * MS), r.ticks);
        assertEquals(0, updater.size());
        updater.schedule(r, clock.get());
        assertEquals(0, updater.size(), "a cancelled task stays cancelled");
    }

    @Test
    void shouldNotTickAParkedTaskUntilScheduledAgain() {
        boolean[] idle = {true};
        Recording r = new Recording("r", null, order, now -> idle[0] ? Updater.PARK : now + 30 * MS);
        updater.schedule(r, clock.get());
        assertEquals(1, updater.runDue(clock.get()));
        assertEquals(0, updater.size(), "a parked task leaves the queue");
        for (int i = 0; i < 100; i++) {
            assertEquals(0, updater.runDue(clock.addAndGet(30 * MS)), "a parked task costs nothing");
        }
        assertEquals(1, r.ticks.size());
        idle[0] = false;
        long rearm = clock.get() + 5 * MS;
        updater.schedule(r, rearm);
        assertEquals(rearm, updater.nextDeadlineNanos(), "schedule re-arms a parked task");
        assertEquals(1, updater.runDue(rearm));
        assertEquals(rearm + 30 * MS, updater.nextDeadlineNanos());
    }

    @Test
    void shouldRequeueATaskScheduledDuringTheTickThatParksIt() {
        long[] requested = {0};
        Recording[] self = new Recording[1];
        self[0] = new Recording("r", null, order, now -> {
            // Work arrives while the tick decides to park: the request must not be lost.
            updater.schedule(self[0], now + 3 * MS);
            requested[0] = now + 3 * MS;
            return Updater.PARK;
        });
        updater.schedule(self[0], clock.get());
        assertEquals(1, updater.runDue(clock.get()));
        assertEquals(1, updater.size());
        assertEquals(requested[0], updater.nextDeadlineNanos());
    }

    @Test
    void shouldNotTickBeforeTheDeadlineAndTickExactlyAtIt() {
        Recording r = new Recording("r", null, order, now -> now + 100 * MS);
        long due = clock.get() + 40 * MS;
        updater.schedule(r, due);
        assertEquals(0, updater.runDue(due - 1));
        assertEquals(1, updater.runDue(due));
        assertEquals(List.of(due), r.ticks);
    }

    @Test
    void shouldRetryABusyTaskOneMillisecondLaterWithoutBlocking() throws Exception {
        ReentrantLock sessionLock = new ReentrantLock();
        Recording r = new Recording("r", sessionLock, order, now -> now + 50 * MS);
        updater.schedule(r, clock.get());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread user = Thread.ofVirtual().start(() -> {
            sessionLock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sessionLock.unlock();
            }
        });
        held.await();
        long now = clock.get();
        assertEquals(1, updater.runDue(now));
        assertTrue(r.ticks.isEmpty(), "the busy task was not ticked");
        assertEquals(now + Updater.BUSY_RETRY_NANOS, updater.nextDeadlineNanos());
        release.countDown();
        user.join();
        assertEquals(1, updater.runDue(now + Updater.BUSY_RETRY_NANOS));
        assertEquals(List.of(now + Updater.BUSY_RETRY_NANOS), r.ticks);
    }

    @Test
    void shouldOnlyMoveAQueuedTaskEarlierAndKeepAnEarlierRequestMadeDuringItsTick() {
        Recording r = new Recording("r", null, order, now -> now + 100 * MS);
        long t0 = clock.get();
        updater.schedule(r, t0 + 50 * MS);
        updater.schedule(r, t0 + 80 * MS);
        assertEquals(t0 + 50 * MS, updater.nextDeadlineNanos(), "a later request does not postpone");
        updater.schedule(r, t0 + 20 * MS);
        assertEquals(t0 + 20 * MS, updater.nextDeadlineNanos());
        assertEquals(1, updater.size());
        r.next = now -> {
            updater.schedule(r, now + 5 * MS);
            return now + 100 * MS;
        };
        updater.runDue(t0 + 20 * MS);
        assertEquals(t0 + 25 * MS, updater.nextDeadlineNanos(), "schedule() during the tick wins if earlier");
    }

    @Test
    void shouldDropATaskWhoseTickThrowsAndKeepServingOthers() {
        Recording bad = new Recording("bad", null, order, now -> {
            throw new IllegalStateException("boom");
        });
        Recording good = new Recording("good", null, order, now -> now + MS);
        updater.schedule(bad, clock.get());
        updater.schedule(good, clock.get());
        assertEquals(2, updater.runDue(clock.get()));
        assertEquals(1, updater.size());
        assertEquals(1, good.ticks.size());
    }

    /** A task that throws {@code thrown} from its tick or its afterTick and records what {@code failed} got. */
    static final class Failing extends Updater.Task {
        final Throwable thrown;
        final boolean inAfterTick;
        final List<Throwable> failures = new ArrayList<>();

        Failing(ReentrantLock lock, Throwable thrown, boolean inAfterTick) {
            super(lock);
            this.thrown = thrown;
            this.inAfterTick = inAfterTick;
        }

        private static void sneakyThrow(Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        }

        @Override
        protected long tick(long nowNanos) {
            if (!inAfterTick) {
                sneakyThrow(thrown);
            }
            return nowNanos + MS;
        }

        @Override
        protected void afterTick() {
            if (inAfterTick) {
                sneakyThrow(thrown);
            }
        }

        @Override
        protected void failed(Throwable cause) {
            failures.add(cause);
        }
    }

    @Test
    void shouldContainCountAndReportEachFailingTickOnceOutsideItsLock() {
        ReentrantLock lock = new ReentrantLock();
        Failing tickError = new Failing(lock, new StackOverflowError("deep"), false);
        Failing afterTickRuntime = new Failing(null, new IllegalStateException("after"), true);
        Recording good = new Recording("good", null, order, now -> now + MS);
        long before = Updater.taskFailures();
        updater.schedule(tickError, clock.get());
        updater.schedule(afterTickRuntime, clock.get());
        updater.schedule(good, clock.get());
        assertEquals(3, updater.runDue(clock.get()));
        assertEquals(2, Updater.taskFailures() - before);
        assertEquals(List.of(tickError.thrown), tickError.failures);
        assertEquals(List.of(afterTickRuntime.thrown), afterTickRuntime.failures);
        assertFalse(lock.isLocked(), "failed() runs after the task's lock was released");
        assertEquals(1, updater.size(), "both failing tasks were dropped");
        clock.addAndGet(10 * MS);
        updater.runDue(clock.get());
        assertEquals(2, good.ticks.size(), "the others go on");
        assertEquals(1, tickError.failures.size(), "a dropped task is never ticked again");
    }

    @Test
    void shouldLogAThousandFailingTicksAtMostOnce() {
        long reports = Updater.TASK_FAILURE_LOG.reports();
        for (int i = 0; i < 1000; i++) {
            updater.schedule(new Failing(null, new IllegalStateException("bug " + i), false), clock.get());
        }
        assertEquals(1000, updater.runDue(clock.get()));
        assertTrue(Updater.TASK_FAILURE_LOG.reports() - reports <= 1, "one ERROR line a minute at most");
        assertTrue(Updater.TASK_FAILURE_LOG.suppressed() >= 999);
    }

    @Test
    @Timeout(10)
    void shouldKeepItsThreadAliveWhenATaskThrowsAnError() throws Exception {
        Updater real = new Updater("test-updater-errors", System::nanoTime);
        real.start();
        try {
            Failing bad = new Failing(null, new OutOfMemoryError("simulated"), true);
            real.schedule(bad, real.nowNanos());
            CountDownLatch ticked = new CountDownLatch(1);
            Updater.Task probe = new Updater.Task(null) {
                @Override
                protected long tick(long nowNanos) {
                    ticked.countDown();
                    return Updater.CANCEL;
                }
            };
            real.schedule(probe, real.nowNanos() + 20 * MS);
            assertTrue(ticked.await(5, TimeUnit.SECONDS), "the updater still runs tasks after an Error");
            assertEquals(1, bad.failures.size());
        } finally {
            real.close();
        }
    }

    @Test
    void shouldKeepHeapOrderUnderRandomScheduleAndCancel() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Recording> tasks = new ArrayList<>();
        long[] deadline = new long[500];
        for (int i = 0; i < 500; i++) {
            Recording r = new Recording("t" + i, null, order, now -> Updater.CANCEL);
            tasks.add(r);
            deadline[i] = clock.get() + rnd.nextLong(1, 1000) * MS;
            updater.schedule(r, deadline[i]);
        }
        java.util.Set<Integer> cancelled = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            int k = rnd.nextInt(tasks.size());
            cancelled.add(k);
            updater.cancel(tasks.get(k));
        }
        assertEquals(500 - cancelled.size(), updater.size(), "seed " + seed);
        updater.runDue(clock.get() + 2000 * MS);
        assertEquals(500 - cancelled.size(), order.size(), "seed " + seed);
        long prev = Long.MIN_VALUE;
        for (String name : order) {
            int k = Integer.parseInt(name.substring(1));
            assertFalse(cancelled.contains(k), "cancelled task ran, seed " + seed);
            assertTrue(deadline[k] >= prev, "out of deadline order, seed " + seed);
            prev = deadline[k];
        }
        assertEquals(0, updater.size(), "seed " + seed);
    }

    @Test
    @Timeout(10)
    void shouldRunTasksOnItsOwnPlatformDaemonThread() throws Exception {
        try (Updater real = new Updater("kcp-updater-test", System::nanoTime)) {
            real.start();
            CountDownLatch five = new CountDownLatch(5);
            List<Thread> threads = new ArrayList<>();
            Updater.Task t = new Updater.Task(new ReentrantLock()) {
                @Override
                protected long tick(long nowNanos) {
                    threads.add(Thread.currentThread());
                    five.countDown();
                    return five.getCount() == 0 ? Updater.CANCEL : nowNanos + 2 * MS;
                }
            };
            real.schedule(t, real.nowNanos() + 2 * MS);
            assertTrue(five.await(5, TimeUnit.SECONDS));
            Thread th = threads.get(0);
            assertEquals("kcp-updater-test", th.getName());
            assertTrue(th.isDaemon());
            assertFalse(th.isVirtual());
        }
        Thread shared = null;
        CountDownLatch once = new CountDownLatch(1);
        Thread[] seen = new Thread[1];
        Updater.shared().schedule(new Updater.Task(null) {
            @Override
            protected long tick(long nowNanos) {
                seen[0] = Thread.currentThread();
                once.countDown();
                return Updater.CANCEL;
            }
        }, Updater.shared().nowNanos());
        assertTrue(once.await(5, TimeUnit.SECONDS));
        shared = seen[0];
        assertEquals("kcp-updater", shared.getName());
        assertTrue(shared.isDaemon() && !shared.isVirtual());
    }
}
