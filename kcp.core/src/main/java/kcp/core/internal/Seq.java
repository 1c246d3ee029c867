package kcp.core.internal;

/**
 * Wrap-safe comparison of KCP sequence numbers and 32-bit millisecond timestamps ({@code ikcp.c _itimediff}).
 * Every ordering comparison of an sn or ts in kcp.core goes through {@link #diff}, never {@code <} on raw values.
 * Stateless: thread-safe.
 */
public final class Seq {
    private Seq() {
    }

    /**
     * Signed distance {@code later - earlier} modulo 2^32: positive if {@code later} is after {@code earlier},
     * correct as long as the true distance is below 2^31.
     */
    public static int diff(int later, int earlier) {
        return later - earlier;
    }
}
