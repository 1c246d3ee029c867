package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import kcp.net.KcpListener;
import kcp.net.KcpMode;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.SessionOptions;
import org.junit.jupiter.api.Test;

/**
 * SnappyChannel over real KCP sessions on loopback, as kcptun stacks them: an echo server that decompresses
 * and recompresses, a client that writes while it reads, KCP stream mode cutting chunks wherever its segments
 * fall.
 */
class SnappyOverKcpIT {
    @Test
    void shouldEchoCompressedStreamsOverKcpByteExact() throws Exception {
        SessionOptions o = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(512, 512).streamMode(true)
                .build();
        SplittableRandom rnd = new SplittableRandom(21);
        byte[] data = new byte[4 << 20];
        for (int i = 0; i < data.length; ) {
            int part = Math.min(data.length - i, 1 + rnd.nextInt(20_000));
            if (rnd.nextBoolean()) {
                for (int k = 0; k < part; k++) {
                    data[i + k] = (byte) rnd.nextInt(256);
                }
            } else {
                byte[] w = ("segment-" + rnd.nextInt(40) + " ").getBytes(StandardCharsets.US_ASCII);
                for (int k = 0; k < part; k++) {
                    data[i + k] = w[k % w.length];
                }
            }
            i += part;
        }
        try (KcpListener l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), o);
             KcpSession c = Kcps.dial(l.localAddress(), o);
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            c.setReadTimeout(Duration.ofSeconds(30));
            SnappyChannel client = SnappyChannel.over(c);
            Future<?> writer = ex.submit(() -> {
                SplittableRandom sizes = new SplittableRandom(22);
                for (int at = 0; at < data.length; ) {
                    int n = Math.min(data.length - at, 1 + sizes.nextInt(70_000));
                    client.write(ByteBuffer.wrap(data, at, n));
                    at += n;
                }
                return null;
            });
            ex.submit(() -> {
                try (SnappyChannel server = SnappyChannel.over(l.accept())) {
                    ByteBuffer buf = ByteBuffer.allocate(65536);
                    while (server.read(buf.clear()) >= 0) {
                        server.write(buf.flip());
                    }
                }
                return null;
            });
            byte[] got = new byte[data.length];
            ByteBuffer dst = ByteBuffer.wrap(got);
            while (dst.hasRemaining()) {
                client.read(dst);
            }
            writer.get(30, TimeUnit.SECONDS);
            assertArrayEquals(data, got);
            long wire = c.stats().snapshot().bytesSent();
            assertTrue(wire < data.length * 0.8, "compressed " + data.length + " to " + wire + " bytes on the wire");
            l.close();
        }
    }
}
