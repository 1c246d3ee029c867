package kcp.bench.smux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.ArrayList;
import java.util.List;

import kcp.smux.SmuxConfig;
import kcp.smux.SmuxSession;
import kcp.smux.SmuxStream;

/**
 * Measures the heap one idle smux stream costs: opens N streams on a client session and accepts them on the
 * server session (over the in-memory pipe), once without traffic and once after each stream carried a few
 * bytes both ways and was read empty, and prints heap bytes per stream for each side (used heap after full
 * GCs, before and after, divided by N). Not a JMH benchmark: a memory measurement.
 *
 * <pre>
 * java -cp kcp.bench/target/classes:$(cat kcp.bench/target/jmh.classpath) \
 *     kcp.bench.smux.IdleStreamMemory 20000
 * </pre>
 */
public final class IdleStreamMemory {
    private IdleStreamMemory() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the number of streams (default 20000)
     * @throws IOException if a session fails
     */
    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        for (boolean traffic : new boolean[] {false, true}) {
            ByteChannel[] pipe = SpscPipe.pair(1 << 20);
            SmuxConfig cfg = SmuxConfig.defaults().withKeepAliveDisabled(true);
            SmuxSession client = SmuxSession.client(pipe[0], cfg);
            SmuxSession server = SmuxSession.server(pipe[1], cfg);
            List<SmuxStream> keep = new ArrayList<>(2 * n);
            long before = usedAfterGc();
            ByteBuffer b = ByteBuffer.allocate(64);
            for (int i = 0; i < n; i++) {
                SmuxStream c = client.openStream();
                SmuxStream s = server.acceptStream();
                if (traffic) {
                    c.write(b.clear().limit(16));
                    s.read(b.clear());
                    s.write(b.flip());
                    c.read(b.clear());
                }
                keep.add(c);
                keep.add(s);
            }
            long after = usedAfterGc();
            System.out.printf("%s: %d streams per side, %.0f heap bytes per idle stream per side (client + server"
                    + " together %.0f)%n", traffic ? "after 16 bytes each way, read empty" : "never used", n,
                    (after - before) / 2.0 / n, (after - before) / (double) n);
            if (keep.size() != 2 * n) {
                throw new AssertionError();
            }
            client.close();
            server.close();
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
