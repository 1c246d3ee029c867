package kcp.net.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A message KCP delivered to a reader (kcp-go {@code IKCP_LOG_RECV}). Off by default. */
@Name("kcp.MessageRecv")
@Label("KCP Message Receive")
@Category({"KCP", "Message"})
@Description("A complete KCP message handed to a reader (kcp-go IKCP_LOG_RECV)")
@Enabled(false)
@StackTrace(false)
final class MessageRecvEvent extends PeerEvent {
    @Label("Length")
    @Description("Bytes delivered")
    @DataAmount
    int len;

    @Label("Fragments")
    @Description("Segments the message was reassembled from")
    int fragments;

    @Label("Sequence Number")
    @Description("sn of the message's last segment (unsigned)")
    long sn;
}
