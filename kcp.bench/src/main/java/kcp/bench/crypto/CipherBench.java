package kcp.bench.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kcp.crypto.BlockCrypt;
import kcp.crypto.Ciphers;
import kcp.crypto.KeyDerivation;
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
 * Mirrors kcp-go 5.6.1's {@code benchCrypt} ({@code BenchmarkAES128}, {@code BenchmarkTEA}, ...): one
 * op = encrypt then decrypt of one 1500-byte packet (kcp-go {@code SetBytes(3000)}), so
 * MB/s = ops/s x 3000 / 10^6. Keys are kcp-go's test key slices of
 * {@code pass = PBKDF2(testkey, testsalt, 4096, 32)}. In place here (kcp-go writes to a second buffer;
 * the work per byte is the same).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CipherBench {
    /** kcp.crypto cipher name; kcp-go benchmark in brackets. */
    @Param({"aes-128", "aes-192", "aes-256", "tea", "xtea", "xor", "blowfish", "twofish", "cast5", "3des",
        "salsa20", "sm4", "none"})
    public String cipher;

    private BlockCrypt crypt;
    private final byte[] packet = new byte[1500];

    /** Builds the cipher with kcp-go's benchmark key slice and fills the packet with random bytes. */
    @Setup
    public void setup() {
        byte[] pass = KeyDerivation.pbkdf2HmacSha1("testkey".getBytes(StandardCharsets.US_ASCII),
                "testsalt".getBytes(StandardCharsets.US_ASCII), 4096, 32);
        int keyLen = switch (cipher) {
            case "aes-128", "tea", "xtea", "cast5", "sm4" -> 16;
            case "aes-192", "3des" -> 24;
            default -> 32;
        };
        crypt = Ciphers.create(cipher, Arrays.copyOf(pass, keyLen));
        new SplittableRandom(1).nextBytes(packet);
    }

    /**
     * Encrypt and decrypt one 1500-byte packet in place.
     *
     * @return a byte of the packet (defeats dead-code elimination)
     */
    @Benchmark
    public byte encryptDecrypt() {
        crypt.encrypt(packet, 0, packet.length);
        crypt.decrypt(packet, 0, packet.length);
        return packet[0];
    }
}
