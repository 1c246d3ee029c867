package kcp.net.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/** The fields every kcp event carries: which conversation, with whom (abstract: JFR registers the concrete ones). */
abstract class PeerEvent extends Event {
    @Label("Conv")
    @Description("Conversation id (unsigned)")
    long conv;

    @Label("Remote")
    @Description("The peer's address")
    String remote;
}
