package kcp.net;

import java.time.Duration;
import java.util.Objects;

/**
 * What strangers can make a socket spend, and how fast dead peers are found (issue 15; {@code docs/hostile.md}). A
 * component of {@link SessionOptions} ({@link SessionOptions#limits()}); the defaults are on and need no tuning for
 * most servers. Build variants with the {@code with...} methods:
 *
 * <pre>{@code
 * SessionOptions o = SessionOptions.builder().cipher("aes", key)
 *         .limits(Limits.defaults().withMaxSessions(10_000).withReceiveBudgetBytes(512L << 20)).build();
 * }</pre>
 *
 * <p><b>Embryonic sessions (listener).</b> A datagram from an unknown address creates a session only if it carries
 * data (a PUSH segment; ACK, WASK and WINS alone create nothing). The new session is <i>embryonic</i> until KCP
 * delivers its first in-order data: it is not handed to {@code accept()} yet, its receive window is
 * {@link #embryonicWindow()} segments (a real client's first PUSH, sn 0, is delivered at once, and the session gets
 * its full window before its first ACK goes out, so a kcp-go peer sees no difference), and it is closed after
 * {@link #embryonicTimeout()} (counted in {@link SnmpField#SESSIONS_SHED}).
 *
 * <p><b>Budgets (listener).</b> Each session is accounted {@link #SESSION_BASE_BYTES} plus the receive data it buffers
 * (out-of-order and unread segments, a full segment each). When a new session would exceed
 * {@link #maxSessions()} or {@link #receiveBudgetBytes()}, the oldest embryonic session is shed (counted in
 * {@link SnmpField#SESSIONS_SHED}); if none is left, the datagram is dropped (counted in
 * {@link SnmpField#IN_BUDGET_DROPS}). While the budget is exceeded, data for an established session that already
 * buffers more than an embryonic window's worth is dropped too (KCP retransmits it once the application reads).
 *
 * <p><b>Replay filter.</b> With a crypto layer, each socket (listener or dialled session) drops exact repeats of a
 * datagram's nonce seen within {@link #replayWindow()} and counts them in {@link SnmpField#IN_REPLAYS}; kcp-go draws a
 * fresh nonce per datagram, so no genuine datagram is dropped. It costs 2 MiB per listener (128 KiB per dialled
 * session) and about 1.2% of the sink's per-datagram time.
 *
 * <p>Immutable and thread-safe.
 *
 * @param replayFilter        drop repeated nonces (only with a crypto layer); default true
 * @param replayWindow        how long a nonce is remembered at most, 1 ms..1 h; default 30 s (the filter remembers the
 *                            last 32,768 to 65,536 datagrams at most, whichever is shorter)
 * @param maxSessions         listener: most sessions at once, embryonic included, 0 = automatic: the JVM's maximum
 *                            heap / 128 KiB, between 256 and 65,536 (2,048 at {@code -Xmx256m})
 * @param receiveBudgetBytes  listener: most accounted bytes of all its sessions, 0 = automatic: a quarter of the JVM's
 *                            maximum heap (64 MiB at {@code -Xmx256m}), at least 4 MiB
 * @param embryonicTimeout    listener: an embryonic session that delivers nothing for this long is closed, 1 ms..1 h;
 *                            default 10 s
 * @param embryonicWindow     listener: an embryonic session's receive window in segments, 1..256; default 16
 * @param acceptedIdleTimeout listener: the idle timeout of accepted sessions when {@link SessionOptions#idleTimeout()}
 *                            is zero (a session that receives nothing for this long fails its reads and writes and
 *                            should be closed), {@link Duration#ZERO} = off; default 30 s (kcptun's smux keepalive
 *                            gives up after 30 s of silence)
 * @param deadLinkTimeout     the time form of {@link SessionOptions#deadLinkXmit()}: a session whose oldest
 *                            unacknowledged segment has waited this long for its acknowledgement fails;
 *                            {@link Duration#ZERO} = off (default; then deadLinkXmit alone decides: its default of
 *                            20 transmissions means 38 s without nodelay (kcptun normal, fast) and 20.9 s with it
 *                            (fast2, fast3) while the RTO is the initial 200 ms, proportionally less once a shorter
 *                            RTO is measured; see
 *                            {@code docs/hostile.md})
 * @param oobQueue            how many received OOB datagrams a session keeps for
 *                            {@link KcpSession#receiveOob(byte[], int, int, Duration)} while no handler is set,
 *                            0..4096; when it is full the oldest is dropped and counted in
 *                            {@link SnmpField#OOB_DROPS}, so a session that is sent OOB datagrams it never reads
 *                            holds at most {@code oobQueue} x 1,488 bytes for them; 0 drops every OOB datagram that
 *                            finds no handler. Listener sessions queue nothing before they are acceptable (their
 *                            first in-order data), and the queues are not part of {@link #receiveBudgetBytes()}:
 *                            a listener's worst case is {@code maxSessions x oobQueue x 1,488} bytes, so lower it
 *                            (or 0) for servers that do not use OOB; default {@value #DEFAULT_OOB_QUEUE}
 */
public record Limits(boolean replayFilter, Duration replayWindow, int maxSessions, long receiveBudgetBytes,
        Duration embryonicTimeout, int embryonicWindow, Duration acceptedIdleTimeout, Duration deadLinkTimeout,
        int oobQueue) {

    /** Bytes every session is accounted for its state alone (measured: 11.4 KB live, 6.9 KB hibernated). */
    public static final long SESSION_BASE_BYTES = 16 * 1024;

    /** Default {@link #oobQueue()}: 32 datagrams, at most 47 KiB per session that does not read its OOB queue. */
    public static final int DEFAULT_OOB_QUEUE = 32;

    private static final Limits DEFAULTS = new Limits(true, Duration.ofSeconds(30), 0, 0, Duration.ofSeconds(10), 16,
            Duration.ofSeconds(30), Duration.ZERO, DEFAULT_OOB_QUEUE);

    /** Validates every component; see the class javadoc for the ranges. */
    public Limits {
        checkPositive("replayWindow", replayWindow, Duration.ofHours(1));
        if (maxSessions < 0 || maxSessions > 1 << 20) {
            throw new IllegalArgumentException("maxSessions must be in [0, 1048576] (0 = automatic): " + maxSessions);
        }
        if (receiveBudgetBytes < 0) {
            throw new IllegalArgumentException("receiveBudgetBytes must be >= 0 (0 = automatic): "
                    + receiveBudgetBytes);
        }
        checkPositive("embryonicTimeout", embryonicTimeout, Duration.ofHours(1));
        if (embryonicWindow < 1 || embryonicWindow > 256) {
            throw new IllegalArgumentException("embryonicWindow must be in [1, 256] segments: " + embryonicWindow);
        }
        checkTimeout("acceptedIdleTimeout", acceptedIdleTimeout);
        checkTimeout("deadLinkTimeout", deadLinkTimeout);
        if (oobQueue < 0 || oobQueue > 4096) {
            throw new IllegalArgumentException("oobQueue must be in [0, 4096] datagrams: " + oobQueue);
        }
    }

    /**
     * Creates limits with the default {@link #oobQueue()} (the components before OOB datagrams existed).
     *
     * @param replayFilter        see the class javadoc
     * @param replayWindow        see the class javadoc
     * @param maxSessions         see the class javadoc
     * @param receiveBudgetBytes  see the class javadoc
     * @param embryonicTimeout    see the class javadoc
     * @param embryonicWindow     see the class javadoc
     * @param acceptedIdleTimeout see the class javadoc
     * @param deadLinkTimeout     see the class javadoc
     */
    public Limits(boolean replayFilter, Duration replayWindow, int maxSessions, long receiveBudgetBytes,
            Duration embryonicTimeout, int embryonicWindow, Duration acceptedIdleTimeout, Duration deadLinkTimeout) {
        this(replayFilter, replayWindow, maxSessions, receiveBudgetBytes, embryonicTimeout, embryonicWindow,
                acceptedIdleTimeout, deadLinkTimeout, DEFAULT_OOB_QUEUE);
    }

    private static void checkPositive(String field, Duration d, Duration max) {
        Objects.requireNonNull(d, field);
        if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be in [1 ms, " + max + "]: " + d);
        }
    }

    private static void checkTimeout(String field, Duration d) {
        Objects.requireNonNull(d, field + " (use Duration.ZERO for off)");
        if (d.isNegative() || d.compareTo(SessionOptions.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(field + " must be in [0, 100 days] (0 = off): " + d);
        }
    }

    /**
     * {@return the defaults: replay filter on, automatic budgets, 10 s embryonic timeout, 30 s accepted idle
     * timeout}
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** {@return the session count a listener enforces: {@link #maxSessions()}, or the automatic value for 0} */
    public int effectiveMaxSessions() {
        if (maxSessions > 0) {
            return maxSessions;
        }
        return (int) Math.max(256, Math.min(65_536, Runtime.getRuntime().maxMemory() / (128 * 1024)));
    }

    /** {@return the byte budget a listener enforces: {@link #receiveBudgetBytes()}, or the automatic value for 0} */
    public long effectiveReceiveBudgetBytes() {
        if (receiveBudgetBytes > 0) {
            return receiveBudgetBytes;
        }
        return Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Returns these limits with the replay filter on or off.
     *
     * @param on true to drop repeated nonces (with a crypto layer)
     * @return the new limits
     */
    public Limits withReplayFilter(boolean on) {
        return new Limits(on, replayWindow, maxSessions, receiveBudgetBytes, embryonicTimeout, embryonicWindow,
                acceptedIdleTimeout, deadLinkTimeout, oobQueue);
    }

    /**
     * Returns these limits with another replay window.
     *
     * @param window the longest time a nonce is remembered, 1 ms..1 h
     * @return the new limits
     */
    public Limits withReplayWindow(Duration window) {
        return new Limits(replayFilter, window, maxSessions, receiveBudgetBytes, embryonicTimeout, embryonicWindow,
                acceptedIdleTimeout, deadLinkTimeout, oobQueue);
    }

    /**
     * Returns these limits with another session budget.
     *
     * @param max most sessions a listener holds at once, 0 = automatic
     * @return the new limits
     */
    public Limits withMaxSessions(int max) {
        return new Limits(replayFilter, replayWindow, max, receiveBudgetBytes, embryonicTimeout, embryonicWindow,
                acceptedIdleTimeout, deadLinkTimeout, oobQueue);
    }

    /**
     * Returns these limits with another receive budget.
     *
     * @param bytes most accounted bytes of a listener's sessions, 0 = automatic
     * @return the new limits
     */
    public Limits withReceiveBudgetBytes(long bytes) {
        return new Limits(replayFilter, replayWindow, maxSessions, bytes, embryonicTimeout, embryonicWindow,
                acceptedIdleTimeout, deadLinkTimeout, oobQueue);
    }

    /**
     * Returns these limits with another embryonic timeout.
     *
     * @param timeout how long a new session may wait for its first in-order data, 1 ms..1 h
     * @return the new limits
     */
    public Limits withEmbryonicTimeout(Duration timeout) {
        return new Limits(replayFilter, replayWindow, maxSessions, receiveBudgetBytes, timeout, embryonicWindow,
                acceptedIdleTimeout, deadLinkTimeout, oobQueue);
    }

    /**
     * Returns these limits with another embryonic receive window.
     *
     * @param segments the receive window of a session that has delivered nothing yet, 1..256
     * @return the new limits
     */
    public Limits withEmbryonicWindow(int segments) {
        return new Limits(replayFilter, replayWindow, maxSessions, receiveBudgetBytes, embryonicTimeout, segments,
                acceptedIdleTimeout, deadLinkTimeout, oobQueue);
    }

    /**
     * Returns these limits with another idle timeout for accepted sessions.
     *
     * @param timeout silence after which an accepted session fails, {@link Duration#ZERO} = off
     * @return the new limits
     */
    public Limits withAcceptedIdleTimeout(Duration timeout) {
        return new Limits(replayFilter, replayWindow, maxSessions, receiveBudgetBytes, embryonicTimeout,
                embryonicWindow, timeout, deadLinkTimeout, oobQueue);
    }

    /**
     * Returns these limits with a dead-link timeout.
     *
     * @param timeout how long the oldest unacknowledged segment may wait, {@link Duration#ZERO} = off
     * @return the new limits
     */
    public Limits withDeadLinkTimeout(Duration timeout) {
        return new Limits(replayFilter, replayWindow, maxSessions, receiveBudgetBytes, embryonicTimeout,
                embryonicWindow, acceptedIdleTimeout, timeout, oobQueue);
    }

    /**
     * Returns these limits with another OOB receive queue.
     *
     * @param datagrams received OOB datagrams a session keeps while the application has not read them, 0..4096
     * @return the new limits
     */
    public Limits withOobQueue(int datagrams) {
        return new Limits(replayFilter, replayWindow, maxSessions, receiveBudgetBytes, embryonicTimeout,
                embryonicWindow, acceptedIdleTimeout, deadLinkTimeout, datagrams);
    }
}
