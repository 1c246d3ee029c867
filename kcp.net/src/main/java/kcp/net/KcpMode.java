package kcp.net;

/**
 * The no-delay presets that kcptun offers as {@code --mode} (spec 4.10), plus kcp-go's own default.
 * Each preset sets the four {@code SetNoDelay(nodelay, interval, resend, nc)} arguments at once:
 * apply one with {@link SessionOptions.Builder#mode(KcpMode)}.
 *
 * <p>Immutable; thread-safe.
 */
public enum KcpMode {
    /** kcp-go's default: {@code (0, 100, 0, 0)}: no no-delay, 100 ms interval, no fast resend, congestion control. */
    DEFAULT(false, 100, 0, false),
    /** kcptun "normal": {@code (0, 40, 2, 1)}. */
    NORMAL(false, 40, 2, true),
    /** kcptun "fast": {@code (0, 30, 2, 1)}. */
    FAST(false, 30, 2, true),
    /** kcptun "fast2": {@code (1, 20, 2, 1)}. */
    FAST2(true, 20, 2, true),
    /** kcptun "fast3": {@code (1, 10, 2, 1)}; also what kcp-go's own tests use. */
    FAST3(true, 10, 2, true);

    private final boolean noDelay;
    private final int intervalMs;
    private final int fastResend;
    private final boolean noCongestionControl;

    KcpMode(boolean noDelay, int intervalMs, int fastResend, boolean noCongestionControl) {
        this.noDelay = noDelay;
        this.intervalMs = intervalMs;
        this.fastResend = fastResend;
        this.noCongestionControl = noCongestionControl;
    }

    /** {@return the {@code nodelay} flag (minimum RTO 30 ms instead of 100 ms, gentler RTO backoff)} */
    public boolean noDelay() {
        return noDelay;
    }

    /** {@return the flush interval in milliseconds} */
    public int intervalMs() {
        return intervalMs;
    }

    /** {@return the fast-resend threshold (duplicate ACKs that trigger a retransmit; 0 = off)} */
    public int fastResend() {
        return fastResend;
    }

    /** {@return true if congestion control is off ({@code nc = 1})} */
    public boolean noCongestionControl() {
        return noCongestionControl;
    }
}
