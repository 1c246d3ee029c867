package kcp.net.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One segment header encoded by a KCP flush (kcp-go {@code IKCP_LOG_OUTPUT}). Off by default. */
@Name("kcp.SegmentOut")
@Label("KCP Segment Out")
@Category({"KCP", "Segment"})
@Description("A KCP segment encoded for sending (kcp-go IKCP_LOG_OUTPUT / OUT_ACK / OUT_PUSH / OUT_WASK / OUT_WINS)")
@Enabled(false)
@StackTrace(false)
final class SegmentOutEvent extends PeerEvent {
    @Label("Command")
    @Description("PUSH, ACK, WASK or WINS")
    String cmd;

    @Label("Sequence Number")
    @Description("sn: a PUSH's own, or the one an ACK acknowledges (unsigned)")
    long sn;

    @Label("Una")
    @Description("Next sn expected from the peer (unsigned)")
    long una;

    @Label("Fragment")
    @Description("Fragments left after this one in its message")
    int frg;

    @Label("Window")
    @Description("The free receive window advertised, in segments")
    int wnd;

    @Label("Timestamp")
    @Description("ms clock stamped into the segment (an ACK echoes the acknowledged segment's; unsigned)")
    long ts;

    @Label("Length")
    @Description("Payload bytes")
    @DataAmount
    int len;

    @Label("Transmissions")
    @Description("Transmissions of this PUSH so far, this one included (1 = first send); 0 for ACK, WASK, WINS")
    int xmit;
}
