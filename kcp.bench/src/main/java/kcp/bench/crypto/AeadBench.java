package kcp.bench.crypto;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kcp.crypto.Aead;
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
 * The AEADs of kcp-go's {@code NewAEADCrypt} framing on their own, next to {@link CipherBench}'s CFB ciphers:
 * one op = seal then open of one {@code size}-byte payload in place with a fresh nonce, so MB/s =
 * ops/s x 2 x size / 10^6 (the Go side is {@code interop/go/bin/aeadbench}, same op and same MB/s definition;
 * {@code bench/aead-race.sh} runs both interleaved). Run with {@code -prof gc} for B/op.
 * {@code jdk-chacha20-poly1305} is the JDK's own {@code ChaCha20-Poly1305} cipher, the alternative that
 * kcp.crypto measured and did not adopt (docs/decisions.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AeadBench {
    /** AEAD name as accepted by {@code PacketSealer.forName}. */
    @Param({"aes-128-gcm", "aes-256-gcm", "chacha20-poly1305", "xchacha20-poly1305", "jdk-chacha20-poly1305"})
    public String cipher;

    /** Payload bytes per datagram. */
    @Param({"1500"})
    public int size;

    private Aead aead;
    private byte[] buf;
    private byte[] nonce;
    private long counter;

    /** Builds the cipher with a fixed key and fills the payload with random bytes. */
    @Setup
    public void setup() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7);
        }
        aead = switch (cipher) {
            case "aes-128-gcm" -> Aead.aesGcm(java.util.Arrays.copyOf(key, 16));
            case "aes-256-gcm" -> Aead.aesGcm(key);
            case "chacha20-poly1305" -> Aead.chacha20Poly1305(key);
            case "xchacha20-poly1305" -> Aead.xchacha20Poly1305(key);
            case "jdk-chacha20-poly1305" -> new JdkChaCha20Poly1305(key);
            default -> throw new IllegalArgumentException("unknown AEAD " + cipher);
        };
        buf = new byte[size + aead.overhead()];
        nonce = new byte[aead.nonceSize()];
        new SplittableRandom(1).nextBytes(buf);
    }

    /**
     * Seal and open one payload with a new nonce.
     *
     * @return the opened length (-1 would mean a bug)
     */
    @Benchmark
    public int sealOpen() {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (c >>> (8 * i));
        }
        int n = aead.seal(nonce, 0, buf, 0, size);
        return aead.open(nonce, 0, buf, 0, n);
    }

    /** The JDK's ChaCha20-Poly1305 cipher behind the {@link Aead} interface (baseline only). */
    static final class JdkChaCha20Poly1305 implements Aead {
        private final javax.crypto.spec.SecretKeySpec key;
        private final javax.crypto.Cipher cipher;
        private final byte[] scratch = new byte[2048];

        JdkChaCha20Poly1305(byte[] key) {
            this.key = new javax.crypto.spec.SecretKeySpec(key, "ChaCha20");
            try {
                cipher = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int nonceSize() {
            return 12;
        }

        @Override
        public int overhead() {
            return 16;
        }

        @Override
        public int seal(byte[] nonce, int nonceOff, byte[] buf, int off, int len) {
            return run(javax.crypto.Cipher.ENCRYPT_MODE, nonce, nonceOff, buf, off, len);
        }

        @Override
        public int open(byte[] nonce, int nonceOff, byte[] buf, int off, int len) {
            return run(javax.crypto.Cipher.DECRYPT_MODE, nonce, nonceOff, buf, off, len);
        }

        private int run(int mode, byte[] nonce, int nonceOff, byte[] buf, int off, int len) {
            try {
                cipher.init(mode, key, new javax.crypto.spec.IvParameterSpec(nonce, nonceOff, 12));
                int n = cipher.doFinal(buf, off, len, scratch, 0);
                System.arraycopy(scratch, 0, buf, off, n);
                return n;
            } catch (java.security.GeneralSecurityException e) {
                return -1;
            }
        }
    }
}
