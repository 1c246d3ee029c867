package kcp.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.core.testing.GoPeers;

/**
 * The Java ARQ against kcp-go 5.6.1's own KCP state machine ({@code interop/go/src/kcpjava/arqecho}): datagrams are
 * exchanged through the Go process's stdin/stdout with seeded 10 % loss in each direction (applied on the Java
 * side), in real time because kcp-go reads its own clock. Java sends messages of 1 byte up to 4 x mss (so kcp-go
 * reassembles our fragments and we reassemble its), kcp-go echoes each one, and the echo must match byte for byte.
 * Named as an integration test: it spawns Go and runs on wall-clock time. Skipped without Go, except under
 * {@code CI=true}, where a missing Go fails ({@link GoPeers}).
 */
class KcpGoInteropIT {
    private static final int CONV = 0x2468ACE;
    private static final int TOTAL = 512 * 1024;

    private static Path peerBinary() {
        return GoPeers.find("arqecho").orElseGet(() -> Assumptions.abort(GoPeers.missingReason("arqecho")));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldExchangeFragmentedMessagesWithKcpGoOverALossyLink() throws Exception {
        Path bin = peerBinary();
        long seed = 0x1A7E;
        SeedReporter.run("kcp-go interop", seed, () -> exchange(bin, seed));
    }

    private static void exchange(Path bin, long seed) throws Exception {
        Process go = new ProcessBuilder(bin.toString(), Integer.toString(CONV))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            SplittableRandom rnd = new SplittableRandom(seed);
            SplittableRandom loss = new SplittableRandom(seed + 1);
            OutputStream toGo = new BufferedOutputStream(go.getOutputStream(), 1 << 16);
            ConcurrentLinkedQueue<byte[]> fromGo = new ConcurrentLinkedQueue<>();
            Thread reader = Thread.ofPlatform().daemon().name("arqecho-reader")
                    .start(() -> readFrames(go.getInputStream(), fromGo));
            Kcp kcp = new Kcp(CONV, (buf, len) -> {
                if (loss.nextInt(100) >= 10) {
                    writeFrame(toGo, buf, len);
                }
            });
            kcp.setNoDelay(true, 10, 2, true);
            kcp.setWindowSize(128, 128);
            byte[] payload = new byte[TOTAL];
            rnd.nextBytes(payload);
            byte[] echoed = new byte[TOTAL];
            byte[] buf = new byte[8 * kcp.mss()];
            int sent = 0;
            int received = 0;
            int inputs = 0;
            long start = System.nanoTime();
            int nextFlush = 0;
            while (received < TOTAL) {
                int now = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(now < 50_000, "no progress: " + received + " of " + TOTAL + " bytes echoed");
                byte[] pkt;
                while ((pkt = fromGo.poll()) != null) {
                    if (loss.nextInt(100) >= 10) {
                        assertEquals(InputResult.OK, kcp.input(pkt, 0, pkt.length, true, false, now));
                        inputs++;
                    }
                }
                while (sent < TOTAL && kcp.waitSnd() < 256) {
                    int n = Math.min(TOTAL - sent, 1 + rnd.nextInt(4 * kcp.mss()));
                    kcp.send(payload, sent, n);
                    sent += n;
                }
                int n;
                while ((n = kcp.recv(buf, 0, buf.length)) > 0) {
                    System.arraycopy(buf, 0, echoed, received, n);
                    received += n;
                }
                if (now - nextFlush >= 0) {
                    nextFlush = now + kcp.flush(false, now);
                    toGo.flush();
                }
                Thread.sleep(1);
            }
            assertArrayEquals(payload, echoed, "echo from kcp-go differs");
            System.out.printf("kcp-go interop: %d bytes echoed in %d ms, %d datagrams in, retrans %d (fast %d, "
                            + "early %d, lost %d)%n", TOTAL, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    inputs, kcp.retransSegs(), kcp.fastRetransSegs(), kcp.earlyRetransSegs(), kcp.lostSegs());
            assertTrue(kcp.retransSegs() > 0, "loss was applied, so something was retransmitted");
            toGo.close();
            reader.join(5000);
        } finally {
            go.destroy();
            go.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void writeFrame(OutputStream out, byte[] buf, int len) {
        try {
            out.write(len & 0xFF);
            out.write(len >>> 8);
            out.write(buf, 0, len);
        } catch (IOException e) {
            throw new IllegalStateException("writing to arqecho failed", e);
        }
    }

    private static void readFrames(InputStream in, ConcurrentLinkedQueue<byte[]> into) {
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
            while (true) {
                int len = data.readUnsignedByte() | data.readUnsignedByte() << 8;
                byte[] pkt = new byte[len];
                data.readFully(pkt);
                into.add(pkt);
            }
        } catch (EOFException e) {
            // arqecho exited
        } catch (IOException e) {
            throw new IllegalStateException("reading from arqecho failed", e);
        }
    }
}
