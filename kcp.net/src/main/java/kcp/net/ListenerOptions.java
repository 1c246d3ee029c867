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
 */
public record ListenerOptions(Duration quietPeriod, int acceptBacklog) {
    /** Validates both components; see the class javadoc. */
    public ListenerOptions {
        Objects.requireNonNull(quietPeriod, "quietPeriod (use Duration.ZERO for none)");
        if (quietPeriod.isNegative() || quietPeriod.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("quietPeriod must be in [0, 1h]: " + quietPeriod);
        }
        ArqOptions.range("acceptBacklog", acceptBacklog, 1, 65536);
    }
}
