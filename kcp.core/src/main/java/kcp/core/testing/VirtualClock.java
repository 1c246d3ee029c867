package kcp.core.testing;

/**
 * A settable millisecond clock in KCP's 32-bit wrapping time base. Time only moves when told to. Not thread-safe.
 */
public final class VirtualClock {
    private int nowMs;

    /**
     * Creates a clock that shows {@code startMs} until it is advanced.
     *
     * @param startMs the initial time (any value; use one near 2^32 to test wraparound)
     */
    public VirtualClock(int startMs) {
        this.nowMs = startMs;
    }

    /** {@return the current time in ms (wrapping at 2^32)} */
    public int nowMs() {
        return nowMs;
    }

    /**
     * Advances by {@code ms}.
     *
     * @param ms milliseconds to add
     * @throws IllegalArgumentException if {@code ms < 0}
     */
    public void advance(int ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("advance ms < 0: " + ms);
        }
        nowMs += ms;
    }

    /**
     * Moves to {@code timeMs} if it is later than now (wrap-safe); earlier times are ignored.
     *
     * @param timeMs the target time
     */
    public void advanceTo(int timeMs) {
        if (timeMs - nowMs > 0) {
            nowMs = timeMs;
        }
    }
}
