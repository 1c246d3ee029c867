package kcp.bench.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import kcp.net.NetStats;
import kcp.net.NetStatsSnapshot;
import kcp.net.SessionOptions;

/**
 * {@code ./kcp speed}: an echo server and one client session in this process over loopback, the modern form
 * of kcp-go's historical {@code TestSpeed}: 16 MiB echoed with AES and FEC 10/3 in fast mode by default,
 * with a live progress line, then elapsed time, MB/s, RTT/RTO and both sides' SNMP counters as a table.
 *
 * <p>One run per call; not thread-safe.
 */
final class Speed {
    private Speed() {
    }

    /** @return the flags of {@code speed} (session flags, {@code --bytes --chunk --seed --quiet}) */
    static FlagSet flags() {
        FlagSet f = CliConfig.sessionFlags(new FlagSet("speed",
                "Echoes --bytes through an in-process server and client on 127.0.0.1 (--sessions, default 1)\n"
                + "and prints elapsed time, MB/s, RTT/RTO and the SNMP counters of both sides. Exits 0 only if every\n"
                + "byte came back intact."), 120);
        return f.value("bytes", "N", "16M", "bytes to echo (K/M/G suffixes = x1024)")
                .value("chunk", "N", "4096", "bytes per write")
                .value("seed", "N", "1", "seed of the pseudo-random payload")
                .bool("quiet", false, "no live progress line")
                .value("sessions", "K", "1", "concurrent sessions");
    }

    /** Runs the speed test. @return 0 if every byte came back intact, 1 otherwise */
    static int run(CliConfig c, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        CliConfig serverConfig = new CliConfig(c.options(), new InetSocketAddress("127.0.0.1", 0), c.timeout(),
                0, 0, 1, 0, false, java.time.Duration.ZERO, true, c.threads());
        Server server = new Server(serverConfig, new PrintStream(OutputStream.nullOutputStream()), false);
        InetSocketAddress address = server.start();
        out.println("kcp speed: " + describe(c) + ", " + c.sessions() + " session(s) to " + address.getAddress()
                .getHostAddress() + ":" + address.getPort());
        CliConfig client = new CliConfig(c.options(), address, c.timeout(), c.bytes(), c.chunk(), c.sessions(),
                c.seed(), false, java.time.Duration.ZERO, c.quiet(), c.threads());
        ClientRunner.Outcome o = new ClientRunner(client, out, err, "echoed")
                .run((s, i, p) -> ClientJobs.echoStream(s, c.bytes(), c.chunk(), c.seed() + i, p));
        NetStats firstServed = server.firstSessionStats();
        NetStatsSnapshot serverStats = firstServed == null ? null : firstServed.snapshot();
        server.stop(0);
        server.closeAndReport();
        long ms = TimeUnit.NANOSECONDS.toMillis(o.elapsedNanos());
        String rate = Report.fmt2(Report.mbps(o.bytes(), o.elapsedNanos()));
        out.printf(Locale.ROOT, "%nelapsed     %d ms%n", ms);
        out.printf(Locale.ROOT, "throughput  %s MB/s echoed (%s MiB sent and received back)%n", rate,
                Report.fmt2(o.bytes() / 1048576.0));
        out.printf(Locale.ROOT, "rtt         srtt %d ms, rttvar %d ms, rto %d ms (session 1)%n%n", o.srttMs(),
                o.rttVarMs(), o.rtoMs());
        if (o.first() != null && serverStats != null) {
            Report.counters(out, List.of("client", "server"), List.of(o.first(), serverStats));
        }
        out.println("RESULT " + (o.ok() ? "ok" : "FAIL") + " sessions=" + c.sessions() + " bytes=" + o.bytes()
                + " elapsed_ms=" + ms + " MBps=" + rate);
        if (!o.ok()) {
            err.println("kcp speed: " + o.failure());
            return 1;
        }
        return 0;
    }

    /** @return e.g. {@code "16.0 MiB, crypt aes, FEC 10/3, nodelay 0 interval 30 resend 2 nc 1, mtu 1350"} */
    static String describe(CliConfig c) {
        SessionOptions o = c.options();
        return String.format(Locale.ROOT, "%.1f MiB, crypt %s, FEC %s, nodelay %d interval %d resend %d nc %d, "
                        + "mtu %d, wnd %d/%d, stream %b", c.bytes() / 1048576.0,
                o.cryptoEnabled() ? o.cipherName() : "null",
                o.fecEnabled() ? o.fecDataShards() + "/" + o.fecParityShards() : "off", o.noDelay() ? 1 : 0,
                o.intervalMs(), o.fastResend(), o.noCongestionControl() ? 1 : 0, o.mtu(), o.sndWnd(), o.rcvWnd(),
                o.streamMode());
    }
}
