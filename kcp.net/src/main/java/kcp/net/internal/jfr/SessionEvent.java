package kcp.net.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/** The fields every session lifecycle event carries (abstract: JFR registers only the concrete events). */
@Category({"KCP", "Session"})
@StackTrace(false)
abstract class SessionEvent extends PeerEvent {
    @Label("Local")
    @Description("The local address the session sends from")
    String local;
}
