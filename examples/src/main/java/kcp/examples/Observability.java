package kcp.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import kcp.net.KcpListener;
import kcp.net.KcpSession;
import kcp.net.Kcps;
import kcp.net.NetStats;
import kcp.net.NetStatsSnapshot;
import kcp.net.SessionOptions;
import kcp.net.SnmpField;

/**
 * What a running session tells you: RTT estimates, the send backlog, kcp-go's SNMP counters per session and
 * per process, and the same counters as JMX MBeans (visible in JConsole or VisualVM under {@code kcp.net}).
 * Runs a client and a server in one process on loopback, echoes some data, then prints it all.
 *
 * <pre>{@code java -p <jars> -m kcp.examples/kcp.examples.Observability}</pre>
 */
public final class Observability {
    private static final List<SnmpField> SHOWN = List.of(SnmpField.BYTES_SENT, SnmpField.BYTES_RECEIVED,
            SnmpField.OUT_PKTS, SnmpField.IN_PKTS, SnmpField.RETRANS_SEGS, SnmpField.FEC_PARITY_SHARDS);

    private Observability() {
    }

    /**
     * Echoes {@code bytes} bytes between a client and a server in this process, then prints the client
     * session's figures, its counters read directly and through JMX, and the process-wide counters.
     *
     * @param bytes how many bytes to echo
     * @param out   where the report goes
     * @throws IOException if the echo fails
     */
    public static void run(int bytes, PrintStream out) throws IOException {
        SessionOptions options = EchoServer.options().idleTimeout(Duration.ofSeconds(30)).build();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (KcpListener listener = Kcps.listen(any, options);
             KcpSession client = Kcps.dial(listener.localAddress(), options)) {
            client.setReadTimeout(Duration.ofSeconds(10));
            client.write(new byte[] {1}); // the listener creates a session on the first datagram
            try (KcpSession served = listener.accept(Duration.ofSeconds(10))) {
                echo(client, served, bytes);
                report(client, out);
            }
        }
    }

    private static void echo(KcpSession client, KcpSession served, int bytes) throws IOException {
        served.setReadTimeout(Duration.ofSeconds(10));
        byte[] buf = new byte[8192];
        int n = served.read(buf); // the first byte
        served.write(buf, 0, n);
        client.inputStream().readNBytes(n);
        for (int done = 0; done < bytes; done += buf.length) {
            client.write(buf);
            byte[] back = new byte[buf.length];
            int got = 0;
            while (got < back.length) {
                int r = served.read(back, got, back.length - got);
                got += r;
            }
            served.write(back);
            client.inputStream().readNBytes(back.length);
        }
    }

    private static void report(KcpSession client, PrintStream out) {
        out.println("session " + Integer.toUnsignedString(client.conv()) + " " + client.localAddress() + " -> "
                + client.remoteAddress());
        out.println("srtt " + client.srtt() + " ms, rttvar " + client.srttVar() + " ms, rto " + client.rto()
                + " ms, waitSnd " + client.waitSnd() + " segments");

        NetStatsSnapshot session = client.stats().snapshot();
        ObjectName sessionName = client.registerMBean();      // unregistered by close()
        ObjectName globalName = NetStats.registerGlobalMBean(); // idempotent; or -Dkcp.net.jmx=true
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        NetStatsSnapshot global = NetStats.global().snapshot();
        for (SnmpField f : SHOWN) {
            Object viaJmx;
            try {
                viaJmx = jmx.getAttribute(sessionName, f.label());
            } catch (JMException e) {
                throw new IllegalStateException("JMX read of " + f.label() + " failed", e);
            }
            out.printf("%-16s session %10d  jmx %10s  process %10d%n", f.label(), session.get(f), viaJmx,
                    global.get(f));
        }
        out.println("jmx names: " + sessionName + ", " + globalName);
    }

    /**
     * Runs the report on a 1 MiB echo.
     *
     * @param args ignored
     * @throws Exception if the echo or JMX fails
     */
    public static void main(String[] args) throws Exception {
        run(1 << 20, System.out);
    }
}
