package kcp.bench.crypto;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
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
 * The whole crypto step of the session pipeline on a 1400-byte datagram (kcp-go v5.6.72's
 * {@code BenchmarkCFB_AES_128_CRC32}, {@code BenchmarkCFB_Salsa20_CRC32} and
 * {@code BenchmarkAEAD_AES_128_GCM} measure the seal half with {@code SetBytes(1400)}): {@code seal}
 * = nonce + CRC32 + encrypt (or GCM seal); {@code sealOpen} adds the receiver's open.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SealerBench {
    /** Sealer name as accepted by {@link PacketSealer#forName}. */
    @Param({"aes-128", "salsa20", "aes-128-gcm", "chacha20-poly1305", "xchacha20-poly1305"})
    public String cipher;

    private PacketSealer sealer;
    private PacketSealer opener;
    private final byte[] datagram = new byte[1400];
    private int payloadLen;

    /** Keys both ends with kcptun's derivation of "bench". */
    @Setup
    public void setup() {
        byte[] key = KeyDerivation.keyFor(cipher, KeyDerivation.kcptun("bench"));
        sealer = PacketSealer.forName(cipher, key);
        opener = PacketSealer.forName(cipher, key);
        payloadLen = datagram.length - sealer.headerSize() - sealer.trailerSize();
        new SplittableRandom(1).nextBytes(datagram);
    }

    /**
     * Seal one datagram.
     *
     * @return datagram length
     */
    @Benchmark
    public int seal() {
        return sealer.seal(datagram, 0, payloadLen);
    }

    /**
     * Seal one datagram and open it again.
     *
     * @return payload length (-1 would mean a bug)
     */
    @Benchmark
    public int sealOpen() {
        int n = sealer.seal(datagram, 0, payloadLen);
        return opener.open(datagram, 0, n);
    }
}
