package kcp.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;

/**
 * Manual measurement tool (not a test): echo round-trip latency and bulk echo time between a kcp.net client
 * and a kcp.net listener in one JVM, with the receive loops on platform or virtual threads; or against a
 * remote echo server (e.g. {@code interop/go/bin/kcpgo echo-server --crypt null --datashard 0 --parityshard 0
 * --mode fast3 --mtu 1400 --stream false}). Options match: fast3, 1024/1024 windows, no crypto, no FEC, message mode.
 *
 * <pre>
 * java -cp &lt;kcp.net classes, test-classes, kcp.core, kcp.crypto, kcp.fec, bcprov&gt; kcp.net.EchoProbe \
 *     pingpong|bulk platform|virtual [count-or-bytes] [host:port]
 * </pre>
 */
public final class EchoProbe {
    private EchoProbe() {
    }

    /** @param args see the class javadoc */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        ReceiveThreadKind kind = ReceiveThreadKind.valueOf(args[1].toUpperCase());
        long amount = args.length > 2 ? Long.parseLong(args[2]) : (mode.equals("pingpong") ? 20_000 : 16 << 20);
        SessionOptions o = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(1024, 1024)
                .receiveThread(kind).build();
        KcpListener l = null;
        InetSocketAddress target;
        if (args.length > 3) {
            String[] hp = args[3].split(":");
            target = new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
        } else {
            l = Kcps.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), o);
            SessionIT.echoServer(l);
            target = l.localAddress();
        }
        try (KcpSession c = Kcps.dial(target, o)) {
            if (mode.equals("pingpong")) {
                pingPong(c, (int) amount, 64);
                pingPong(c, (int) amount, 64);
            } else {
                for (int i = 0; i < 3; i++) {
                    byte[] data = new byte[(int) amount];
                    new Random(i).nextBytes(data);
                    long t0 = System.nanoTime();
                    byte[] got = SessionIT.roundTrip(c, data, 64 * 1024);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    System.out.printf("RESULT kind=%s bulk bytes=%d millis=%d ok=%b%n", kind, amount, ms,
                            Arrays.equals(data, got));
                }
            }
        } finally {
            if (l != null) {
                l.close();
            }
        }
    }

    private static void pingPong(KcpSession c, int n, int size) throws IOException {
        byte[] msg = new byte[size];
        byte[] got = new byte[size];
        long[] rtt = new long[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            msg[0] = (byte) i;
            long t0 = System.nanoTime();
            c.write(msg, 0, size);
            int off = 0;
            while (off < size) {
                off += c.read(got, off, size - off);
            }
            rtt[i] = System.nanoTime() - t0;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        Arrays.sort(rtt);
        System.out.printf("RESULT kind=%s roundtrips=%d p50us=%d p99us=%d perSec=%.0f%n",
                c.options().receiveThread(), n, rtt[n / 2] / 1000, rtt[n * 99 / 100] / 1000, n / secs);
    }
}
