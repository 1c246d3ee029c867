package kcp.bench.smux;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import kcp.smux.SnappyChannel;

/**
 * The Java half of {@code bench/snappy-vs-go.sh}: the loops of {@code interop/go/bin/snappyvec bench} on the same
 * payloads, timed by this thread's CPU time rather than the wall clock so that other load on a shared machine
 * matters less. compress = one {@link SnappyChannel} write (golang/snappy Write + Flush); decompress = reading the
 * payload back from its framed chunk, served over and over. Prints {@code java compress text 1400 123.4 MB/s}
 * lines, the format snappyvec prints. Usage: {@code SnappyCpuRace [SECS]} (default 1 second per case, after a
 * warm-up of the same length).
 */
public final class SnappyCpuRace {
    private SnappyCpuRace() {
    }

    /**
     * Runs every case once and prints its MB/s.
     *
     * @param args optional seconds of CPU time per case
     * @throws IOException never in practice (in-memory channels)
     */
    public static void main(String[] args) throws IOException {
        double secs = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        long budget = (long) (secs * 1e9);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String kind : new String[] {"text", "random"}) {
            for (int size : new int[] {1400, 16384, 65536}) {
                SnappyBench b = new SnappyBench();
                b.kind = kind;
                b.size = size;
                b.setup();
                for (int pass = 0; pass < 2; pass++) {
                    boolean report = pass == 1;
                    long ops = 0;
                    long start = mx.getCurrentThreadCpuTime();
                    long el;
                    while ((el = mx.getCurrentThreadCpuTime() - start) < budget) {
                        for (int i = 0; i < 64; i++) {
                            b.compress();
                        }
                        ops += 64;
                    }
                    if (report) {
                        double mbps = ops * (double) size / el * 1e3;
                        System.out.printf("java compress %s %d %.1f MB/s%n", kind, size, mbps);
                    }
                    ops = 0;
                    start = mx.getCurrentThreadCpuTime();
                    while ((el = mx.getCurrentThreadCpuTime() - start) < budget) {
                        for (int i = 0; i < 64; i++) {
                            b.decompress();
                        }
                        ops += 64;
                    }
                    if (report) {
                        System.out.printf("java decompress %s %d %.1f MB/s%n", kind, size,
                                ops * (double) size / el * 1e3);
                    }
                }
            }
        }
    }
}
