package kcp.bench.fec;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import kcp.fec.ReedSolomon;
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
 * Raw Reed-Solomon codec: parity of d shards x 1400 bytes, and reconstruction of p lost data shards (the worst
 * case the code can repair), on each coding loop: {@code table} (Backblaze's byte-at-a-time table loop, the
 * portable default until 7 Dec 2026), {@code swar} (the portable default since, no incubator module needed) and
 * {@code simd} (the Vector API loop). Compare with klauspost's Encode and ReconstructData on the same shapes
 * ({@code interop/go/bin/rsbench}). Time per operation = per whole group.
 * Run: {@code bench/jmh.sh 'FecCodecBench' -prof gc}; SIMD needs --add-modules jdk.incubator.vector (jmh.sh
 * passes it). Each parameter combination runs in its own fork, so {@code table} can select the table loop through
 * the {@code kcp.fec.scalar} system property before kcp.fec reads it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FecCodecBench {
    /** data x parity shards. */
    @Param({"10x3", "20x10"})
    public String shape;
    /** Coding loop: table (old portable), swar (portable default) or simd (Vector API). */
    @Param({"table", "swar", "simd"})
    public String impl;
    /** Bytes per shard. */
    @Param({"1400"})
    public int shardBytes;

    private ReedSolomon codec;
    private byte[][] shards;
    private boolean[] present;

    /** Builds the codec and random data shards, and marks the first p data shards lost. */
    @Setup
    public void setup() {
        String[] dp = shape.split("x");
        int d = Integer.parseInt(dp[0]);
        int p = Integer.parseInt(dp[1]);
        if ("table".equals(impl)) {
            System.setProperty("kcp.fec.scalar", "table");
        }
        codec = ReedSolomon.create(d, p, "simd".equals(impl));
        String expected = switch (impl) {
            case "table" -> "scalar";
            case "swar" -> "swar";
            default -> "vector256";
        };
        if (!codec.implementation().equals(expected)) {
            throw new IllegalStateException("impl " + impl + " runs on " + codec.implementation()
                    + "; kcp.fec chose its loop before this fork's setup (run each impl in its own fork)");
        }
        shards = new byte[d + p][shardBytes];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < d; i++) {
            rnd.nextBytes(shards[i]);
        }
        codec.encodeParity(shards, 0, shardBytes);
        present = new boolean[d + p];
        java.util.Arrays.fill(present, true);
        for (int i = 0; i < p; i++) {
            present[i] = false;
        }
    }

    /** Parity of one group (klauspost Encode). */
    @Benchmark
    public byte[][] encode() {
        codec.encodeParity(shards, 0, shardBytes);
        return shards;
    }

    /** Rebuild p missing data shards from the rest (klauspost ReconstructData). */
    @Benchmark
    public byte[][] reconstruct() {
        codec.decodeMissingData(shards, present, 0, shardBytes);
        return shards;
    }
}
