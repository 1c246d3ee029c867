package kcp.net;

import java.time.Duration;
import java.util.Objects;

/**
 * What only a listener uses, validated once. Part of {@link SessionOptions}.
 *
 * @param quietPeriod   how long packets carrying a just-closed session's conv from the same address are ignored
 *                      instead of spawning a ghost session, 0..1 h; default 5 s
 * @param acceptBacklog sessions waiting for {@code accept()}, 1..65536; more are dropped until the application
 *                      accepts; default 128
 * @param migration     connection migration: sessions are keyed by conv as well as by address, and an authenticated,
 *                      fresh datagram of a session's conversation from a new address moves the session there
 *                      ({@code docs/migration.md}); needs a cipher and the replay filter; default false (kcp-go:
 *                      routing by source address only)
 */
public record ListenerOptions(Duration quietPeriod, int acceptBacklog, boolean migration) {
    /** Validates every component; see the class javadoc. */
    public ListenerOptions {
        Objects.requireNonNull(quietPeriod, "quietPeriod (use Duration.ZERO for none)");
        if (quietPeriod.isNegative() || quietPeriod.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("quietPeriod must be in [0, 1h]: " + quietPeriod);
        }
        ArqOptions.range("acceptBacklog", acceptBacklog, 1, 65536);
    }

    /**
     * Creates listener options without connection migration (kcp-go's routing by source address).
     *
     * @param quietPeriod   see the class javadoc
     * @param acceptBacklog see the class javadoc
     */
    public ListenerOptions(Duration quietPeriod, int acceptBacklog) {
        this(quietPeriod, acceptBacklog, false);
    }
}
