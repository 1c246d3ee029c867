package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

class SnappyChannelTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String STREAM_ID = "ff060000734e61507059";

    @Test
    void shouldFrameASmallWriteLikeGolangSnappy() throws Exception {
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel c = SnappyChannel.over(raw);
        c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        // identifier | uncompressed chunk, 9 bytes | masked CRC-32C of "hello" (0x191c1fbb, worked out by hand from
        // crc32c 0x9a71bb4c) | "hello"
        assertEquals(STREAM_ID + "01090000" + "bb1f1c19" + "68656c6c6f", HEX.formatHex(raw.written()));
        c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(STREAM_ID + ("01090000bb1f1c1968656c6c6f").repeat(2), HEX.formatHex(raw.written()),
                "the identifier goes out once");
    }

    @Test
    void shouldMaskTheCrcAsSnappyDoes() {
        // CRC-32C("123456789") = 0xe3069283 (the standard check value); masked by hand:
        // rotated right by 15 bits, 0x2507c60d, plus 0xa282ead8 = 0xc78ab0e5.
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        CRC32C crc = new CRC32C();
        crc.update(b);
        assertEquals(0xe3069283L, crc.getValue());
        assertEquals(0xc78ab0e5, masked(b, 0, b.length));
    }

    @Test
    void shouldSendNothingForAnEmptyWrite() throws Exception {
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel c = SnappyChannel.over(raw);
        assertEquals(0, c.write(ByteBuffer.allocate(0)));
        assertEquals(0, raw.written().length);
        assertEquals(-1, c.read(ByteBuffer.allocate(10)), "an empty stream is a clean end");
    }

    @Test
    void shouldCompressOnlyWhenItSavesAnEighth() throws Exception {
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] random = new byte[1400];
        rnd.nextBytes(random);
        byte[] text = "all work and no play makes jack a dull boy. ".repeat(40).getBytes(StandardCharsets.US_ASCII);
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel c = SnappyChannel.over(raw);
        c.write(ByteBuffer.wrap(random));
        byte[] out = raw.written();
        assertEquals(0x01, out[10], "random data goes out uncompressed");
        assertEquals(4 + 1400, chunkLength(out, 10));
        int textChunk = out.length;
        c.write(ByteBuffer.wrap(text));
        out = raw.written();
        assertEquals(0x00, out[textChunk], "text goes out compressed");
        assertTrue(chunkLength(out, textChunk) < text.length / 8, "compressed to " + chunkLength(out, textChunk));
        assertEquals(masked(text, 0, text.length), ByteBuffer.wrap(out, textChunk + 4, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(), "CRC of the uncompressed bytes");
    }

    @Test
    void shouldSplitWritesIntoChunksOf64KiB() throws Exception {
        byte[] random = new byte[65537 + 65536];
        new SplittableRandom(2).nextBytes(random);
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel.over(raw).write(ByteBuffer.wrap(random));
        byte[] out = raw.written();
        int at = 10;
        int[] expected = {65536, 65536, 1};
        for (int len : expected) {
            assertEquals(0x01, out[at]);
            assertEquals(4 + len, chunkLength(out, at));
            at += 4 + chunkLength(out, at);
        }
        assertEquals(out.length, at);
    }

    @Test
    void shouldFrameAGatheringWriteAsOneWriteOfTheConcatenation() throws Exception {
        SplittableRandom rnd = new SplittableRandom(9);
        byte[] all = payload(rnd, 200_000);
        MemoryChannel one = new MemoryChannel(new byte[0], 1);
        SnappyChannel.over(one).write(ByteBuffer.wrap(all));
        MemoryChannel gathered = new MemoryChannel(new byte[0], 1);
        ByteBuffer[] parts = {ByteBuffer.wrap(all, 0, 8), ByteBuffer.allocate(0),
            ByteBuffer.allocateDirect(70_000).put(all, 8, 70_000).flip(), ByteBuffer.wrap(all, 70_008, 129_992)};
        assertEquals(all.length, SnappyChannel.over(gathered).write(parts));
        assertArrayEquals(one.written(), gathered.written());
        for (ByteBuffer p : parts) {
            assertFalse(p.hasRemaining());
        }
    }

    @Test
    void shouldRoundTripSeededWritesThroughOneByteReads() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel w = SnappyChannel.over(raw);
        for (int i = 0; i < 60; i++) {
            byte[] msg = payload(rnd, rnd.nextInt(4) == 0 ? rnd.nextInt(140_000) : rnd.nextInt(3000));
            sent.write(msg);
            if (i % 2 == 0) {
                w.write(ByteBuffer.wrap(msg));
            } else {
                ByteBuffer direct = ByteBuffer.allocateDirect(msg.length).put(msg).flip();
                w.write(direct);
                assertFalse(direct.hasRemaining());
            }
        }
        for (int step : new int[] {1, 7, 4096, 1 << 20}) {
            SnappyChannel r = SnappyChannel.over(new MemoryChannel(raw.written(), step));
            assertArrayEquals(sent.toByteArray(), readAll(r, rnd), "raw reads of " + step);
        }
    }

    @Test
    void shouldStreamBetweenThreadsOverAPipe() throws Exception {
        Pipe pipe = Pipe.open();
        SnappyChannel w = SnappyChannel.over(new Joined(pipe.source(), pipe.sink()));
        SnappyChannel r = SnappyChannel.over(new Joined(pipe.source(), pipe.sink()));
        SplittableRandom rnd = new SplittableRandom(4);
        byte[] all = payload(rnd, 3 << 20);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = ex.submit(() -> {
                OutputStream out = w.outputStream();
                SplittableRandom sizes = new SplittableRandom(5);
                for (int at = 0; at < all.length; ) {
                    int n = Math.min(all.length - at, 1 + sizes.nextInt(100_000));
                    out.write(all, at, n);
                    at += n;
                }
                pipe.sink().close();
                return null;
            });
            InputStream in = r.inputStream();
            byte[] got = in.readAllBytes();
            writer.get(30, TimeUnit.SECONDS);
            assertEquals(sha(all), sha(got));
        }
    }

    @Test
    void shouldRefuseANonBlockingChannel() throws Exception {
        try (SocketChannel sc = SocketChannel.open()) {
            sc.configureBlocking(false);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SnappyChannel.over(sc));
            assertTrue(e.getMessage().contains("configureBlocking(true)"), e.getMessage());
        }
    }

    @Test
    void shouldCloseTheRawChannelOnceAndRefuseUseAfterClose() throws Exception {
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel c = SnappyChannel.over(raw);
        assertTrue(c.isOpen());
        c.close();
        c.close();
        assertFalse(c.isOpen());
        assertEquals(1, raw.closes);
        assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> c.write(ByteBuffer.allocate(1)));
    }

    // ---- hostile input

    @Test
    void shouldSkipPaddingAndSkippableChunksAndAcceptARepeatedIdentifier() throws Exception {
        String hello = "01090000bb1f1c1968656c6c6f";
        String stream = STREAM_ID + "fe030000000000" + hello + "80000000" + STREAM_ID + "fd0100002a" + hello
                + "01040000" + HEX.formatHex(le(masked(new byte[0], 0, 0)));
        assertEquals("hellohello", new String(readAll(SnappyChannel.over(new MemoryChannel(HEX.parseHex(stream), 3)),
                new SplittableRandom(6)), StandardCharsets.US_ASCII));
    }

    @Test
    void shouldNameEveryViolation() {
        String hello = "01090000bb1f1c1968656c6c6f";
        assertViolation(hello, "does not start with the stream identifier");
        assertViolation("ff060000734e61507058", "bad stream identifier");
        assertViolation("ff070000734e6150705900", "stream identifier chunk is 7 bytes long");
        assertViolation(STREAM_ID + "01090000bb1f1c1968656c6c6e", "bad CRC in uncompressed chunk of 5 bytes");
        assertViolation(STREAM_ID + "00030000bb1f1c", "bad length: data chunk type 0x00 of 3 bytes");
        assertViolation(STREAM_ID + "01000000", "bad length: data chunk type 0x01 of 0 bytes");
        assertViolation(STREAM_ID + "02000000", "bad chunk type 0x02: reserved and unskippable");
        assertViolation(STREAM_ID + "7f000000", "bad chunk type 0x7f");
        assertViolation(STREAM_ID + "80cf2a01", "more than the 76494 allowed");
        assertViolation(STREAM_ID + "fe" + "ffffff", "chunk type 0xfe is 16777215 bytes long");
        assertViolation(STREAM_ID + "01050001", "uncompressed chunk holds 65537 bytes");
        // compressed chunk whose block decodes to 65537 bytes
        assertViolation(STREAM_ID + "00070000" + "00000000" + "818004",
                "decoded length 65537 exceeds the limit of 65536");
        // compressed "hello" with a wrong CRC
        assertViolation(STREAM_ID + "000b0000" + "00000000" + "051068656c6c6f", "bad CRC in compressed chunk");
        // compressed chunk with a broken block
        assertViolation(STREAM_ID + "00080000" + "00000000" + "0500610d", "compressed chunk: snappy block");
        assertViolation(STREAM_ID + "0109", "ended inside a chunk (2 bytes");
        assertViolation(STREAM_ID + "01090000bb1f1c1968", "ended inside a chunk (9 bytes");
        assertViolation("ff0600", "ended inside a chunk");
    }

    private static void assertViolation(String hex, String expected) {
        SnappyChannel c = SnappyChannel.over(new MemoryChannel(HEX.parseHex(hex), 2));
        ByteBuffer dst = ByteBuffer.allocate(100_000);
        SnappyFormatException e = assertThrows(SnappyFormatException.class, () -> {
            while (c.read(dst.clear()) >= 0) {
                // keep reading until the violation
            }
        }, hex);
        assertTrue(e.getMessage().contains(expected), hex + ": " + e.getMessage());
        SnappyFormatException again = assertThrows(SnappyFormatException.class, () -> c.read(dst.clear()));
        assertEquals(e.getMessage(), again.getMessage(), "the failure is final");
    }

    @Test
    void shouldFailMutatedStreamsOnlyWithFormatExceptions() throws Exception {
        SplittableRandom rnd = new SplittableRandom(10);
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel w = SnappyChannel.over(raw);
        for (int i = 0; i < 6; i++) {
            w.write(ByteBuffer.wrap(payload(rnd, rnd.nextInt(5000))));
        }
        byte[] good = raw.written();
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bad = good.clone();
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(4) == 0) {
                bad = java.util.Arrays.copyOf(bad, rnd.nextInt(bad.length));
            }
            try {
                readAll(SnappyChannel.over(new MemoryChannel(bad, 1 + rnd.nextInt(3000))), rnd);
            } catch (SnappyFormatException e) {
                rejected++;
            }
        }
        assertTrue(rejected > 2500, "rejected " + rejected + " of 3000");
    }

    @Test
    void shouldDeliverNothingFromAChunkWithABadCrc() throws Exception {
        byte[] text = "abcdefgh".repeat(100).getBytes(StandardCharsets.US_ASCII);
        MemoryChannel raw = new MemoryChannel(new byte[0], 1);
        SnappyChannel.over(raw).write(ByteBuffer.wrap(text));
        byte[] framed = raw.written();
        // identifier(10) | header(4) | CRC(4) | varint 800 (2) | literal tag | "abcdefgh": corrupt the 'a'
        assertEquals('a', framed[21]);
        framed[21] ^= 1;
        SnappyChannel c = SnappyChannel.over(new MemoryChannel(framed, 1 << 20));
        ByteBuffer dst = ByteBuffer.allocate(2000);
        assertThrows(SnappyFormatException.class, () -> c.read(dst));
        assertEquals(0, dst.position());
    }

    @Test
    void shouldNotBufferMoreThanOneChunkWhateverTheLengthField() throws Exception {
        // A peer announcing a huge skippable chunk is rejected on its header, without reading further.
        MemoryChannel raw = new MemoryChannel(HEX.parseHex(STREAM_ID + "fdffffff" + "00".repeat(5000)), 14);
        SnappyChannel c = SnappyChannel.over(raw);
        assertThrows(SnappyFormatException.class, () -> c.read(ByteBuffer.allocate(10)));
        assertEquals(14, raw.readPos, "read only the identifier and the bad header");
    }

    // ---- helpers

    private static int chunkLength(byte[] b, int at) {
        return (b[at + 1] & 0xff) | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff) << 16;
    }

    static int masked(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return Integer.rotateRight(c, 15) + 0xa282ead8;
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] payload(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; ) {
            int part = Math.min(n - i, 1 + rnd.nextInt(2000));
            if (rnd.nextBoolean()) {
                for (int k = 0; k < part; k++) {
                    b[i + k] = (byte) rnd.nextInt(256);
                }
            } else {
                byte[] word = ("kcp-" + rnd.nextInt(50) + " ").getBytes(StandardCharsets.US_ASCII);
                for (int k = 0; k < part; k++) {
                    b[i + k] = word[k % word.length];
                }
            }
            i += part;
        }
        return b;
    }

    private static byte[] readAll(SnappyChannel c, SplittableRandom rnd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[70_000];
        while (true) {
            int n = c.read(buf, 0, 1 + rnd.nextInt(buf.length));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
        }
    }

    private static String sha(byte[] b) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Reads from a fixed byte array at most {@code step} bytes at a time and records what is written. */
    static final class MemoryChannel implements ByteChannel {
        private final byte[] input;
        private final int step;
        int readPos;
        int closes;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();

        MemoryChannel(byte[] input, int step) {
            this.input = input;
            this.step = step;
        }

        byte[] written() {
            return output.toByteArray();
        }

        @Override
        public int read(ByteBuffer dst) {
            if (readPos == input.length) {
                return -1;
            }
            int n = Math.min(Math.min(step, dst.remaining()), input.length - readPos);
            dst.put(input, readPos, n);
            readPos += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            output.writeBytes(b);
            return n;
        }

        @Override
        public boolean isOpen() {
            return closes == 0;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    /** A pipe's two ends as one channel. */
    private record Joined(Pipe.SourceChannel source, Pipe.SinkChannel sink) implements ByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return source.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return sink.write(src);
        }

        @Override
        public boolean isOpen() {
            return source.isOpen();
        }

        @Override
        public void close() throws IOException {
            source.close();
            sink.close();
        }
    }
}
