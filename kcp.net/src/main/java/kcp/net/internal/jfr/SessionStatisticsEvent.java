package kcp.net.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A periodic sample of one open session's ARQ state and counters. Off by default; 1 s when enabled. */
@Name("kcp.SessionStatistics")
@Label("KCP Session Statistics")
@Category({"KCP", "Statistics"})
@Description("Periodic sample of each open session: RTT, RTO, windows, queues, retransmissions, bytes")
@Enabled(false)
@Period("1 s")
@StackTrace(false)
final class SessionStatisticsEvent extends PeerEvent {
    @Label("Smoothed RTT")
    @Timespan(Timespan.MILLISECONDS)
    long srtt;

    @Label("RTT Variation")
    @Timespan(Timespan.MILLISECONDS)
    long rttvar;

    @Label("RTO")
    @Description("Current retransmission timeout")
    @Timespan(Timespan.MILLISECONDS)
    long rto;

    @Label("Congestion Window")
    @Description("cwnd in segments")
    long cwnd;

    @Label("Send Window")
    @Description("snd_wnd in segments")
    int sndWnd;

    @Label("Remote Window")
    @Description("The peer's last advertised free receive window in segments")
    long rmtWnd;

    @Label("In Flight")
    @Description("Segments sent and not yet acknowledged (snd_nxt - snd_una)")
    long inFlight;

    @Label("Send Queue")
    @Description("Segments queued and not yet in flight")
    int sndQueue;

    @Label("Receive Queue")
    @Description("In-order segments waiting for a read")
    int rcvQueue;

    @Label("Receive Buffer")
    @Description("Out-of-order segments held for missing ones")
    int rcvBuf;

    @Label("Segments Out")
    long outSegs;

    @Label("Segments In")
    long inSegs;

    @Label("Retransmitted Segments")
    @Description("Lost + fast + early retransmissions")
    long retransSegs;

    @Label("Lost Segments")
    @Description("RTO-driven retransmissions")
    long lostSegs;

    @Label("Fast Retransmissions")
    long fastRetransSegs;

    @Label("Bytes Sent")
    @Description("Bytes the application wrote")
    @DataAmount
    long bytesSent;

    @Label("Bytes Received")
    @Description("Bytes the application read")
    @DataAmount
    long bytesReceived;
}
