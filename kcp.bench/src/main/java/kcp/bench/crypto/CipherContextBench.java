package kcp.bench.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kcp.crypto.BlockCrypt;
import kcp.crypto.Ciphers;
import kcp.crypto.KeyDerivation;
import kcp.crypto.NonceSource;
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
 * AES-128 local CFB (and kcp-go's SimpleXOR, which is the XOR alone) in the compilation contexts where its
 * per-packet XOR used to be fast or slow: encrypt alone, decrypt alone, the two alternating, the whole seal + open
 * path, and a larger method (a burst of
 * datagrams assembled, sealed and opened in one loop, as a session's flush does). {@code impl=baseline} is
 * the code before 7 Dec 2026 ({@link BaselineCfb}, {@link BaselineNonces}), {@code impl=current} what
 * kcp.crypto has now, so one run gives before and after. Time per 1500-byte packet (per datagram for the
 * sealer cases).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CipherContextBench {
    /** baseline (before) or current (after). */
    @Param({"baseline", "current"})
    public String impl;
    /** aes-128 (JCE keystream + XOR) or xor (kcp-go's SimpleXOR: the XOR alone). */
    @Param({"aes-128", "xor"})
    public String cipher;

    private static final int BURST = 8;
    private BlockCrypt crypt;
    private PacketSealer sealer;
    private PacketSealer opener;
    private final byte[] packet = new byte[1500];
    private final byte[] datagram = new byte[1400];
    private final byte[][] burst = new byte[BURST][1400];
    private final byte[] payload = new byte[1380];

    /** Builds the cipher and the two sealers with kcp-go's benchmark key. */
    @Setup
    public void setup() {
        byte[] pass = KeyDerivation.pbkdf2HmacSha1("testkey".getBytes(StandardCharsets.US_ASCII),
                "testsalt".getBytes(StandardCharsets.US_ASCII), 4096, 32);
        byte[] key = Arrays.copyOf(pass, 16);
        boolean base = "baseline".equals(impl);
        crypt = create(base, key);
        sealer = PacketSealer.cfb(create(base, key), base ? new BaselineNonces() : NonceSource.secureDefault());
        opener = PacketSealer.cfb(create(base, key), base ? new BaselineNonces() : NonceSource.secureDefault());
        SplittableRandom rnd = new SplittableRandom(1);
        rnd.nextBytes(packet);
        rnd.nextBytes(payload);
    }

    private BlockCrypt create(boolean base, byte[] key) {
        if ("xor".equals(cipher)) {
            if (!base) {
                return Ciphers.create("xor", key);
            }
            byte[] table = KeyDerivation.pbkdf2HmacSha1(key, "sH3CIVoF#rWLtJo6".getBytes(StandardCharsets.US_ASCII),
                    32, 1500);
            return new BlockCrypt() {
                @Override
                public void encrypt(byte[] buf, int off, int len) {
                    BaselineCfb.xor(buf, off, table, Math.min(len, table.length));
                }

                @Override
                public void decrypt(byte[] buf, int off, int len) {
                    BaselineCfb.xor(buf, off, table, Math.min(len, table.length));
                }
            };
        }
        return base ? new BaselineCfb(key) : Ciphers.create("aes-128", key);
    }

    /**
     * Encrypts one packet in place, nothing else in the loop.
     *
     * @return a byte of the packet
     */
    @Benchmark
    public byte encrypt() {
        crypt.encrypt(packet, 0, packet.length);
        return packet[7];
    }

    /**
     * Decrypts one packet in place, nothing else in the loop (the context that was 30x slower).
     *
     * @return a byte of the packet
     */
    @Benchmark
    public byte decrypt() {
        crypt.decrypt(packet, 0, packet.length);
        return packet[7];
    }

    /**
     * Encrypt then decrypt (kcp-go's benchmark; the context where the old loop was fast). Per op: two packets.
     *
     * @return a byte of the packet
     */
    @Benchmark
    public byte encryptDecrypt() {
        crypt.encrypt(packet, 0, packet.length);
        crypt.decrypt(packet, 0, packet.length);
        return packet[7];
    }

    /**
     * The whole crypto step on a 1400-byte datagram: nonce, CRC32, encrypt; then open it again.
     *
     * @return the payload length
     */
    @Benchmark
    public int sealOpen() {
        int n = sealer.seal(datagram, 0, datagram.length - 20);
        return opener.open(datagram, 0, n);
    }

    /**
     * A burst of {@value #BURST} datagrams assembled (payload copied after the header), sealed, opened and
     * checked in one larger method. Per op: {@value #BURST} datagrams.
     *
     * @return a checksum of the opened bytes
     */
    @Benchmark
    public int burstPipeline() {
        int sum = 0;
        for (int i = 0; i < BURST; i++) {
            byte[] d = burst[i];
            payload[0] = (byte) i;
            System.arraycopy(payload, 0, d, 20, payload.length);
            int n = sealer.seal(d, 0, payload.length);
            if (n != payload.length + 20) {
                throw new IllegalStateException("seal returned " + n);
            }
        }
        for (int i = 0; i < BURST; i++) {
            byte[] d = burst[i];
            int m = opener.open(d, 0, payload.length + 20);
            if (m < 0) {
                throw new IllegalStateException("open failed on datagram " + i);
            }
            sum += d[20] + d[20 + m - 1];
        }
        return sum;
    }
}
