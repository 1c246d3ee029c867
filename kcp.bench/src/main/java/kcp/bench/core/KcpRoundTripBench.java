package kcp.bench.core;

import java.util.concurrent.TimeUnit;

import kcp.core.InputResult;
import kcp.core.Kcp;
import kcp.core.KcpOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One steady-state message through two Kcps per operation: send 1000 bytes, flush, input at the peer, the peer's
 * ACK flush, input of the ACK, recv. Datagrams travel through preallocated slots, so {@code -prof gc} shows what
 * the ARQ itself allocates on send/input/flush/recv (expected: 0 B/op). No kcp-go counterpart.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KcpRoundTripBench {
    /** Copies datagrams into fixed slots and replays them into the peer. */
    private static final class Wire implements KcpOutput {
        final byte[][] slots = new byte[64][1500];
        final int[] lengths = new int[64];
        int count;

        @Override
        public void output(byte[] buf, int len) {
            System.arraycopy(buf, 0, slots[count], 0, len);
            lengths[count++] = len;
        }

        void deliverTo(Kcp to, int now) {
            for (int i = 0; i < count; i++) {
                if (to.input(slots[i], 0, lengths[i], true, false, now) != InputResult.OK) {
                    throw new IllegalStateException("rejected datagram");
                }
            }
            count = 0;
        }
    }

    private final Wire ab = new Wire();
    private final Wire ba = new Wire();
    private final byte[] msg = new byte[1000];
    private final byte[] got = new byte[2000];
    private Kcp a;
    private Kcp b;
    private int now;

    /** Two connected endpoints in fast mode. */
    @Setup
    public void setup() {
        a = new Kcp(1, ab);
        b = new Kcp(1, ba);
        for (Kcp k : new Kcp[] {a, b}) {
            k.setNoDelay(true, 10, 2, true);
            k.setWindowSize(128, 128);
        }
    }

    /** One message sent, delivered, acknowledged and received. */
    @Benchmark
    public int roundTrip() {
        now += 5;
        a.send(msg, 0, msg.length);
        a.flush(false, now);
        ab.deliverTo(b, now);
        b.flush(false, now);
        ba.deliverTo(a, now);
        return b.recv(got, 0, got.length);
    }
}
