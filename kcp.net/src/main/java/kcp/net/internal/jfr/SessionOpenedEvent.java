package kcp.net.internal.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A client session was dialled (kcp-go {@code DialWithOptions} / {@code NewConn}). */
@Name("kcp.SessionOpened")
@Label("KCP Session Opened")
@Description("A client session was dialled")
final class SessionOpenedEvent extends SessionEvent {
}
