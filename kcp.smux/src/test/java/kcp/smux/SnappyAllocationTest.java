package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Steady-state compress + frame + write and read + verify + decompress allocate nothing per chunk (JMH
 * {@code -prof gc} in kcp.bench is the real measurement; this guards against regressions). Reads
 * com.sun.management.ThreadMXBean reflectively, as kcp.crypto's AllocationTest does.
 */
class SnappyAllocationTest {
    @Test
    void shouldNotAllocatePerChunkInSteadyState() throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        Loop loop = new Loop();
        SnappyChannel c = SnappyChannel.over(loop);
        SplittableRandom rnd = new SplittableRandom(8);
        byte[] random = new byte[16384];
        rnd.nextBytes(random);
        byte[] text = "segment ack window probe ".repeat(700).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer[] payloads = {ByteBuffer.wrap(random), ByteBuffer.wrap(text, 0, 1400), ByteBuffer.wrap(text)};
        ByteBuffer dst = ByteBuffer.allocate(70_000);
        for (int i = 0; i < 20_000; i++) {
            roundTrip(c, payloads[i % 3], dst);
        }
        long before = (long) allocated.invoke(mx);
        for (int i = 0; i < 10_000; i++) {
            roundTrip(c, payloads[i % 3], dst);
        }
        long bytes = (long) allocated.invoke(mx) - before;
        assertTrue(bytes < 16_384, bytes + " bytes allocated over 10000 write+read round trips");
    }

    private static void roundTrip(SnappyChannel c, ByteBuffer payload, ByteBuffer dst) throws Exception {
        payload.rewind();
        int n = payload.remaining();
        c.write(payload);
        dst.clear();
        while (dst.position() < n) {
            c.read(dst);
        }
        assertEquals(n, dst.position());
    }

    /** What is written is read back; a fixed array, no allocation. */
    private static final class Loop implements ByteChannel {
        private final byte[] buf = new byte[1 << 18];
        private int r;
        private int w;

        @Override
        public int read(ByteBuffer dst) {
            int n = Math.min(dst.remaining(), w - r);
            dst.put(buf, r, n);
            r += n;
            if (r == w) {
                r = 0;
                w = 0;
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.get(buf, w, n);
            w += n;
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
}
