package kcp.net.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A session failed: its blocked and later reads and writes throw from now on (first failure only). */
@Name("kcp.SessionFailed")
@Label("KCP Session Failed")
@Description("A session failed; its blocked and later reads and writes throw this cause")
final class SessionFailedEvent extends SessionEvent {
    @Label("Kind")
    @Description("dead-link, idle-timeout, updater (a tick threw), or io (transport, rate limit, receive path)")
    String kind;

    @Label("Cause")
    @Description("The failure's message")
    String cause;

    @Label("Cause Class")
    @Description("The class of the failure's own cause, if any (e.g. the exception a tick threw)")
    Class<?> causeClass;
}
