package kcp.bench.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import kcp.net.internal.ReplayFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The replay filter's cost per datagram ({@link ReplayFilter#admit}), to set against the per-datagram time of
 * {@link SinkSpeedBench} (issue 15's bar: on by default only under 5% of sink throughput). {@code fresh}: every
 * operation brings a new random nonce (the genuine path: two misses and an insert, rotations and table clearing
 * included), with virtual time advancing 1 ms per {@code perMs} datagrams; {@code repeat}: the same nonce again
 * (the replay path). Writing the nonce (two stores of a mixed counter) is part of each operation, as the datagram
 * buffer is in cache in the receive loop.
 *
 * <p>Run: {@code bench/jmh.sh ReplayFilterBench -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReplayFilterBench {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** Table slots per generation. */
    @Param({"65536"})
    public int slots;

    /** Nonce bytes: 16 (CFB) or 12 (AES-GCM). */
    @Param({"16", "12"})
    public int nonceLen;

    /** Datagrams per virtual millisecond (350 = about the 1 MiB sink rate of ~480 MB/s in 1376-byte segments). */
    @Param({"350"})
    public int perMs;

    private ReplayFilter filter;
    private final byte[] datagram = new byte[1500];
    private long counter;

    /** A fresh filter per trial, and one nonce already seen for {@link #repeat}. */
    @Setup(Level.Trial)
    public void setup() {
        filter = new ReplayFilter(slots, ReplayFilter.DEFAULT_WINDOW_MS, 0x5EED);
        counter = 1;
        LONG_LE.set(datagram, 0, 42L);
        LONG_LE.set(datagram, 8, 43L);
        filter.admit(datagram, 0, nonceLen, 0);
    }

    /** A new nonce per operation. */
    @Benchmark
    public boolean fresh() {
        long c = ++counter;
        LONG_LE.set(datagram, 0, c * 0x9E3779B97F4A7C15L);
        LONG_LE.set(datagram, 8, Long.rotateLeft(c * 0xC2B2AE3D27D4EB4FL, 29));
        return filter.admit(datagram, 0, nonceLen, c / perMs);
    }

    /** The same nonce again: a replayed or duplicated datagram. */
    @Benchmark
    public boolean repeat() {
        LONG_LE.set(datagram, 0, 42L);
        LONG_LE.set(datagram, 8, 43L);
        return filter.admit(datagram, 0, nonceLen, 0);
    }
}
