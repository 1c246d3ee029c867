package kcp.net.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A user message queued in KCP (kcp-go {@code IKCP_LOG_SEND}). Off by default. */
@Name("kcp.MessageSend")
@Label("KCP Message Send")
@Category({"KCP", "Message"})
@Description("A write queued as one KCP message (kcp-go IKCP_LOG_SEND)")
@Enabled(false)
@StackTrace(false)
final class MessageSendEvent extends PeerEvent {
    @Label("Length")
    @Description("Bytes queued")
    @DataAmount
    int len;

    @Label("Fragments")
    @Description("Segments the message was split into (stream mode: new segments, 0 if it filled the last one)")
    int fragments;
}
