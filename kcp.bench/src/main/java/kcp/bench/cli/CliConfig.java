package kcp.bench.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import kcp.crypto.Ciphers;
import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
import kcp.net.KcpMode;
import kcp.net.ReceiveThreadKind;
import kcp.net.Limits;
import kcp.net.SessionOptions;

/**
 * A parsed command line: the {@link SessionOptions} built from kcptun-style flags plus what the
 * subcommand itself needs (address, timeout, transfer size). Flags are declared here so every subcommand
 * spells and documents them the same way.
 *
 * <p>Immutable. Units: bytes, seconds on the command line, {@link Duration} here.
 *
 * @param options  every session knob, crypto and FEC
 * @param address  {@code --listen} for servers, {@code --remote} for clients, null for {@code speed}
 * @param timeout  {@code --timeout}; {@link Duration#ZERO} = none
 * @param bytes    client bytes per session ({@code --bytes})
 * @param chunk    client bytes per write ({@code --chunk})
 * @param sessions concurrent client sessions ({@code --sessions})
 * @param seed     seed of the client's pseudo-random payload ({@code --seed})
 * @param pingPong echo client: write one chunk, wait for its echo, repeat ({@code --pingpong})
 * @param hold     client: keep the sessions open (idle) this long after the transfer ({@code --hold})
 * @param quiet    no live progress line ({@code --quiet})
 * @param threads  {@code --threads}: "auto", "platform" or "virtual"
 */
record CliConfig(SessionOptions options, InetSocketAddress address, Duration timeout, long bytes, int chunk,
        int sessions, long seed, boolean pingPong, Duration hold, boolean quiet, String threads) {

    /** With {@code --threads auto}, up to this many sessions get platform threads, the rest virtual ones. */
    static final int AUTO_PLATFORM_SESSIONS = 16;

    /**
     * Starts {@code task} on a platform thread or a virtual one: {@code --threads platform|virtual}, or with
     * {@code auto} a platform thread while at most {@link #AUTO_PLATFORM_SESSIONS} sessions are busy (a parked
     * virtual thread takes tens of microseconds longer to wake, which ping-pong latency shows), virtual beyond.
     *
     * @param name        thread name
     * @param busySessions sessions served at the moment, this one included
     * @param task        the work
     * @return the started thread
     */
    Thread startThread(String name, long busySessions, Runnable task) {
        boolean platform = switch (threads) {
            case "platform" -> true;
            case "virtual" -> false;
            default -> busySessions <= AUTO_PLATFORM_SESSIONS;
        };
        return platform ? Thread.ofPlatform().daemon().name(name).start(task)
                : Thread.ofVirtual().name(name).start(task);
    }

    /** kcptun's default passphrase (sic: kcptun spells it "secrect"). */
    static final String DEFAULT_KEY = "it's a secrect";

    /** Every {@code --crypt} value: "null" (no crypto layer at all), then kcp-go's cipher names, then the AEADs. */
    static List<String> cryptNames() {
        List<String> names = new ArrayList<>();
        names.add("null");
        names.addAll(Ciphers.names());
        names.addAll(PacketSealer.aeadNames());
        return names;
    }

    /** Declares the session flags shared by every subcommand, with kcptun's names and bench-friendly defaults. */
    static FlagSet sessionFlags(FlagSet f, int defaultTimeoutSeconds) {
        return kcptunFlags(f, 1024, 1024)
                .value("stream", "true|false", "true", "KCP stream mode")
                .bool("compat561", false, "kcp-go 5.6.1 behaviour (fastack reset, no flush on fastack, no ACK"
                        + " clocking, parity for every FEC group); kcpgo always is 5.6.1")
                .value("timeout", "SECONDS", Integer.toString(defaultTimeoutSeconds),
                        "servers exit after it, clients fail after it; 0 = none")
                .value("threads", "auto|platform|virtual", "auto", "threads that serve sessions (auto: platform"
                        + " threads for up to " + AUTO_PLATFORM_SESSIONS + " busy sessions, virtual beyond)");
    }

    /**
     * Declares the KCP flags kcptun has, with kcptun's names, aliases and defaults ({@code --sndwnd} and
     * {@code --rcvwnd} differ between kcptun's client and server, so the caller gives them). Read them back
     * with {@link #sessionOptions}.
     *
     * @param f      the flag set to add to
     * @param sndwnd default of {@code --sndwnd}
     * @param rcvwnd default of {@code --rcvwnd}
     * @return {@code f}
     */
    static FlagSet kcptunFlags(FlagSet f, int sndwnd, int rcvwnd) {
        return f.value("crypt", "NAME", "aes", "cipher: " + String.join(", ", cryptNames())
                        + " (null = no crypto layer, none = nonce+CRC only)")
                .value("key", "PASS", DEFAULT_KEY, "passphrase; key = PBKDF2-HMAC-SHA1(PASS, \"kcp-go\", 4096, 32)"
                        + " sliced per cipher as kcptun does")
                .value("datashard", "N", "10", "FEC data shards (0 with --parityshard 0 = FEC off)")
                .alias("ds", "datashard")
                .value("parityshard", "N", "3", "FEC parity shards (0 = FEC off)")
                .alias("ps", "parityshard")
                .value("mode", "MODE", "fast", "normal|fast|fast2|fast3 (kcptun presets) or manual"
                        + " (then --nodelay --interval --resend --nc)")
                .value("nodelay", "0|1", "0", "manual mode: KCP nodelay (minimum RTO 30 ms instead of 100)")
                .value("interval", "MS", "50", "manual mode: KCP flush interval, 10..5000 ms")
                .value("resend", "N", "0", "manual mode: fast resend after N duplicate ACKs, 0 = off")
                .value("nc", "0|1", "0", "manual mode: 1 = no congestion control")
                .value("mtu", "BYTES", "1350", "datagram size limit, all headers included")
                .value("sndwnd", "PACKETS", Integer.toString(sndwnd), "send window")
                .value("rcvwnd", "PACKETS", Integer.toString(rcvwnd), "receive window")
                .value("dscp", "N", "0", "DSCP (6 bits) of outgoing datagrams, 0 = the OS default")
                .bool("acknodelay", false, "send ACKs immediately on every input")
                .value("sockbuf", "BYTES", "4194304", "UDP socket receive and send buffer, 0 = OS default");
    }

    /**
     * Builds the session options from the flags of {@link #kcptunFlags} (and {@code --stream}, {@code --compat561}
     * where declared): mode preset or manual knobs, cipher with kcptun's key derivation, FEC, MTU, windows,
     * DSCP, ACK policy and socket buffers.
     *
     * @param f parsed flags
     * @return a builder the caller may refine
     * @throws UsageException naming the first bad flag
     */
    static SessionOptions.Builder sessionOptions(FlagSet f) throws UsageException {
        SessionOptions.Builder b = SessionOptions.builder();
        applyMode(f, b);
        applyCrypt(f, b);
        int ds = f.integer("datashard", 0, 255);
        int ps = f.integer("parityshard", 0, 255);
        b.fec(ds, ps);
        b.mtu(f.integer("mtu", SessionOptions.MIN_KCP_MTU, SessionOptions.MAX_MTU));
        b.windowSize(f.integer("sndwnd", 1, 65535), f.integer("rcvwnd", 1, 65535));
        if (f.declares("stream")) {
            b.streamMode(f.bool("stream"));
        }
        b.ackNoDelay(f.bool("acknodelay"));
        if (f.declares("compat561")) {
            b.compat561(f.bool("compat561"));
        }
        int sockbuf = f.integer("sockbuf", 0, Integer.MAX_VALUE);
        b.socketBuffers(sockbuf, sockbuf);
        int dscp = f.integer("dscp", 0, 63);
        b.dscp(dscp == 0 ? -1 : dscp);
        return b;
    }

    /** Declares the client flags ({@code --remote --bytes --chunk --sessions --seed --hold}). */
    static FlagSet clientFlags(FlagSet f, boolean withRemote) {
        if (withRemote) {
            f.value("remote", "HOST:PORT", "127.0.0.1:29900", "server address");
        }
        return f.value("bytes", "N", "16M", "bytes per session (K/M/G suffixes = x1024)")
                .value("chunk", "N", "4096", "bytes per write")
                .value("sessions", "K", "1", "concurrent sessions (RTT: the first; counters: the whole process)")
                .value("seed", "N", "1", "seed of the pseudo-random payload (session i uses seed + i)")
                .value("hold", "SECONDS", "0",
                        "keep the sessions open and idle this long after the transfer (prints HOLD on stderr)")
                .bool("quiet", false, "no live progress line");
    }

    /**
     * Builds the configuration from parsed flags.
     *
     * @param f          parsed flags
     * @param addressFlag "listen", "remote" or null
     * @param client     true to read the client flags
     * @throws UsageException naming the first bad flag
     */
    static CliConfig from(FlagSet f, String addressFlag, boolean client) throws UsageException {
        SessionOptions.Builder b = sessionOptions(f);
        if (f.declares("idle-timeout")) {
            b.limits(Limits.defaults().withAcceptedIdleTimeout(Duration.ofSeconds(f.integer("idle-timeout", 0,
                    86400))));
        }
        int sessions = client ? f.integer("sessions", 1, 100_000) : 1;
        // Thousands of client sockets each get a receive loop: virtual threads keep that cheap.
        b.receiveThread(sessions > 16 ? ReceiveThreadKind.VIRTUAL : ReceiveThreadKind.PLATFORM);
        SessionOptions options;
        try {
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        InetSocketAddress address = addressFlag == null ? null
                : parseAddress("--" + addressFlag, f.string(addressFlag));
        Duration timeout = Duration.ofSeconds(f.integer("timeout", 0, 365 * 86400));
        String threads = f.string("threads").toLowerCase(Locale.ROOT);
        if (!List.of("auto", "platform", "virtual").contains(threads)) {
            throw new UsageException("flag --threads must be auto, platform or virtual: '" + f.string("threads") + "'");
        }
        if (!client) {
            return new CliConfig(options, address, timeout, 0, 0, 1, 0, false, Duration.ZERO, true, threads);
        }
        long bytes = f.longValue("bytes", 1, Long.MAX_VALUE / 4);
        int chunk = f.integer("chunk", 1, 16 << 20);
        long seed = f.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        boolean pingPong = f.declares("pingpong") && f.bool("pingpong");
        Duration hold = f.declares("hold") ? Duration.ofSeconds(f.integer("hold", 0, 365 * 86400)) : Duration.ZERO;
        return new CliConfig(options, address, timeout, bytes, chunk, sessions, seed, pingPong, hold, f.bool("quiet"),
                threads);
    }

    private static void applyMode(FlagSet f, SessionOptions.Builder b) throws UsageException {
        String mode = f.string("mode").toLowerCase(Locale.ROOT);
        switch (mode) {
            case "normal" -> b.mode(KcpMode.NORMAL);
            case "fast" -> b.mode(KcpMode.FAST);
            case "fast2" -> b.mode(KcpMode.FAST2);
            case "fast3" -> b.mode(KcpMode.FAST3);
            case "manual" -> b.noDelay(f.integer("nodelay", 0, 1) == 1, f.integer("interval", 10, 5000),
                    f.integer("resend", 0, 65535), f.integer("nc", 0, 1) == 1);
            default -> throw new UsageException("flag --mode must be normal, fast, fast2, fast3 or manual: '"
                    + f.string("mode") + "'");
        }
    }

    private static void applyCrypt(FlagSet f, SessionOptions.Builder b) throws UsageException {
        String name = f.string("crypt").toLowerCase(Locale.ROOT);
        if (name.equals("null")) {
            return;
        }
        if (!cryptNames().contains(name)) {
            throw new UsageException("flag --crypt must be one of " + String.join(", ", cryptNames()) + ": '"
                    + f.string("crypt") + "'");
        }
        byte[] key;
        try {
            key = KeyDerivation.keyFor(name, KeyDerivation.kcptun(f.string("key")));
        } catch (IllegalArgumentException e) {
            throw new UsageException("flag --crypt " + name + ": " + e.getMessage());
        }
        b.cipher(name, key);
    }

    /**
     * Parses {@code HOST:PORT}, {@code :PORT} (wildcard) or {@code [v6]:PORT}.
     *
     * @throws UsageException if malformed or the host does not resolve
     */
    static InetSocketAddress parseAddress(String flag, String s) throws UsageException {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new UsageException("flag " + flag + " needs HOST:PORT: '" + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("flag " + flag + " needs a numeric port: '" + s + "'");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("flag " + flag + " port must be in [0, 65535]: '" + s + "'");
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException("flag " + flag + ": unknown host '" + host + "'");
        }
    }
}
