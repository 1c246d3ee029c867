package kcp.core.testing;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import kcp.core.InputResult;
import kcp.core.Kcp;

/**
 * Two {@link Kcp} endpoints, {@code a} and {@code b}, joined by two {@link LossyLink}s and driven ikcp-style
 * ({@link Kcp#update} at {@link Kcp#check}) in virtual time: {@link #runUntil} delivers due datagrams, runs the
 * application hook, updates the endpoints that are due and then jumps the clock straight to the next event
 * (earliest check time, datagram delivery or requested wake-up). Nothing sleeps, so minutes of lossy traffic take
 * milliseconds. {@link #toString()} names both links' seeds; put it in assertion messages. Not thread-safe.
 */
public final class KcpPair {
    /** Application logic run at every simulation step (send, recv, request wake-ups). */
    @FunctionalInterface
    public interface Application {
        /**
         * Called once per step, after the datagrams due by now were delivered.
         *
         * @param nowMs the virtual time of the step
         */
        void onStep(int nowMs);
    }

    private static final int SPIN_LIMIT = 1_000_000;

    private final VirtualClock clock;
    private final LossyLink aToB;
    private final LossyLink bToA;
    private final Kcp a;
    private final Kcp b;
    private Application application = now -> { };
    private boolean ackNoDelayA;
    private boolean ackNoDelayB;
    private boolean wakeRequested;
    private int wakeAtMs;
    private long badInputs;

    /**
     * Creates both endpoints with the same conversation id; what {@code a} outputs travels over {@code aToB}.
     *
     * @param conv  the conversation id of both endpoints
     * @param clock the virtual clock both links and endpoints read
     * @param aToB  the link that carries a's datagrams to b
     * @param bToA  the link that carries b's datagrams to a
     */
    public KcpPair(int conv, VirtualClock clock, LossyLink aToB, LossyLink bToA) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.aToB = Objects.requireNonNull(aToB, "aToB");
        this.bToA = Objects.requireNonNull(bToA, "bToA");
        this.a = new Kcp(conv, (buf, len) -> aToB.send(buf, len, clock.nowMs()));
        this.b = new Kcp(conv, (buf, len) -> bToA.send(buf, len, clock.nowMs()));
    }

    /** {@return endpoint a (its datagrams travel over aToB)} */
    public Kcp a() {
        return a;
    }

    /** {@return endpoint b (its datagrams travel over bToA)} */
    public Kcp b() {
        return b;
    }

    /** {@return the shared virtual clock} */
    public VirtualClock clock() {
        return clock;
    }

    /** {@return the link from a to b} */
    public LossyLink aToB() {
        return aToB;
    }

    /** {@return the link from b to a} */
    public LossyLink bToA() {
        return bToA;
    }

    /**
     * Sets the hook run at every step (replacing the previous one; the default does nothing).
     *
     * @param application the application logic: sends, receives and {@link #wakeAt} requests
     */
    public void setApplication(Application application) {
        this.application = Objects.requireNonNull(application, "application");
    }

    /**
     * Sets kcp-go's ackNoDelay flag (flush ACKs on every input) per endpoint.
     *
     * @param forA flag for datagrams fed to a
     * @param forB flag for datagrams fed to b
     */
    public void setAckNoDelay(boolean forA, boolean forB) {
        this.ackNoDelayA = forA;
        this.ackNoDelayB = forB;
    }

    /**
     * Asks for a step at {@code timeMs} (if it is in the future); the earliest request wins.
     *
     * @param timeMs virtual time of the wanted step
     */
    public void wakeAt(int timeMs) {
        if (timeMs - clock.nowMs() > 0 && (!wakeRequested || timeMs - wakeAtMs < 0)) {
            wakeRequested = true;
            wakeAtMs = timeMs;
        }
    }

    /** {@return the number of datagrams either endpoint rejected (input result other than OK)} */
    public long badInputs() {
        return badInputs;
    }

    /**
     * Runs the simulation until {@code done} holds or {@code maxVirtualMs} of virtual time have passed.
     *
     * @param done         the end condition, checked after every step
     * @param maxVirtualMs the most virtual time to simulate
     * @return true if {@code done} became true, false on timeout
     * @throws IllegalStateException if the simulation stops making progress in time (a livelock)
     */
    public boolean runUntil(BooleanSupplier done, int maxVirtualMs) {
        int start = clock.nowMs();
        int deadline = start + maxVirtualMs;
        int spins = 0;
        while (true) {
            int now = clock.nowMs();
            if (wakeRequested && wakeAtMs - now <= 0) {
                wakeRequested = false;
            }
            deliver(aToB, b, ackNoDelayB, now);
            deliver(bToA, a, ackNoDelayA, now);
            application.onStep(now);
            if (done.getAsBoolean()) {
                return true;
            }
            if (now - deadline >= 0) {
                return false;
            }
            if (a.check(now) - now <= 0) {
                a.update(now);
            }
            if (b.check(now) - now <= 0) {
                b.update(now);
            }
            int next = earliest(now, a.check(now), b.check(now));
            if (aToB.hasPending()) {
                next = earliest(now, next, aToB.nextDeliveryMs());
            }
            if (bToA.hasPending()) {
                next = earliest(now, next, bToA.nextDeliveryMs());
            }
            if (wakeRequested) {
                next = earliest(now, next, wakeAtMs);
            }
            if (next - deadline > 0) {
                next = deadline;
            }
            if (next - now <= 0) {
                if (++spins > SPIN_LIMIT) {
                    throw new IllegalStateException("simulation stuck at " + now + " ms: " + this);
                }
            } else {
                spins = 0;
                clock.advanceTo(next);
            }
        }
    }

    private static int earliest(int now, int x, int y) {
        return x - now <= y - now ? x : y;
    }

    private void deliver(LossyLink link, Kcp to, boolean ackNoDelay, int now) {
        byte[] packet;
        while ((packet = link.poll(now)) != null) {
            if (to.input(packet, 0, packet.length, true, ackNoDelay, now) != InputResult.OK) {
                badInputs++;
            }
        }
    }

    @Override
    public String toString() {
        return "KcpPair[t=" + clock.nowMs() + "ms, aToB=" + aToB + ", bToA=" + bToA + "]";
    }
}
