package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

import kcp.net.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliConfigTest {
    /** PBKDF2-HMAC-SHA1("it's a secrect", "kcp-go", 4096, 32), computed with Python's hashlib. */
    private static final byte[] DEFAULT_PASS =
            HexFormat.of().parseHex("25d7d7bd51050742d8d791f2b653c6c8b2366b7e25a124cf7a2e12eaf4ffa444");

    static CliConfig client(String... args) throws Exception {
        FlagSet f = Main.flagsFor("echo-client");
        f.parse(args, 0);
        return CliConfig.from(f, "remote", true);
    }

    @ParameterizedTest
    @CsvSource({
        "normal, false, 40, 2, true",
        "fast,   false, 30, 2, true",
        "fast2,  true,  20, 2, true",
        "fast3,  true,  10, 2, true",
    })
    void shouldApplyKcptunModePresets(String mode, boolean nodelay, int interval, int resend, boolean nc)
            throws Exception {
        // kcptun ignores the manual knobs unless --mode manual
        SessionOptions o = client("--mode", mode, "--interval", "77", "--resend", "9").options();
        assertEquals(nodelay, o.noDelay());
        assertEquals(interval, o.intervalMs());
        assertEquals(resend, o.fastResend());
        assertEquals(nc, o.noCongestionControl());
    }

    @Test
    void shouldUseManualKnobsInManualMode() throws Exception {
        SessionOptions o = client("--mode", "manual", "--nodelay", "1", "--interval", "15", "--resend", "3",
                "--nc", "0").options();
        assertTrue(o.noDelay());
        assertEquals(15, o.intervalMs());
        assertEquals(3, o.fastResend());
        assertFalse(o.noCongestionControl());
    }

    @ParameterizedTest
    @CsvSource({"aes, 32", "aes-128, 16", "aes-192, 24", "salsa20, 32", "3des, 24", "tea, 16", "xtea, 16",
        "sm4, 16", "cast5, 16", "blowfish, 32", "twofish, 32", "xor, 32", "none, 32", "aes-128-gcm, 16",
        "chacha20-poly1305, 32", "xchacha20-poly1305, 32"})
    void shouldSliceTheKcptunKeyPerCipher(String cipher, int keyBytes) throws Exception {
        SessionOptions o = client("--crypt", cipher).options();
        assertEquals(cipher, o.cipherName());
        assertArrayEquals(Arrays.copyOf(DEFAULT_PASS, keyBytes), o.key());
    }

    @Test
    void shouldDeriveTheKeyFromThePassphrase() throws Exception {
        byte[] other = client("--crypt", "aes", "--key", "other").options().key();
        assertFalse(Arrays.equals(DEFAULT_PASS, other));
        assertEquals(32, other.length);
    }

    @Test
    void shouldHaveNoCryptoLayerForNull() throws Exception {
        SessionOptions o = client("--crypt", "null").options();
        assertFalse(o.cryptoEnabled());
        assertNull(o.cipherName());
        assertEquals(8, o.headerBytes(), "FEC header only");
    }

    @Test
    void shouldTurnFecOffWithZeroShards() throws Exception {
        SessionOptions o = client("--datashard", "0", "--parityshard", "0").options();
        assertFalse(o.fecEnabled());
        assertEquals(20, o.headerBytes(), "crypto header only");
    }

    @Test
    void shouldApplyWindowMtuStreamAckSockbufAndClientFlags() throws Exception {
        CliConfig c = client("--remote", "127.0.0.1:4000", "--sndwnd", "256", "--rcvwnd", "512", "--mtu=1400",
                "--stream", "false", "--acknodelay", "--compat561", "true", "--sockbuf", "1M", "--timeout", "7",
                "--bytes", "3M", "--chunk", "100", "--sessions", "4", "--seed", "-5", "--hold", "2", "--pingpong");
        SessionOptions o = c.options();
        assertEquals(256, o.sndWnd());
        assertEquals(512, o.rcvWnd());
        assertEquals(1400, o.mtu());
        assertFalse(o.streamMode());
        assertTrue(o.ackNoDelay());
        assertTrue(o.compat561());
        assertEquals(1 << 20, o.readBufferBytes());
        assertEquals(1 << 20, o.writeBufferBytes());
        assertEquals(new InetSocketAddress("127.0.0.1", 4000), c.address());
        assertEquals(Duration.ofSeconds(7), c.timeout());
        assertEquals(3L << 20, c.bytes());
        assertEquals(100, c.chunk());
        assertEquals(4, c.sessions());
        assertEquals(-5, c.seed());
        assertEquals(Duration.ofSeconds(2), c.hold());
        assertTrue(c.pingPong());
    }

    @Test
    void shouldDefaultToKcptunStyleBenchSettings() throws Exception {
        CliConfig c = client();
        SessionOptions o = c.options();
        assertEquals("aes", o.cipherName());
        assertEquals(10, o.fecDataShards());
        assertEquals(3, o.fecParityShards());
        assertEquals(30, o.intervalMs(), "fast mode");
        assertEquals(1350, o.mtu());
        assertTrue(o.streamMode());
        assertFalse(o.compat561(), "v5.6.72 behaviour unless --compat561");
        assertEquals(16L << 20, c.bytes());
        assertEquals(1, c.sessions());
    }

    @Test
    void shouldParseAddressForms() throws Exception {
        assertEquals(new InetSocketAddress(4000), CliConfig.parseAddress("--listen", ":4000"));
        assertEquals(new InetSocketAddress("::1", 5), CliConfig.parseAddress("--remote", "[::1]:5"));
        assertThrows(UsageException.class, () -> CliConfig.parseAddress("--remote", "127.0.0.1:x"));
        assertThrows(UsageException.class, () -> CliConfig.parseAddress("--remote", "no-port"));
    }

    @Test
    void shouldAcceptSizeSuffixes() throws Exception {
        assertEquals(256L << 20, client("--bytes", "256MiB").bytes());
        assertEquals(4096, client("--bytes", "4k").bytes());
        assertEquals(1L << 30, client("--bytes", "1G").bytes());
    }
}
