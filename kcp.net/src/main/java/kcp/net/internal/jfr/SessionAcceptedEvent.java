package kcp.net.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** A listener's new session delivered its first data and entered the accept queue. */
@Name("kcp.SessionAccepted")
@Label("KCP Session Accepted")
@Description("A listener session delivered its first in-order data and entered the accept queue")
final class SessionAcceptedEvent extends SessionEvent {
    @Label("Embryonic Time")
    @Description("From the session's first datagram to its entry in the accept queue")
    @Timespan(Timespan.MILLISECONDS)
    long embryonicMillis;
}
