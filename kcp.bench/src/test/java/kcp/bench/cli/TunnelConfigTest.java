package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kcp.crypto.KeyDerivation;
import kcp.net.SessionOptions;

class TunnelConfigTest {
    @TempDir
    Path dir;

    static TunnelConfig parse(boolean client, Map<String, String> env, String... args) throws Exception {
        FlagSet f = TunnelConfig.flags(client);
        f.parse(args, 0);
        return TunnelConfig.from(f, client, env);
    }

    static TunnelConfig client(String... args) throws Exception {
        return parse(true, Map.of(), args);
    }

    static TunnelConfig server(String... args) throws Exception {
        return parse(false, Map.of(), args);
    }

    @Test
    void shouldUseKcptunClientDefaults() throws Exception {
        TunnelConfig c = client("--remoteaddr", "127.0.0.1:29900");
        SessionOptions o = c.options();
        assertEquals(new InetSocketAddress(12948), c.local());
        assertEquals(128, o.sndWnd());
        assertEquals(512, o.rcvWnd());
        assertEquals(1350, o.mtu());
        assertEquals(10, o.fecDataShards());
        assertEquals(3, o.fecParityShards());
        assertEquals("aes", o.cipherName());
        assertEquals(4194304, o.readBufferBytes());
        assertTrue(o.streamMode());
        assertFalse(o.writeDelay());
        assertFalse(o.ackNoDelay());
        // kcptun's "fast": nodelay 0, interval 30, resend 2, nc 1
        assertFalse(o.noDelay());
        assertEquals(30, o.intervalMs());
        assertEquals(2, o.fastResend());
        assertTrue(o.noCongestionControl());
        assertEquals(1, c.conn());
        assertEquals(Duration.ZERO, c.autoExpire());
        assertEquals(Duration.ofSeconds(600), c.scavengeTtl());
        assertTrue(c.compress());
        assertEquals(1, c.smux().version());
        assertEquals(4194304, c.smux().maxReceiveBuffer());
        assertEquals(2097152, c.smux().maxStreamBuffer());
        assertEquals(Duration.ofSeconds(10), c.smux().keepAliveInterval());
        assertEquals(Duration.ofSeconds(30), c.smux().keepAliveTimeout());
        assertEquals(Duration.ofSeconds(60), c.snmpPeriod());
        assertFalse(c.quiet());
        assertEquals("", c.log());
        assertArrayEqualsKey(KeyDerivation.kcptun(CliConfig.DEFAULT_KEY), o);
    }

    private static void assertArrayEqualsKey(byte[] pass, SessionOptions o) {
        assertEquals(List.of(toList(pass)), List.of(toList(o.key())));
    }

    private static List<Byte> toList(byte[] b) {
        Byte[] boxed = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            boxed[i] = b[i];
        }
        return List.of(boxed);
    }

    @Test
    void shouldUseKcptunServerDefaults() throws Exception {
        TunnelConfig c = server();
        assertEquals(new InetSocketAddress(29900), c.local());
        assertEquals("127.0.0.1:12948", c.target());
        assertEquals(1024, c.options().sndWnd());
        assertEquals(1024, c.options().rcvWnd());
        assertNull(c.remote());
    }

    @Test
    void shouldApplyFlagsAndKcptunAliases() throws Exception {
        TunnelConfig c = client("-l", "127.0.0.1:0", "-r", "127.0.0.1:4000", "--ds", "4", "--ps=2", "--crypt",
                "salsa20", "--key", "k", "--mode", "manual", "--nodelay", "1", "--interval", "15", "--resend", "3",
                "--nc", "0", "--mtu", "1200", "--sndwnd", "64", "--rcvwnd", "256", "--dscp", "46", "--nocomp",
                "--acknodelay", "--sockbuf", "1M", "--smuxver", "2", "--smuxbuf", "8M", "--streambuf", "1M",
                "--keepalive", "5", "--conn", "3", "--autoexpire", "60", "--scavengettl", "10", "--quiet",
                "--snmplog", "/tmp/s.log", "--snmpperiod", "5", "--log", "/tmp/t.log");
        SessionOptions o = c.options();
        assertEquals(4, o.fecDataShards());
        assertEquals(2, o.fecParityShards());
        assertEquals("salsa20", o.cipherName());
        assertTrue(o.noDelay());
        assertEquals(15, o.intervalMs());
        assertEquals(3, o.fastResend());
        assertFalse(o.noCongestionControl());
        assertEquals(1200, o.mtu());
        assertEquals(64, o.sndWnd());
        assertEquals(256, o.rcvWnd());
        assertEquals(46, o.dscp());
        assertTrue(o.ackNoDelay());
        assertEquals(1 << 20, o.writeBufferBytes());
        assertFalse(c.compress());
        assertEquals(2, c.smux().version());
        assertEquals(8 << 20, c.smux().maxReceiveBuffer());
        assertEquals(1 << 20, c.smux().maxStreamBuffer());
        assertEquals(Duration.ofSeconds(5), c.smux().keepAliveInterval());
        assertEquals(3, c.conn());
        assertEquals(Duration.ofSeconds(60), c.autoExpire());
        assertEquals(Duration.ofSeconds(10), c.scavengeTtl());
        assertTrue(c.quiet());
        assertEquals("/tmp/s.log", c.snmpLog());
        assertEquals(Duration.ofSeconds(5), c.snmpPeriod());
        assertEquals("/tmp/t.log", c.log());
        assertEquals(new InetSocketAddress("127.0.0.1", 4000), c.remote());
    }

    @Test
    void shouldApplyEachModePresetAsKcptunDoes() throws Exception {
        record Preset(String mode, boolean noDelay, int interval) {
        }
        for (Preset p : List.of(new Preset("normal", false, 40), new Preset("fast", false, 30),
                new Preset("fast2", true, 20), new Preset("fast3", true, 10))) {
            // kcptun overwrites the manual knobs with the preset
            SessionOptions o = server("--mode", p.mode, "--interval", "99", "--resend", "0").options();
            assertEquals(p.noDelay, o.noDelay(), p.mode);
            assertEquals(p.interval, o.intervalMs(), p.mode);
            assertEquals(2, o.fastResend(), p.mode);
            assertTrue(o.noCongestionControl(), p.mode);
        }
    }

    @Test
    void shouldTakeTheKeyFromKcptunKeyUnlessGivenAsFlag() throws Exception {
        TunnelConfig fromEnv = parse(false, Map.of("KCPTUN_KEY", "env-secret"));
        assertArrayEqualsKey(KeyDerivation.kcptun("env-secret"), fromEnv.options());
        TunnelConfig fromFlag = parse(false, Map.of("KCPTUN_KEY", "env-secret"), "--key", "flag-secret");
        assertArrayEqualsKey(KeyDerivation.kcptun("flag-secret"), fromFlag.options());
    }

    @Test
    void shouldReadAKcptunServerJsonFileOverridingTheFlags() throws Exception {
        // the shape of kcptun's own dist/server.json, plus keys kcptun 20210922 does not know
        Path file = dir.resolve("server.json");
        Files.writeString(file, """
                {
                    "listen": "127.0.0.1:29999",
                    "target": "/run/app.sock",
                    "key": "json-secret",
                    "crypt": "aes-128",
                    "mode": "fast2",
                    "mtu": 1300,
                    "sndwnd": 2048,
                    "rcvwnd": 2048,
                    "datashard": 0,
                    "parityshard": 0,
                    "dscp": 0,
                    "nocomp": true,
                    "AckNodelay": false,
                    "sockbuf": 16777217,
                    "smuxver": 2,
                    "smuxbuf": 16777217,
                    "streambuf": 4194304,
                    "keepalive": 10,
                    "log": "",
                    "snmplog": "",
                    "snmpperiod": 60,
                    "pprof": false,
                    "quiet": true,
                    "tcp": false,
                    "closewait": 30,
                    "interval": null
                }
                """);
        TunnelConfig c = server("--mtu", "1000", "--quiet=false", "-c", file.toString());
        assertEquals(new InetSocketAddress("127.0.0.1", 29999), c.local());
        assertEquals("/run/app.sock", c.target());
        assertEquals("aes-128", c.options().cipherName());
        assertArrayEqualsKey(KeyDerivation.keyFor("aes-128", KeyDerivation.kcptun("json-secret")), c.options());
        assertEquals(1300, c.options().mtu(), "the file overrides the command line");
        assertEquals(2048, c.options().sndWnd());
        assertEquals(20, c.options().intervalMs(), "fast2");
        assertFalse(c.options().fecEnabled());
        assertFalse(c.compress());
        assertEquals(2, c.smux().version());
        assertEquals(16777217, c.smux().maxReceiveBuffer());
        assertTrue(c.quiet());
        assertEquals(List.of("closewait"), c.ignoredKeys());
    }

    @Test
    void shouldReadAKcptunClientJsonFile() throws Exception {
        Path file = dir.resolve("client.json");
        Files.writeString(file, "{\"localaddr\":\"127.0.0.1:0\",\"remoteaddr\":\"127.0.0.1:29900\","
                + "\"conn\":4,\"autoexpire\":30,\"scavengettl\":5,\"keepalive\":3}");
        TunnelConfig c = client("-c", file.toString());
        assertEquals(4, c.conn());
        assertEquals(Duration.ofSeconds(30), c.autoExpire());
        assertEquals(Duration.ofSeconds(5), c.scavengeTtl());
        assertEquals(Duration.ofSeconds(3), c.smux().keepAliveInterval());
        assertEquals(new InetSocketAddress("127.0.0.1", 29900), c.remote());
    }

    @Test
    void shouldRejectWrongTypesAndBadFilesNamingTheKey() throws Exception {
        Path file = dir.resolve("bad.json");
        for (String[] bad : new String[][] {
            {"{\"mtu\": \"1350\"}", "key \"mtu\" needs an integer, not the string \"1350\""},
            {"{\"mtu\": 1350.5}", "key \"mtu\" needs an integer, not 1350.5"},
            {"{\"nocomp\": 1}", "key \"nocomp\" needs true or false, not 1"},
            {"{\"key\": 5}", "key \"key\" needs a string, not 5"},
            {"[1]", "must hold a JSON object"},
            {"{\"mtu\": 1350,}", "is not valid JSON: line 1 column 14"},
            {"{\"tcp\": true}", "flag --tcp (kcptun's raw TCP emulation) is not supported"},
            {"{\"mtu\": 20}", "flag --mtu must be in [25, 1500]: 20"},
        }) {
            Files.writeString(file, bad[0]);
            UsageException e = assertThrows(UsageException.class, () -> server("-c", file.toString()), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        UsageException missing = assertThrows(UsageException.class,
                () -> server("-c", dir.resolve("absent.json").toString()));
        assertTrue(missing.getMessage().startsWith("flag -c: cannot read"), missing.getMessage());
    }

    @Test
    void shouldRejectSmuxSettingsKcptunWouldRefuse() {
        assertMessage("flag --smuxver must be in [1, 2]: 3", "--smuxver", "3");
        assertMessage("flag --keepalive must be in [1, 30]: 0", "--keepalive", "0");
        assertMessage("flag --streambuf (8388608) must not be larger than --smuxbuf (4194304)", "--streambuf", "8M");
        assertMessage("flag --target needs a numeric port", "--target", "127.0.0.1:http");
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> server(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shouldTellTcpTargetsFromUnixSocketsAsGoDoes() {
        assertTrue(TunnelConfig.isHostPort("127.0.0.1:80"));
        assertTrue(TunnelConfig.isHostPort(":80"));
        assertTrue(TunnelConfig.isHostPort("[::1]:80"));
        assertFalse(TunnelConfig.isHostPort("/run/app.sock"));
        assertFalse(TunnelConfig.isHostPort("::1:80"));
    }

    @Test
    void shouldExpandGoTimeLayoutsInTheSnmpLogName() {
        ZonedDateTime t = ZonedDateTime.of(2026, 3, 4, 17, 8, 9, 0, ZoneOffset.UTC);
        assertEquals("snmp-20260304.log", TunnelLog.goFormat("snmp-20060102.log", t));
        assertEquals("x-26-Mar-Wed-05-08-09-PM.csv", TunnelLog.goFormat("x-06-Jan-Mon-03-04-05-PM.csv", t));
        assertEquals("kcp.log", TunnelLog.goFormat("kcp.log", t));
    }

    @Test
    void shouldWriteSnmpCsvWithAHeaderOnce() throws Exception {
        String path = dir.resolve("snmp-20060102.log").toString();
        ZonedDateTime t = ZonedDateTime.of(2026, 3, 4, 17, 8, 9, 0, ZoneOffset.UTC);
        TunnelLog.snmpLine(path, t);
        TunnelLog.snmpLine(path, t.plusSeconds(60));
        List<String> lines = Files.readAllLines(dir.resolve("snmp-20260304.log"));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("Unix,BytesSent,BytesReceived,MaxConn,"), lines.get(0));
        assertTrue(lines.get(1).startsWith(t.toEpochSecond() + ","), lines.get(1));
        assertEquals(lines.get(0).split(",").length, lines.get(2).split(",").length);
    }

    @Test
    void shouldAppendTheLogToTheLogFileAndLeaveStreamLinesOutWhenQuiet() throws Exception {
        Path file = dir.resolve("tunnel.log");
        Files.writeString(file, "earlier line\n");
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(stderr, true);
        try (TunnelLog log = TunnelLog.open(file.toString(), err, true)) {
            log.log("listening on: 127.0.0.1:1");
            log.stream("stream opened in: a out: b");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("earlier line", lines.get(0));
        assertTrue(lines.get(1).matches("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} listening on: 127.0.0.1:1"),
                lines.get(1));
        assertEquals(0, stderr.size(), "nothing on stderr with --log");
        try (TunnelLog log = TunnelLog.open("", err, false)) {
            log.stream("stream opened in: a out: b");
        }
        assertTrue(stderr.toString().endsWith(" stream opened in: a out: b" + System.lineSeparator()),
                stderr.toString());
    }
}
