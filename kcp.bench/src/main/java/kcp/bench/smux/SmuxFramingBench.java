package kcp.bench.smux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.TimeUnit;

import kcp.smux.SmuxConfig;
import kcp.smux.SmuxSession;
import kcp.smux.SmuxStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * smux framing cost per frame: one invocation writes {@link #FRAMES} frames of {@code frameSize} bytes on a
 * client stream (one {@code write} call, split by {@code maxFrameSize}) and reads them back from the server's
 * stream, through two sessions joined by an allocation-free in-memory pipe. Everything in between is smux:
 * the writer thread's round-robin fill and header encoding, the reader thread's parsing, the stream ring,
 * budget refunds and, in version 2, window updates. Scores and {@code gc.alloc.rate.norm} are per frame.
 *
 * <pre>bench/jmh.sh SmuxFramingBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmuxFramingBench {
    static final int FRAMES = 64;

    @Param({"1", "2"})
    int version;

    @Param({"1024", "4096"})
    int frameSize;

    private SmuxSession client;
    private SmuxSession server;
    private SmuxStream out;
    private SmuxStream in;
    private ByteBuffer src;
    private ByteBuffer dst;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ByteChannel[] pipe = SpscPipe.pair(1 << 20);
        SmuxConfig cfg = SmuxConfig.defaults().withVersion(version).withMaxFrameSize(frameSize)
                .withBuffers(8 << 20, 4 << 20);
        client = SmuxSession.client(pipe[0], cfg);
        server = SmuxSession.server(pipe[1], cfg);
        out = client.openStream();
        in = server.acceptStream();
        src = ByteBuffer.allocate(FRAMES * frameSize);
        dst = ByteBuffer.allocate(FRAMES * frameSize);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }

    /**
     * Sends {@link #FRAMES} frames and reads them back.
     *
     * @return bytes read, so the work cannot be eliminated
     * @throws IOException if a session fails
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int writeAndReadFrames() throws IOException {
        src.clear();
        out.write(src);
        dst.clear();
        while (dst.hasRemaining()) {
            in.read(dst);
        }
        return dst.position();
    }
}
