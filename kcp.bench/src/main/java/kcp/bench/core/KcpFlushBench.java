package kcp.bench.core;

import java.util.concurrent.TimeUnit;

import kcp.core.InputResult;
import kcp.core.Kcp;
import kcp.core.wire.SegmentHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mirrors kcp-go's {@code BenchmarkFlush} ({@code kcp_test.go}): a Kcp with {@code inflight} segments in snd_buf, each
 * sent once ({@code xmit = 1}) with its resend time far in the future, and a full flush per operation. Nothing is due,
 * so the operation measures the scan of the in-flight window (kcp-go v5.6.72: 1023 segments in a 1024-slot ring; 5.6.1:
 * 1024). The state is reached through the public API: queue the segments, let a hand-made WINS open the peer's window,
 * flush once to transmit everything, then flush at the same instant forever.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KcpFlushBench {
    private static final int CONV = 1;
    private static final int NOW_MS = 1_000_000;

    /** Number of in-flight segments. */
    @Param({"1023"})
    public int inflight;

    private Kcp kcp;
    private long outputs;

    /** Builds the in-flight window. */
    @Setup
    public void setup() {
        kcp = new Kcp(CONV, (buf, len) -> outputs++);
        kcp.setNoDelay(false, 100, 0, true);
        kcp.setWindowSize(inflight + 1, 32);
        byte[] wins = new byte[SegmentHeader.OVERHEAD];
        SegmentHeader.put(wins, 0, CONV, SegmentHeader.CMD_WINS, 0, inflight + 1, 0, 0, 0, 0);
        if (kcp.input(wins, 0, wins.length, true, false, NOW_MS) != InputResult.OK) {
            throw new IllegalStateException("WINS rejected");
        }
        byte[] one = {42};
        for (int i = 0; i < inflight; i++) {
            kcp.send(one, 0, 1);
        }
        kcp.flush(false, NOW_MS);
        if (kcp.waitSnd() != inflight || kcp.outSegs() != inflight) {
            throw new IllegalStateException("expected " + inflight + " segments in flight, got " + kcp.waitSnd());
        }
        outputs = 0;
    }

    /** One full flush over the in-flight window; returns its "next flush in" value. */
    @Benchmark
    public int flushFull() {
        return kcp.flush(false, NOW_MS);
    }
}
