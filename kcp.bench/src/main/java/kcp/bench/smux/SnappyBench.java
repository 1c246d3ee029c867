package kcp.bench.smux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import kcp.smux.SnappyChannel;
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
 * kcptun's compression stream on one payload per operation: {@code compress} is a {@link SnappyChannel} write
 * (CRC-32C, compress, frame, hand to the channel: golang/snappy's {@code Write} + {@code Flush}); {@code
 * decompress} reads the same payload back from its framed chunk (parse, decompress, verify the CRC, copy out:
 * golang/snappy's {@code Reader.Read}). The payloads come from the generator {@code interop/go/bin/snappyvec
 * bench} uses, so the Go figures are for the same bytes. MB/s = size / time per op.
 * Run: {@code bench/jmh.sh SnappyBench -prof gc}; against Go in the same sitting: {@code bench/snappy-vs-go.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SnappyBench {
    /** text: words from a 25-word list (compresses about 3:1); random: incompressible bytes. */
    @Param({"text", "random"})
    public String kind;
    /** Bytes per write: one KCP MSS-sized message, a smux frame, a whole 64 KiB chunk. */
    @Param({"1400", "16384", "65536"})
    public int size;

    private ByteBuffer payload;
    private SnappyChannel writer;
    private SnappyChannel reader;
    private ByteBuffer out;

    /** Builds the payload, a writer into a discarding channel, and a reader over the framed chunk, repeated. */
    @Setup
    public void setup() throws IOException {
        byte[] p = "text".equals(kind) ? text(42, size) : random(42, size);
        payload = ByteBuffer.wrap(p);
        writer = SnappyChannel.over(new Discard());
        Capture capture = new Capture();
        SnappyChannel.over(capture).write(ByteBuffer.wrap(p));
        reader = SnappyChannel.over(new Repeat(capture.bytes()));
        out = ByteBuffer.allocate(size);
    }

    /** Compress, frame and write one payload. */
    @Benchmark
    public int compress() throws IOException {
        payload.clear();
        return writer.write(payload);
    }

    /** Read one payload back: parse, decompress, check the CRC. */
    @Benchmark
    public ByteBuffer decompress() throws IOException {
        out.clear();
        while (out.hasRemaining()) {
            reader.read(out);
        }
        return out;
    }

    // ---- the generator snappyvec uses (xorshift64, low byte / word index)

    private static final String[] WORDS = ("the quick brown fox jumps over a lazy dog while kcp sends segments with "
            + "acknowledgements windows and retransmission timers over udp in a tunnel of streams").split(" ");

    private static long next(long[] x) {
        long v = x[0];
        v ^= v << 13;
        v ^= v >>> 7;
        v ^= v << 17;
        x[0] = v;
        return v;
    }

    static byte[] random(long seed, int n) {
        long[] x = {seed};
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) next(x);
        }
        return b;
    }

    static byte[] text(long seed, int n) {
        long[] x = {seed};
        StringBuilder sb = new StringBuilder(n + 32);
        while (sb.length() < n) {
            sb.append(WORDS[(int) Long.remainderUnsigned(next(x), WORDS.length)]).append(' ');
        }
        return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    /** Takes every byte and keeps none. */
    private static final class Discard implements ByteChannel {
        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Keeps what is written (setup only). */
    private static final class Capture implements ByteChannel {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        byte[] bytes() {
            return bytes.toByteArray();
        }

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public int write(ByteBuffer src) {
            byte[] b = new byte[src.remaining()];
            src.get(b);
            bytes.writeBytes(b);
            return b.length;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Serves the stream identifier once, then the framed chunk after it over and over. */
    private static final class Repeat implements ByteChannel {
        private final byte[] framed;
        private int pos;

        Repeat(byte[] framed) {
            this.framed = framed;
        }

        @Override
        public int read(ByteBuffer dst) {
            int n = Math.min(dst.remaining(), framed.length - pos);
            dst.put(framed, pos, n);
            pos += n;
            if (pos == framed.length) {
                pos = 10; // skip the identifier from now on
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
