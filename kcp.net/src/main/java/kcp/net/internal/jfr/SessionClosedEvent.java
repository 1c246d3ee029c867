package kcp.net.internal.jfr;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** A session was closed, with why and what it carried. */
@Name("kcp.SessionClosed")
@Label("KCP Session Closed")
@Description("A session was closed")
final class SessionClosedEvent extends SessionEvent {
    @Label("Reason")
    @Description("application (close() on a healthy session), failed (close() after a failure, see Cause), "
            + "updater (closed by the updater after its tick threw), shed (listener budget or embryonic timeout), "
            + "listener-closed")
    String reason;

    @Label("Cause")
    @Description("The failure that preceded the close, if any")
    String cause;

    @Label("Lifetime")
    @Description("From creation to close")
    @Timespan(Timespan.MILLISECONDS)
    long lifetimeMillis;

    @Label("Bytes Sent")
    @Description("Bytes the application wrote")
    @DataAmount
    long bytesSent;

    @Label("Bytes Received")
    @Description("Bytes the application read")
    @DataAmount
    long bytesReceived;

    @Label("Retransmitted Segments")
    @Description("Lost + fast + early retransmissions")
    long retransSegs;
}
