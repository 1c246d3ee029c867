package kcp.net.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The ARQ gave up on the peer: a segment went unacknowledged for too many transmissions or too long. */
@Name("kcp.DeadLink")
@Label("KCP Dead Link")
@Description("A segment was sent deadLinkXmit times, or stayed unacknowledged for deadLinkTimeout")
final class DeadLinkEvent extends SessionEvent {
    @Label("Trigger")
    @Description("xmit (deadLinkXmit transmissions) or timeout (Limits.deadLinkTimeout)")
    String trigger;

    @Label("Limit")
    @Description("The limit reached: transmissions for xmit, milliseconds for timeout")
    long limit;

    @Label("Una")
    @Description("First unacknowledged sn (unsigned)")
    long sndUna;

    @Label("In Flight")
    @Description("Segments sent and not yet acknowledged")
    long inFlight;
}
