package kcp.net.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** Nothing arrived from the peer for the idle timeout. */
@Name("kcp.IdleTimeout")
@Label("KCP Idle Timeout")
@Description("Nothing was received from the peer for the session's idle timeout")
final class IdleTimeoutEvent extends SessionEvent {
    @Label("Timeout")
    @Description("The idle timeout in force")
    @Timespan(Timespan.MILLISECONDS)
    long timeoutMillis;

    @Label("Silence")
    @Description("Time since the last datagram from the peer")
    @Timespan(Timespan.MILLISECONDS)
    long silenceMillis;
}
