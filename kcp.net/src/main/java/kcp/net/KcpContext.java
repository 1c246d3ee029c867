package kcp.net;

import java.util.concurrent.atomic.AtomicLong;

import kcp.net.internal.NetContext;

/**
 * The clock, updater and buffer pool that listeners and sessions run on. {@link #shared()} is what every
 * {@link Kcps} factory uses unless told otherwise: {@code System.nanoTime}, the one {@code kcp-updater} thread that
 * ticks every session, and the process-wide pool of 1500-byte datagram buffers.
 *
 * <p>A {@link #manual(long) manual} context runs in virtual time: its clock moves only by {@link #advanceTo}, and
 * session ticks (flushes, retransmissions, dead-link, idle and hibernation checks) run only inside
 * {@link #runDue()}, on the caller's thread. Together with an in-memory {@link DatagramTransport} (see
 * {@code kcp.net.testing.VirtualNetwork}) a whole listener and its sessions run deterministically, with timeouts in
 * virtual time: a blocked read or accept checks the virtual clock every millisecond of real time.
 *
 * <p>Thread-safe.
 */
public final class KcpContext {
    private static final KcpContext SHARED = new KcpContext(NetContext.shared(), null);

    private final NetContext net;
    private final AtomicLong manualNanos;

    private KcpContext(NetContext net, AtomicLong manualNanos) {
        this.net = net;
        this.manualNanos = manualNanos;
    }

    /**
     * Returns the process-wide context (real time, the shared updater thread, the shared buffer pool).
     *
     * @return the shared context
     */
    public static KcpContext shared() {
        return SHARED;
    }

    /**
     * Creates a context in virtual time starting at {@code startNanos}; nothing runs until {@link #runDue()}.
     *
     * @param startNanos the clock's first value
     * @return a new manual context with an updater and a buffer pool of its own
     */
    public static KcpContext manual(long startNanos) {
        AtomicLong now = new AtomicLong(startNanos);
        return new KcpContext(NetContext.manual(now::get), now);
    }

    /**
     * Returns the context's clock in nanoseconds.
     *
     * @return the current time
     */
    public long nanoTime() {
        return net.nanoTime();
    }

    /**
     * Returns true for a context made by {@link #manual(long)}.
     *
     * @return whether time moves only by {@link #advanceTo}
     */
    public boolean isManual() {
        return manualNanos != null;
    }

    /**
     * Moves a manual clock forward to {@code nanos} (an earlier value is ignored). Nothing runs until
     * {@link #runDue()}.
     *
     * @param nanos the new time
     * @throws IllegalStateException on the shared context, whose clock is real time
     */
    public void advanceTo(long nanos) {
        requireManual("advanceTo");
        manualNanos.accumulateAndGet(nanos, Math::max);
    }

    /**
     * Runs every session tick due at the current virtual time on the caller's thread.
     *
     * @return how many ticks ran
     * @throws IllegalStateException on the shared context, whose updater runs on its own thread
     */
    public int runDue() {
        requireManual("runDue");
        return net.updater().runDue(net.nanoTime());
    }

    /**
     * Returns when the next session tick is due, or {@link Long#MAX_VALUE} if none is queued (every session idle).
     *
     * @return the earliest tick deadline on this context's clock
     */
    public long nextDeadlineNanos() {
        return net.updater().nextDeadlineNanos();
    }

    private void requireManual(String what) {
        if (manualNanos == null) {
            throw new IllegalStateException(what + " needs a manual context (KcpContext.manual); the shared context "
                    + "runs in real time on its own updater thread");
        }
    }

    NetContext net() {
        return net;
    }

    @Override
    public String toString() {
        return manualNanos == null ? "KcpContext[shared]" : "KcpContext[manual, now=" + manualNanos.get() + " ns]";
    }
}
