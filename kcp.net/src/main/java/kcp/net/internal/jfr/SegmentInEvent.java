package kcp.net.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One segment of a received datagram, parsed by KCP's input (kcp-go {@code IKCP_LOG_INPUT}). Off by default. */
@Name("kcp.SegmentIn")
@Label("KCP Segment In")
@Category({"KCP", "Segment"})
@Description("A KCP segment received and parsed (kcp-go IKCP_LOG_INPUT / IN_ACK / IN_PUSH / IN_WASK / IN_WINS)")
@Enabled(false)
@StackTrace(false)
final class SegmentInEvent extends PeerEvent {
    @Label("Command")
    @Description("PUSH, ACK, WASK or WINS")
    String cmd;

    @Label("Sequence Number")
    @Description("sn: a PUSH's own, or the one an ACK acknowledges (unsigned)")
    long sn;

    @Label("Una")
    @Description("The sender's next expected sn: everything below is acknowledged (unsigned)")
    long una;

    @Label("Fragment")
    @Description("Fragments left after this one in its message")
    int frg;

    @Label("Window")
    @Description("The sender's free receive window in segments")
    int wnd;

    @Label("Timestamp")
    @Description("The sender's ms clock (an ACK echoes the acknowledged segment's; unsigned)")
    long ts;

    @Label("Length")
    @Description("Payload bytes")
    @DataAmount
    int len;
}
