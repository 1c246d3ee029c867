package kcp.bench.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;
import kcp.net.UdpTransport;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * kcp.net's session path without and with sockets: one operation writes a {@code size}-byte message and reads its
 * echo, through a dialled session and an accepted one (no crypto, no FEC: the session layer alone), over
 * {@link MemoryPipe} ({@code memory}: the KCP, pipeline, lock and updater cost with no syscalls) or over UDP on
 * 127.0.0.1 ({@code loopback}). The difference between the two is what the sockets cost. Run with {@code -prof gc}
 * to see the allocation per operation; divide by the datagrams per operation (about {@code 2 * size / 1376} data
 * datagrams plus ACKs) for the figure per datagram.
 *
 * <p>Run: {@code bench/jmh.sh SessionPathBench -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SessionPathBench {
    /** Message size in bytes: one segment, or a 64 KiB burst of 48 segments. */
    @Param({"1024", "65536"})
    public int size;

    /** {@code memory} (in-process pipe) or {@code loopback} (UDP on 127.0.0.1). */
    @Param({"memory", "loopback"})
    public String transport;

    /**
     * The echo server's thread: {@code platform}, or {@code virtual} (the JDK's scheduler then allocates a small task
     * each time the receive loop wakes it, and the thread's stack chunks are reallocated now and then: JDK cost, not
     * kcp.net's).
     */
    @Param({"platform", "virtual"})
    public String serverThread;

    private KcpListener server;
    private KcpSession client;
    private byte[] buf;

    static SessionOptions options() {
        return SessionOptions.builder().streamMode(true).windowSize(1024, 1024).noDelay(true, 10, 2, true)
                .socketBuffers(4 << 20, 4 << 20).build();
    }

    /** Starts the echo server and dials it over the chosen transport. */
    @Setup
    public void setup() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        if (transport.equals("memory")) {
            MemoryPipe pipe = new MemoryPipe(new InetSocketAddress(lo, 1), new InetSocketAddress(lo, 2));
            server = Kcps.serve(pipe.b, options());
            client = Kcps.dial(pipe.a, pipe.b.localAddress(), 1, options());
        } else {
            server = Kcps.listen(new InetSocketAddress(lo, 0), options());
            client = Kcps.dial(UdpTransport.bind(new InetSocketAddress(lo, 0), ch -> { }), server.localAddress(), 1,
                    options());
        }
        Fixtures.serveEcho(server, serverThread.equals("platform"));
        buf = new byte[size];
    }

    /** Closes both ends. */
    @TearDown
    public void tearDown() {
        client.close();
        server.close();
    }

    /** One message out and back. */
    @Benchmark
    public int echo() throws IOException {
        client.write(buf, 0, size);
        int got = 0;
        while (got < size) {
            got += client.read(buf, got, size - got);
        }
        return got;
    }
}
