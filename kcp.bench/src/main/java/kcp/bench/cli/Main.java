package kcp.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code ./kcp} command line: {@code speed}, {@code echo-server}, {@code echo-client},
 * {@code sink-server}, {@code sink-client}, with kcptun-style flags (see {@link CliConfig}), and
 * {@code tunnel-client}, {@code tunnel-server}: a TCP tunnel that interoperates with kcptun (see {@link TunnelConfig}).
 * Exit status: 0 success, 1 failure (a byte differed, timeout, I/O error), 2 bad command line.
 *
 * <p>Each call of {@link #run} is independent; the servers' shutdown hook exists only under {@link #main}.
 */
public final class Main {
    static final String COMMANDS = """
            usage: ./kcp <command> [flags]      (./kcp <command> --help for its flags)

            commands:
              speed         loopback echo of 16 MiB in one process (aes, FEC 10/3, fast): MB/s, RTT, counters
              echo-server   echo every byte of every session (--listen HOST:PORT)
              echo-client   write a seeded stream, check the echo byte by byte (--remote HOST:PORT)
              sink-server   count what sessions send, answer each transfer with the count
              sink-client   one-way transfer to a sink server, timed until the server confirms
              tunnel-client kcptun-compatible TCP-over-KCP tunnel client (kcptun-client's flags and -c JSON)
              tunnel-server kcptun-compatible tunnel server: dials --target for every stream (kcptun-server's flags)
            """;

    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command and its flags
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, true));
    }

    /** Runs without installing a shutdown hook; for tests. @return the exit status */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    private static int run(String[] args, PrintStream out, PrintStream err, boolean hooks) {
        if (args.length == 0) {
            err.print(COMMANDS);
            return 2;
        }
        String command = args[0];
        if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
            out.print(COMMANDS);
            return 0;
        }
        FlagSet flags = flagsFor(command);
        if (flags == null) {
            err.println("kcp: unknown command '" + command + "' (commands: speed, echo-server, echo-client, "
                    + "sink-server, sink-client, tunnel-client, tunnel-server)");
            return 2;
        }
        try {
            flags.parse(args, 1);
            return dispatch(command, flags, out, err, hooks);
        } catch (HelpRequested h) {
            out.print(flags.usage());
            return 0;
        } catch (UsageException e) {
            err.println("kcp " + command + ": " + e.getMessage() + " (see ./kcp " + command + " --help)");
            return 2;
        } catch (IOException e) {
            err.println("kcp " + command + ": " + ClientRunner.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("kcp " + command + ": interrupted");
            return 1;
        }
    }

    /** @return the flags of {@code command}, or null if there is no such command */
    static FlagSet flagsFor(String command) {
        return switch (command) {
            case "speed" -> Speed.flags();
            case "echo-server" -> CliConfig.sessionFlags(new FlagSet(command,
                    "Echoes every byte of every session back to its sender. Prints LISTEN HOST:PORT once bound,\n"
                    + "and RESULT sessions=N echoed=B plus the counters when it stops (timeout or SIGTERM)."), 0)
                    .value("listen", "HOST:PORT", "0.0.0.0:29900", "UDP address to serve (port 0 = any)")
                    .value("idle-timeout", "SECONDS", "30", "close a session that receives nothing this long"
                            + " (KCP has no FIN: how finished clients are found; 0 = never)");
            case "sink-server" -> CliConfig.sessionFlags(new FlagSet(command,
                    "Reads sink transfers (8-byte big-endian length, then the payload) and answers each with the\n"
                    + "8-byte count received; prints SINK conv=C bytes=N elapsed_ms=T MBps=R per transfer and\n"
                    + "RESULT sessions=N received=B plus the counters when it stops."), 0)
                    .value("listen", "HOST:PORT", "0.0.0.0:29900", "UDP address to serve (port 0 = any)")
                    .value("idle-timeout", "SECONDS", "30", "close a session that receives nothing this long"
                            + " (KCP has no FIN: how finished clients are found; 0 = never)");
            case "echo-client" -> CliConfig.clientFlags(CliConfig.sessionFlags(new FlagSet(command,
                    "Each session writes --bytes of a seeded pseudo-random stream while a second thread reads the\n"
                    + "echo and checks every byte (virtual threads with --threads virtual or beyond 16 sessions).\n"
                    + "Prints RESULT ok|FAIL sessions=K bytes=N elapsed_ms=T MBps=R (bytes = all sessions) then the\n"
                    + "counters; exits 0 only if every byte came back."), 60),
                    true).bool("pingpong", false, "latency mode: one --chunk at a time, report rtt_us_p50/p99");
            case "sink-client" -> CliConfig.clientFlags(CliConfig.sessionFlags(new FlagSet(command,
                    "Each session sends an 8-byte length and --bytes of payload to a sink server and waits for its\n"
                    + "count. Prints RESULT ok|FAIL sessions=K bytes=N elapsed_ms=T MBps=R then the counters."), 60),
                    true);
            case "tunnel-client" -> TunnelConfig.flags(true);
            case "tunnel-server" -> TunnelConfig.flags(false);
            default -> null;
        };
    }

    private static int dispatch(String command, FlagSet flags, PrintStream out, PrintStream err, boolean hooks)
            throws UsageException, IOException, InterruptedException {
        switch (command) {
            case "speed":
                return Speed.run(CliConfig.from(flags, null, true), out, err);
            case "echo-server", "sink-server": {
                Server server = new Server(CliConfig.from(flags, "listen", false), out, command.startsWith("sink"));
                if (hooks) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(3000), "kcp-shutdown"));
                }
                return server.run();
            }
            case "echo-client":
                return echoClient(CliConfig.from(flags, "remote", true), out, err);
            case "sink-client": {
                CliConfig c = CliConfig.from(flags, "remote", true);
                return new ClientRunner(c, out, err, "sent").runAndReport(
                        (s, i, p) -> ClientJobs.sink(s, c.bytes(), c.chunk(), c.seed() + i, p), () -> "");
            }
            case "tunnel-client", "tunnel-server":
                return tunnel(TunnelConfig.from(flags, command.equals("tunnel-client"), System.getenv()), out, err,
                        hooks);
            default:
                throw new UsageException("unknown command " + command);
        }
    }

    private static int tunnel(TunnelConfig c, PrintStream out, PrintStream err, boolean hooks)
            throws IOException, InterruptedException {
        try (TunnelLog log = TunnelLog.open(c.log(), err, c.quiet())) {
            if (c.client()) {
                TunnelClient client = new TunnelClient(c, out, log);
                if (hooks) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(client::stop), "kcp-shutdown"));
                }
                return client.run();
            }
            TunnelServer server = new TunnelServer(c, out, log);
            if (hooks) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server::stop), "kcp-shutdown"));
            }
            return server.run();
        }
    }

    /** A tunnel's {@code stop(waitMs)}. */
    private interface Stoppable {
        void stop(long waitMs) throws InterruptedException;
    }

    private static void stopQuietly(Stoppable s) {
        try {
            s.stop(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int echoClient(CliConfig c, PrintStream out, PrintStream err) throws InterruptedException {
        ClientRunner runner = new ClientRunner(c, out, err, "echoed");
        if (!c.pingPong()) {
            return runner.runAndReport((s, i, p) -> ClientJobs.echoStream(s, c.bytes(), c.chunk(), c.seed() + i, p),
                    () -> "");
        }
        long rounds = (c.bytes() + c.chunk() - 1) / c.chunk();
        if (rounds > 10_000_000) {
            err.println("kcp echo-client: --pingpong needs --bytes / --chunk <= 10000000 rounds: " + rounds);
            return 2;
        }
        long[][] rtts = new long[c.sessions()][(int) rounds];
        return runner.runAndReport((s, i, p) -> ClientJobs.pingPong(s, c.bytes(), c.chunk(), c.seed() + i, p, rtts[i]),
                () -> latency(rtts));
    }

    /** @return {@code rtt_us_p50=.. rtt_us_p99=.. rtt_us_mean=..} over every round of every session */
    static String latency(long[][] rtts) {
        long[] sorted = Arrays.stream(rtts).flatMapToLong(Arrays::stream).sorted().toArray();
        long sum = Arrays.stream(sorted).sum();
        if (sorted.length == 0) {
            return "";
        }
        return "rtt_us_p50=" + Report.fmt2(sorted[sorted.length / 2] / 1e3) + " rtt_us_p99="
                + Report.fmt2(sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e3)
                + " rtt_us_mean=" + Report.fmt2(sum / 1e3 / sorted.length);
    }
}
