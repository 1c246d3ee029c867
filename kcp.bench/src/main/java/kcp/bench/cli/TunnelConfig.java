package kcp.bench.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import kcp.net.SessionOptions;
import kcp.smux.SmuxConfig;

/**
 * The settings of {@code tunnel-client} or {@code tunnel-server}, read as kcptun 20210922 reads them: flags with
 * kcptun's names and defaults (the KCP ones through {@link CliConfig#kcptunFlags}), then, with {@code -c FILE},
 * kcptun's JSON config file, whose keys override the command line. The mode presets and kcptun's key derivation
 * come from {@link CliConfig#sessionOptions}; stream mode is always on and write delay off, as kcptun sets them.
 *
 * <p>Immutable.
 *
 * @param client      true for {@code tunnel-client}
 * @param options     KCP session options
 * @param local       client: TCP address to listen on ({@code --localaddr}); server: UDP address ({@code --listen})
 * @param remote      client: the KCP server ({@code --remoteaddr}); null for the server
 * @param target      server: {@code HOST:PORT} or a unix socket path ({@code --target}); null for the client
 * @param conn        client: KCP sessions that streams are spread over, round robin ({@code --conn})
 * @param autoExpire  client: a session takes no new streams after this, 0 = never ({@code --autoexpire})
 * @param scavengeTtl client: an expired session is closed this long after it expired ({@code --scavengettl})
 * @param compress    snappy stream compression ({@code --nocomp} off)
 * @param smux        smux version, buffers and keepalive ({@code --smuxver --smuxbuf --streambuf --keepalive})
 * @param quiet       no "stream opened/closed" log lines ({@code --quiet})
 * @param log         log file (appended to), empty = stderr ({@code --log})
 * @param snmpLog     SNMP CSV file, a Go time layout in its name is expanded, empty = off ({@code --snmplog})
 * @param snmpPeriod  seconds between SNMP CSV lines ({@code --snmpperiod})
 * @param ignoredKeys keys of the {@code -c} file that kcptun's decoder would ignore too (logged at start)
 */
record TunnelConfig(boolean client, SessionOptions options, InetSocketAddress local, InetSocketAddress remote,
        String target, int conn, Duration autoExpire, Duration scavengeTtl, boolean compress, SmuxConfig smux,
        boolean quiet, String log, String snmpLog, Duration snmpPeriod, List<String> ignoredKeys) {

    /** kcptun reads its passphrase from this environment variable when {@code --key} is not given. */
    static final String KEY_ENV = "KCPTUN_KEY";

    /** Flags whose JSON value is a string; every other non-boolean flag takes a JSON integer. */
    private static final Set<String> STRING_KEYS = Set.of("localaddr", "remoteaddr", "listen", "target", "key",
            "crypt", "mode", "log", "snmplog");

    /**
     * Declares kcptun's client or server flags.
     *
     * @param client true for {@code tunnel-client}
     * @return the flag set
     */
    static FlagSet flags(boolean client) {
        FlagSet f;
        if (client) {
            f = new FlagSet("tunnel-client",
                    "kcptun-compatible tunnel client: accepts TCP connections on --localaddr and carries each as an\n"
                    + "smux stream over KCP to --remoteaddr (a kcptun-server or ./kcp tunnel-server). Same flags,\n"
                    + "defaults and -c JSON file as kcptun-client 20210922. Prints LISTEN HOST:PORT once bound and\n"
                    + "runs until SIGTERM.")
                    .value("localaddr", "HOST:PORT", ":12948", "local TCP listen address").alias("l", "localaddr")
                    .value("remoteaddr", "HOST:PORT", "vps:29900", "kcp server address").alias("r", "remoteaddr");
            CliConfig.kcptunFlags(f, 128, 512)
                    .value("conn", "N", "1", "KCP sessions to the server; new streams go round robin")
                    .value("autoexpire", "SECONDS", "0", "a session takes no new streams after this, 0 = never")
                    .value("scavengettl", "SECONDS", "600", "how long an expired session may live on");
        } else {
            f = new FlagSet("tunnel-server",
                    "kcptun-compatible tunnel server: accepts KCP sessions on --listen, and for every smux stream\n"
                    + "in them dials --target over TCP (or a unix socket path) and copies both ways. Same flags,\n"
                    + "defaults and -c JSON file as kcptun-server 20210922. Prints LISTEN HOST:PORT once bound and\n"
                    + "runs until SIGTERM.")
                    .value("listen", "HOST:PORT", ":29900", "KCP (UDP) listen address").alias("l", "listen")
                    .value("target", "HOST:PORT|PATH", "127.0.0.1:12948", "target TCP address or unix socket path")
                    .alias("t", "target");
            CliConfig.kcptunFlags(f, 1024, 1024);
        }
        f.bool("nocomp", false, "no snappy stream compression (must match the peer)")
                .value("smuxver", "1|2", "1", "smux protocol version (must match the peer)")
                .value("smuxbuf", "BYTES", "4194304", "smux session receive buffer")
                .value("streambuf", "BYTES", "2097152", "smux v2 per-stream receive window")
                .value("keepalive", "SECONDS", "10", "seconds between smux keepalives (timeout 30 s)")
                .value("snmplog", "FILE", "", "append KCP counters as CSV every --snmpperiod; Go time layout in"
                        + " the name is expanded (./snmp-20060102.log)")
                .value("snmpperiod", "SECONDS", "60", "SNMP CSV period")
                .value("log", "FILE", "", "append the log to FILE instead of stderr")
                .bool("quiet", false, "no 'stream opened/closed' log lines")
                .bool("tcp", false, "kcptun's raw TCP emulation: not supported, must stay false");
        if (!client) {
            f.bool("pprof", false, "Go's profiling server: not supported, must stay false");
        }
        return f.value("c", "FILE", "", "kcptun JSON config file; its keys override the command line");
    }

    /**
     * Reads the configuration from parsed flags, the {@code -c} file and {@code KCPTUN_KEY}.
     *
     * @param f      parsed {@link #flags} (the {@code -c} file's values are set into it)
     * @param client true for the client
     * @param env    the environment ({@code KCPTUN_KEY})
     * @throws UsageException naming the bad flag, key or file
     */
    static TunnelConfig from(FlagSet f, boolean client, Map<String, String> env) throws UsageException {
        if (!f.isSet("key") && env.get(KEY_ENV) != null) {
            f.set("key", env.get(KEY_ENV));
        }
        List<String> ignored = f.string("c").isEmpty() ? List.of() : applyJsonFile(f, Path.of(f.string("c")));
        if (f.bool("tcp")) {
            throw new UsageException("flag --tcp (kcptun's raw TCP emulation) is not supported by kcp-java");
        }
        if (!client && f.bool("pprof")) {
            throw new UsageException("flag --pprof (Go's profiler) is not supported by kcp-java; use JFR");
        }
        SessionOptions options;
        try {
            // kcptun: SetStreamMode(true), SetWriteDelay(false) on every session
            options = CliConfig.sessionOptions(f).streamMode(true).writeDelay(false).acceptBacklog(1024).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        SmuxConfig smux = smuxConfig(f);
        boolean compress = !f.bool("nocomp");
        boolean quiet = f.bool("quiet");
        String log = f.string("log");
        String snmpLog = f.string("snmplog");
        Duration snmpPeriod = Duration.ofSeconds(f.integer("snmpperiod", 0, 365 * 86400));
        if (client) {
            InetSocketAddress local = CliConfig.parseAddress("--localaddr", f.string("localaddr"));
            InetSocketAddress remote = CliConfig.parseAddress("--remoteaddr", f.string("remoteaddr"));
            if (remote.getPort() == 0) {
                throw new UsageException("flag --remoteaddr needs a port other than 0: '" + f.string("remoteaddr")
                        + "'");
            }
            int conn = f.integer("conn", 1, 65535);
            Duration autoExpire = Duration.ofSeconds(f.integer("autoexpire", 0, Integer.MAX_VALUE));
            Duration ttl = Duration.ofSeconds(f.integer("scavengettl", 0, Integer.MAX_VALUE));
            return new TunnelConfig(true, options, local, remote, null, conn, autoExpire, ttl, compress, smux, quiet,
                    log, snmpLog, snmpPeriod, ignored);
        }
        InetSocketAddress listen = CliConfig.parseAddress("--listen", f.string("listen"));
        String target = f.string("target");
        if (isHostPort(target)) {
            CliConfig.parseAddress("--target", target);
        } else if (target.isEmpty()) {
            throw new UsageException("flag --target needs HOST:PORT or a unix socket path");
        }
        return new TunnelConfig(false, options, listen, null, target, 1, Duration.ZERO, Duration.ZERO, compress, smux,
                quiet, log, snmpLog, snmpPeriod, ignored);
    }

    /**
     * As kcptun decides it with Go's {@code net.SplitHostPort}: a target with a port after its last colon
     * (and no unbracketed colon before it) is a TCP address, anything else a unix socket path.
     */
    static boolean isHostPort(String target) {
        int colon = target.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                return false;
            }
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            return false;
        }
        return true;
    }

    /** kcptun's smux settings: {@code smux.DefaultConfig()} with version, buffers and keepalive from the flags. */
    private static SmuxConfig smuxConfig(FlagSet f) throws UsageException {
        int version = f.integer("smuxver", 1, 2);
        int smuxbuf = f.integer("smuxbuf", 1, Integer.MAX_VALUE);
        int streambuf = f.integer("streambuf", 1, Integer.MAX_VALUE);
        SmuxConfig d = SmuxConfig.defaults();
        int keepAlive = f.integer("keepalive", 1, (int) d.keepAliveTimeout().toSeconds());
        if (streambuf > smuxbuf) {
            throw new UsageException("flag --streambuf (" + streambuf + ") must not be larger than --smuxbuf ("
                    + smuxbuf + ")");
        }
        try {
            return d.withVersion(version).withBuffers(smuxbuf, streambuf)
                    .withKeepAlive(Duration.ofSeconds(keepAlive), d.keepAliveTimeout());
        } catch (IllegalArgumentException e) {
            throw new UsageException("smux settings: " + e.getMessage());
        }
    }

    /**
     * Applies a kcptun JSON config file to the flags, as Go's {@code json.Decoder} fills kcptun's {@code Config}
     * (keys matched case-insensitively, {@code null} leaves a value alone, unknown keys are ignored), but
     * strictly typed: a string key needs a JSON string, a bool key true or false, the rest an integer.
     *
     * @return the keys that were ignored
     * @throws UsageException if the file cannot be read, is not JSON, or a value has the wrong type
     */
    static List<String> applyJsonFile(FlagSet f, Path file) throws UsageException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new UsageException("flag -c: cannot read " + file + ": " + e.getMessage());
        }
        Object doc;
        try {
            doc = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("flag -c: " + file + " is not valid JSON: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new UsageException("flag -c: " + file + " must hold a JSON object");
        }
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            String name = key.toLowerCase(Locale.ROOT);
            if (name.equals("c") || !f.declares(name)) {
                ignored.add(key);
                continue;
            }
            Object v = e.getValue();
            if (v == Json.NULL) {
                continue;
            }
            String where = "flag -c: " + file + ": key \"" + key + "\" ";
            if (f.isBool(name)) {
                if (!(v instanceof Boolean b)) {
                    throw new UsageException(where + "needs true or false, not " + describe(v));
                }
                f.set(name, b.toString());
            } else if (STRING_KEYS.contains(name)) {
                if (!(v instanceof String s)) {
                    throw new UsageException(where + "needs a string, not " + describe(v));
                }
                f.set(name, s);
            } else {
                if (!(v instanceof BigDecimal n)) {
                    throw new UsageException(where + "needs an integer, not " + describe(v));
                }
                try {
                    f.set(name, Long.toString(n.longValueExact()));
                } catch (ArithmeticException x) {
                    throw new UsageException(where + "needs an integer, not " + n);
                }
            }
        }
        return List.copyOf(ignored);
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v.toString();
    }
}
