package kcp.net;

import java.time.Duration;
import java.util.Objects;

import kcp.fec.DatagramLayout;

/**
 * The ARQ knobs of a session (kcp-go's {@code SetNoDelay}, {@code SetWindowSize}, {@code SetMtu},
 * {@code SetStreamMode}, {@code SetWriteDelay}, {@code SetACKNoDelay}, {@code SetDUP}) and this library's liveness
 * knobs, validated once by the canonical constructor with messages naming the field, the value and the range. Part
 * of {@link SessionOptions}; build it through {@link SessionOptions#builder()}.
 *
 * @param noDelay             KCP {@code nodelay}: minimum RTO 30 ms instead of 100 ms; default false
 * @param intervalMs          KCP flush interval, 10..5000 ms; default 100
 * @param fastResend          duplicate-ACK count that triggers a fast retransmit, 0 (off)..65535; default 0
 * @param noCongestionControl KCP {@code nc}: ignore the congestion window; default false
 * @param sndWnd              send window in packets, 1..65535; default 32
 * @param rcvWnd              receive window in packets, 1..65535 (u16 on the wire); default 32
 * @param mtu                 datagram size limit in bytes, 25..1500, and at least the floor of kcp-go v5.6.72 for
 *                            the crypto and FEC in use: their headers + the 24-byte KCP header + 1 data byte (25
 *                            plain, 33 with FEC, 53 with a CFB cipher and FEC, 61 with AES-GCM and FEC; checked by
 *                            {@link SessionOptions}); default 1400
 * @param streamMode          stream mode (segments merged, no message boundaries); default false
 * @param writeDelay          if true a write does not flush unless the window is full; default false
 * @param ackNoDelay          flush ACKs immediately on every input; default false
 * @param dup                 send every datagram this many extra times (testing), 0..8; default 0
 * @param deadLinkXmit        transmissions of one segment after which the link counts as dead and reads/writes fail
 *                            with an IOException, 0 = never (kcp-go's passive behaviour), 1..1000; default 20, which
 *                            takes 190 RTOs without nodelay and 104.5 RTOs with it: 38 s and 20.9 s at the initial
 *                            RTO of 200 ms (see {@link Limits#deadLinkTimeout()} for a bound in time)
 * @param idleTimeout         a session that receives nothing for this long fails its reads and writes,
 *                            {@link Duration#ZERO} = off, at most 100 days; default off (sessions a listener creates
 *                            then get {@link Limits#acceptedIdleTimeout()}, 30 s)
 * @param hibernateAfter      a session with nothing to send, nothing in flight and no input for this long releases
 *                            the memory it keeps only for speed (free segments, flush buffer, FEC shard caches and
 *                            part-filled groups, cipher scratch) until it is busy again; an interrupted FEC group is
 *                            sent without parity. {@link Duration#ZERO} = never, at most 100 days; default 5 s
 * @param compat561           kcp-go 5.6.1 behaviour: KCP timing (same wire bytes) and FEC parity for every group;
 *                            default false (v5.6.72)
 */
public record ArqOptions(boolean noDelay, int intervalMs, int fastResend, boolean noCongestionControl, int sndWnd,
        int rcvWnd, int mtu, boolean streamMode, boolean writeDelay, boolean ackNoDelay, int dup, int deadLinkXmit,
        Duration idleTimeout, Duration hibernateAfter, boolean compat561) {

    /** Validates every component; see the class javadoc for the ranges. */
    public ArqOptions {
        checkNoDelay(intervalMs, fastResend);
        checkWindows(sndWnd, rcvWnd);
        range("mtu", mtu, DatagramLayout.minMtu(0, false), SessionOptions.MAX_MTU);
        checkDup(dup);
        range("deadLinkXmit (0 = never)", deadLinkXmit, 0, 1000);
        checkDuration("idleTimeout", idleTimeout, "none", " (0 = off)");
        checkDuration("hibernateAfter", hibernateAfter, "never", " (0 = never)");
    }

    static void checkNoDelay(int intervalMs, int fastResend) {
        range("intervalMs", intervalMs, 10, 5000);
        range("fastResend", fastResend, 0, 65535);
    }

    static void checkWindows(int sndWnd, int rcvWnd) {
        range("sndWnd", sndWnd, 1, 65535);
        range("rcvWnd", rcvWnd, 1, 65535);
    }

    static void checkDup(int dup) {
        range("dup", dup, 0, 8);
    }

    /**
     * The MTU must leave KCP its 24-byte header and one data byte after {@code cryptoBytes} of crypto and the FEC
     * header: {@link DatagramLayout#minMtu}, kcp-go v5.6.72's floor (PR #337).
     */
    static void checkMtu(int mtu, int cryptoBytes, boolean fec) {
        int floor = DatagramLayout.minMtu(cryptoBytes, fec);
        if (mtu < floor || mtu > SessionOptions.MAX_MTU) {
            throw new IllegalArgumentException("mtu must be in [" + floor + ", " + SessionOptions.MAX_MTU + "]: " + mtu
                    + "; the floor with " + cryptoBytes + " bytes of crypto header and trailer and FEC "
                    + (fec ? "on (8-byte header)" : "off") + " is " + floor + " = headers + 24-byte KCP header + 1 data"
                    + " byte (kcp-go v5.6.72)");
        }
    }

    /** Validates a read, write or accept timeout and returns it in nanoseconds. */
    static long checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout (use Duration.ZERO for none)");
        if (timeout.isNegative() || timeout.compareTo(SessionOptions.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be in [0, 100 days] (0 = none): " + timeout);
        }
        return timeout.toNanos();
    }

    private static void checkDuration(String field, Duration value, String zeroWord, String zeroNote) {
        Objects.requireNonNull(value, field + " (use Duration.ZERO for " + zeroWord + ")");
        if (value.isNegative() || value.compareTo(SessionOptions.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(field + " must be in [0, 100 days]" + zeroNote + ": " + value);
        }
    }

    static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "]: " + value);
        }
    }
}
