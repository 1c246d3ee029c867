package kcp.bench.fec;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import kcp.fec.FecDecoder;
import kcp.fec.FecEncoder;
import kcp.fec.FecHeader;
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
 * Mirrors of kcp-go's fec_test.go benchmarks, per 1500-byte packet (kcp-go: SetBytes(1500)), FEC (10, 3):
 * <ul>
 *   <li>{@code encode} = BenchmarkFECEncode: every call seals one packet; every 10th also computes 3 parity.
 *       kcp-go allocates a fresh zeroed packet per iteration; we reuse one (its header is rewritten each time).</li>
 *   <li>{@code decode} = BenchmarkFECDecode: packet i has seqid i, parity type when i mod 13 >= 10, and is lost
 *       with probability 1/13 (a seeded pattern instead of Go's global rand). kcp-go's data packets carry a zero
 *       size field, which our decoder rejects as malformed, so ours carry size = 1494: the work is the same
 *       (store, and reconstruct when a group has a loss).</li>
 * </ul>
 * Run: {@code bench/jmh.sh 'FecLayerBench' -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FecLayerBench {
    private static final int DATA = 10;
    private static final int PARITY = 3;
    private static final int PAYLOAD = 1500;
    private static final int LOSS_PATTERN = 13 * 4096;

    private FecEncoder encoder;
    private FecDecoder decoder;
    private final byte[] packet = new byte[PAYLOAD];
    private final boolean[] lost = new boolean[LOSS_PATTERN];
    private int i;

    /** Fresh encoder/decoder and the seeded loss pattern. */
    @Setup
    public void setup() {
        encoder = new FecEncoder(DATA, PARITY, 0);
        decoder = new FecDecoder(DATA, PARITY);
        SplittableRandom rnd = new SplittableRandom(1);
        for (int k = 0; k < LOSS_PATTERN; k++) {
            lost[k] = rnd.nextInt(DATA + PARITY) == 0;
        }
    }

    /** BenchmarkFECEncode. */
    @Benchmark
    public int encode() {
        return encoder.encode(packet, 0, PAYLOAD, 0);
    }

    /** BenchmarkFECDecode. */
    @Benchmark
    public int decode() {
        int n = i++;
        if (lost[Integer.remainderUnsigned(n, LOSS_PATTERN)]) {
            return 0;
        }
        boolean parity = Integer.remainderUnsigned(n, DATA + PARITY) >= DATA;
        FecHeader.put(packet, 0, n, parity ? FecHeader.TYPE_PARITY : FecHeader.TYPE_DATA);
        packet[6] = (byte) (PAYLOAD - 6);
        packet[7] = (byte) ((PAYLOAD - 6) >>> 8);
        return decoder.decode(packet, 0, PAYLOAD, 0);
    }
}
