package kcp.bench.net;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mirrors kcp-go 5.6.1's {@code BenchmarkEchoSpeed4K/64K/512K/1M}: one operation writes a zero-filled message
 * of {@code size} bytes and reads until all of it has come back (5.6.1's ping-pong {@code echo_tester}), over
 * a Salsa20 + FEC 10/3 client and a Salsa20 + FEC (10, 0) server on 127.0.0.1 (see {@link Fixtures}).
 * kcp-go reports {@code SetBytes(size)}: the {@code bytes} secondary result is the same figure in bytes/s
 * (divide by 10^6 for Go's MB/s).
 *
 * <p>Run: {@code bench/jmh.sh EchoSpeedBench -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EchoSpeedBench {
    /** Message size: kcp-go's 4K, 64K, 512K and 1M. */
    @Param({"4096", "65536", "524288", "1048576"})
    public int size;

    private KcpListener server;
    private KcpSession client;
    private byte[] buf;

    /** Bytes echoed, reported by JMH as a rate (bytes/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Echoed bytes in this iteration. */
        public long bytes;

        /** Zeroes the counter per iteration. */
        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
        }
    }

    /** Starts the echo server and dials it. */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        server = Fixtures.server(Fixtures.listenEcho(), true);
        client = Kcps.dial(server.localAddress(), Fixtures.dialEcho());
        buf = new byte[size];
    }

    /** Closes both ends. */
    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }

    /** One message out and back. */
    @Benchmark
    public int echo(Bytes counter) throws IOException {
        client.write(buf, 0, size);
        int got = 0;
        while (got < size) {
            got += client.read(buf, got, size - got);
        }
        counter.bytes += size;
        return got;
    }
}
