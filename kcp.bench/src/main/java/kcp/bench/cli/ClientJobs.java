package kcp.bench.cli;

import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import kcp.net.KcpSession;

/**
 * What one client session does: stream an echo (writer and checker on two threads), ping-pong
 * one chunk at a time, or sink (length header, payload, wait for the server's byte count).
 *
 * <p>Stateless; each method runs on its caller's thread and uses only its own buffers. Sizes in bytes.
 */
final class ClientJobs {
    /** Bytes of the sink protocol's length header and of the server's count reply (u64 big-endian). */
    static final int SINK_HEADER_BYTES = 8;

    private ClientJobs() {
    }

    /**
     * Writes {@code bytes} of the seeded stream in {@code chunk}-byte writes on a second thread (of the caller's
     * kind) while
     * this thread reads the echo and checks every byte.
     *
     * @throws IOException naming the first differing byte, or the writer's or reader's failure
     */
    static void echoStream(KcpSession s, long bytes, int chunk, long seed, LongAdder progress)
            throws IOException, InterruptedException {
        AtomicReference<Throwable> writeError = new AtomicReference<>();
        Thread writer = (Thread.currentThread().isVirtual() ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true))
                .name("kcp-echo-writer").start(() -> {
            byte[] buf = new byte[chunk];
            try {
                for (long pos = 0; pos < bytes; ) {
                    int n = (int) Math.min(chunk, bytes - pos);
                    Payload.fill(seed, pos, buf, 0, n);
                    s.write(buf, 0, n);
                    pos += n;
                }
            } catch (Throwable e) {
                writeError.set(e);
                s.close();
            }
        });
        byte[] in = new byte[Math.max(chunk, 64 * 1024)];
        long got = 0;
        try {
            while (got < bytes) {
                int n = s.read(in, 0, (int) Math.min(in.length, bytes - got));
                check(seed, got, in, n);
                got += n;
                progress.add(n);
            }
        } catch (IOException e) {
            Throwable w = writeError.get();
            if (w != null) {
                throw new IOException("write failed after sending part of " + bytes + " bytes: "
                        + ClientRunner.describe(w), w);
            }
            throw new IOException("read failed after " + got + " of " + bytes + " bytes: "
                    + ClientRunner.describe(e), e);
        }
        writer.join();
    }

    /**
     * Ping-pong: writes one chunk of the seeded stream, reads its echo completely, checks it, repeats until
     * {@code bytes} were echoed; records each round trip.
     *
     * @param rttNanos receives one round-trip time per chunk, in order; length >= number of rounds
     * @return the number of rounds
     */
    static int pingPong(KcpSession s, long bytes, int chunk, long seed, LongAdder progress, long[] rttNanos)
            throws IOException {
        byte[] out = new byte[chunk];
        byte[] in = new byte[chunk];
        int rounds = 0;
        for (long pos = 0; pos < bytes; rounds++) {
            int n = (int) Math.min(chunk, bytes - pos);
            Payload.fill(seed, pos, out, 0, n);
            long t0 = System.nanoTime();
            s.write(out, 0, n);
            for (int got = 0; got < n; ) {
                got += s.read(in, got, n - got);
            }
            rttNanos[rounds] = System.nanoTime() - t0;
            check(seed, pos, in, n);
            pos += n;
            progress.add(n);
        }
        return rounds;
    }

    /**
     * Sink: sends the 8-byte length, then {@code bytes} of payload, then waits for the server's 8-byte count
     * of bytes received, which must equal {@code bytes}.
     */
    static void sink(KcpSession s, long bytes, int chunk, long seed, LongAdder progress) throws IOException {
        byte[] header = new byte[SINK_HEADER_BYTES];
        putLong(header, bytes);
        s.write(header, 0, header.length);
        byte[] buf = new byte[chunk];
        Payload.fill(seed, 0, buf, 0, chunk);
        for (long pos = 0; pos < bytes; ) {
            int n = (int) Math.min(chunk, bytes - pos);
            s.write(buf, 0, n);
            pos += n;
            progress.add(n);
        }
        byte[] reply = new byte[SINK_HEADER_BYTES];
        readFully(s, reply);
        long count = getLong(reply);
        if (count != bytes) {
            throw new IOException("sink server counted " + count + " bytes, sent " + bytes);
        }
    }

    private static void check(long seed, long pos, byte[] buf, int n) throws IOException {
        int bad = Payload.firstMismatch(seed, pos, buf, 0, n);
        if (bad >= 0) {
            byte[] expected = new byte[1];
            Payload.fill(seed, pos + bad, expected, 0, 1);
            throw new IOException("echoed byte " + (pos + bad) + " is 0x" + HexFormat.of().toHexDigits(buf[bad])
                    + ", expected 0x" + HexFormat.of().toHexDigits(expected[0]));
        }
    }

    /** Reads exactly {@code dst.length} bytes. */
    static void readFully(KcpSession s, byte[] dst) throws IOException {
        for (int got = 0; got < dst.length; ) {
            got += s.read(dst, got, dst.length - got);
        }
    }

    /** Stores {@code v} big-endian in {@code b[0, 8)}. */
    static void putLong(byte[] b, long v) {
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** @return the big-endian u64 in {@code b[0, 8)} */
    static long getLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }
}
