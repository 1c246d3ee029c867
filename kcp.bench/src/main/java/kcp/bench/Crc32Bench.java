package kcp.bench;

import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mirrors kcp-go's {@code BenchmarkCRC32}: CRC-32/IEEE of 1024 zero bytes (kcp-go reports it with
 * {@code SetBytes(1024)}; multiply ops/s by 1024 for bytes/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Crc32Bench {
    private final byte[] data = new byte[1024];
    private final CRC32 crc = new CRC32();

    /** One CRC over the 1024-byte buffer. */
    @Benchmark
    public long crc32() {
        crc.reset();
        crc.update(data, 0, data.length);
        return crc.getValue();
    }
}
