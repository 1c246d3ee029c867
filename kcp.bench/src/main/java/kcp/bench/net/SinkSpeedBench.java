package kcp.bench.net;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
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
 * Mirrors kcp-go 5.6.1's {@code BenchmarkSinkSpeed4K/64K/256K/1M}: one operation writes a zero-filled message
 * of {@code size} bytes to a discarding server, without waiting for delivery ({@code sink_tester}); writes
 * block once KCP's send window is full, so the steady rate is the delivery rate. No crypto, no FEC, see
 * {@link Fixtures}. kcp-go's "256K" benchmark actually writes 512 KiB messages, and so does ours.
 * The {@code bytes} secondary result is kcp-go's {@code SetBytes(size)} rate in bytes/s.
 *
 * <p>Run: {@code bench/jmh.sh SinkSpeedBench -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SinkSpeedBench {
    /** Message size: kcp-go's 4K, 64K, "256K" (= 512 KiB) and 1M. */
    @Param({"4096", "65536", "524288", "1048576"})
    public int size;

    private KcpListener server;
    private KcpSession client;
    private byte[] buf;

    /** Starts the sink server and dials it. */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        server = Fixtures.server(Fixtures.listenSink(), false);
        client = Kcps.dial(server.localAddress(), Fixtures.dialSink());
        buf = new byte[size];
    }

    /** Closes both ends. */
    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }

    /** One message into the send queue. */
    @Benchmark
    public void sink(EchoSpeedBench.Bytes counter) throws IOException {
        client.write(buf, 0, size);
        counter.bytes += size;
    }
}
