package kcp.bench.crypto;

import java.util.concurrent.TimeUnit;
import kcp.crypto.NonceSource;
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
 * Mirrors kcp-go 5.6.1's {@code BenchmarkCsprngNonceAES128}: one 16-byte packet nonce per op
 * ({@code SetBytes(16)}), from {@link NonceSource#secureDefault()} and, for comparison, the previous default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class NonceBench {
    /** baseline = 256-byte pool per JCE call (before 7 Dec 2026, {@link BaselineNonces}); current = default. */
    @Param({"baseline", "current"})
    public String impl;

    private NonceSource nonces;
    private final byte[] nonce = new byte[16];

    /** Creates the source under test. */
    @Setup
    public void setup() {
        nonces = "baseline".equals(impl) ? new BaselineNonces() : NonceSource.secureDefault();
    }

    /**
     * Fill one 16-byte nonce.
     *
     * @return a nonce byte (defeats dead-code elimination)
     */
    @Benchmark
    public byte nonce16() {
        nonces.fill(nonce, 0, 16);
        return nonce[0];
    }
}
