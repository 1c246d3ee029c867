package kcp.bench.net;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.ReceiveThreadKind;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Mirrors kcp-go 5.6.1's {@code BenchmarkEchoSpeed4K/64K/512K/1M}: one operation writes a zero-filled message
 * of {@code size} bytes and reads until all of it has come back (5.6.1's ping-pong {@code echo_tester}), over
 * a Salsa20 + FEC 10/3 client and a Salsa20 + FEC (10, 0) server on 127.0.0.1 (see {@link Fixtures}).
 * kcp-go reports {@code SetBytes(size)}: the {@code bytes} secondary result is the same figure in bytes/s
 * (divide by 10^6 for Go's MB/s).
 *
 * <p>{@code threads} chooses who does the work. {@code platform}: the client runs on JMH's (platform) thread and both
 * sockets' receive loops on platform threads, kcp.net's default. {@code virtual}: the client runs on a virtual thread
 * and both receive loops too ({@code receiveThread(VIRTUAL)}), so every hand-off of an operation is between virtual
 * threads, as every one in kcp-go's benchmark is between goroutines. The echo server is a virtual thread in both.
 * An invocation runs {@value #BATCH} operations, so that the virtual variant's hand-over from the JMH thread is
 * paid once per batch.
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

    /** Threads of the client and of both receive loops: {@code platform} (kcp.net's default) or {@code virtual}. */
    @Param({"platform", "virtual"})
    public String threads;

    /** Operations per invocation. */
    static final int BATCH = 16;

    private KcpListener server;
    private KcpSession client;
    private byte[] buf;
    private boolean virtual;
    private IOException failure;

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
        virtual = switch (threads) {
            case "platform" -> false;
            case "virtual" -> true;
            default -> throw new IllegalArgumentException("threads must be platform or virtual: " + threads);
        };
        ReceiveThreadKind rx = virtual ? ReceiveThreadKind.VIRTUAL : ReceiveThreadKind.PLATFORM;
        server = Fixtures.server(Fixtures.listenEcho().toBuilder().receiveThread(rx).build(), true);
        client = Kcps.dial(server.localAddress(), Fixtures.dialEcho().toBuilder().receiveThread(rx).build());
        buf = new byte[size];
    }

    /** Closes both ends. */
    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        server.close();
    }

    /** {@value #BATCH} messages out and back, one after the other, on the thread {@code threads} chooses. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void echo(Bytes counter) throws IOException, InterruptedException {
        if (virtual) {
            Thread.ofVirtual().name("bench-client").start(this::batchCatching).join();
            if (failure != null) {
                throw failure;
            }
        } else {
            batch();
        }
        counter.bytes += (long) BATCH * size;
    }

    private void batchCatching() {
        try {
            batch();
        } catch (IOException e) {
            failure = e;
        }
    }

    private void batch() throws IOException {
        for (int i = 0; i < BATCH; i++) {
            client.write(buf, 0, size);
            int got = 0;
            while (got < size) {
                got += client.read(buf, got, size - got);
            }
        }
    }
}
