package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;

import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SessionOptionsTest {

    @Test
    void shouldDefaultToKcpGoValues() {
        SessionOptions o = SessionOptions.defaults();
        assertFalse(o.noDelay());
        assertEquals(100, o.intervalMs());
        assertEquals(0, o.fastResend());
        assertFalse(o.noCongestionControl());
        assertEquals(32, o.sndWnd());
        assertEquals(32, o.rcvWnd());
        assertEquals(1400, o.mtu());
        assertFalse(o.streamMode());
        assertEquals(-1, o.dscp());
        assertEquals(128, o.acceptBacklog());
        assertNull(o.cipherName());
        assertFalse(o.fecEnabled());
        assertEquals(0, o.headerBytes());
        assertEquals(20, o.deadLinkXmit());
        assertEquals(Duration.ZERO, o.idleTimeout());
        assertEquals(Duration.ofSeconds(5), o.hibernateAfter());
        assertEquals(Duration.ofSeconds(5), o.quietPeriod());
        assertEquals(ReceiveThreadKind.PLATFORM, o.receiveThread());
    }

    @ParameterizedTest
    @CsvSource({"DEFAULT,false,100,0,false", "NORMAL,false,40,2,true", "FAST,false,30,2,true",
            "FAST2,true,20,2,true", "FAST3,true,10,2,true"})
    void shouldApplyKcptunModePresets(KcpMode mode, boolean nodelay, int interval, int resend, boolean nc) {
        SessionOptions o = SessionOptions.builder().mode(mode).build();
        assertEquals(nodelay, o.noDelay());
        assertEquals(interval, o.intervalMs());
        assertEquals(resend, o.fastResend());
        assertEquals(nc, o.noCongestionControl());
    }

    @Test
    void shouldComputeHeaderBytesPerSpecTable() {
        byte[] key = new byte[32];
        assertEquals(8, SessionOptions.builder().fec(10, 3).build().headerBytes());
        assertEquals(20, SessionOptions.builder().cipher("aes", key).build().headerBytes());
        assertEquals(28, SessionOptions.builder().cipher("none", key).fec(10, 3).build().headerBytes());
        assertEquals(0, SessionOptions.builder().fec(10, 0).build().headerBytes(), "parity 0 means FEC off");
        assertEquals(36, SessionOptions.builder().cipher("aes-128-gcm", new byte[16]).fec(10, 3).build().headerBytes());
        SessionOptions viaFactory = SessionOptions.builder()
                .sealerFactory(() -> PacketSealer.forName("xor", new byte[32])).build();
        assertEquals(20, viaFactory.headerBytes());
        assertTrue(viaFactory.cryptoEnabled());
        assertEquals(20, viaFactory.newSealer().headerSize());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> viaFactory.toBuilder()
                .cipher("aes", new byte[16]).build());
        assertTrue(both.getMessage().startsWith("set either cipherName or sealerFactory"), both.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "interval 9;intervalMs must be in [10, 5000]: 9",
        "interval 5001;intervalMs must be in [10, 5000]: 5001",
        "resend -1;fastResend must be in [0, 65535]: -1",
        "snd 0;sndWnd must be in [1, 65535]: 0",
        "rcv 65536;rcvWnd must be in [1, 65535]: 65536",
        "mtu 24;mtu must be in [25, 1500]: 24",
        "mtu 1501;mtu must be in [25, 1500]: 1501",
        "dup 9;dup must be in [0, 8]: 9",
        "dscp 64;dscp (or -1 for the OS default) must be in [0, 63]: 64",
        "rbuf -1;readBufferBytes (0 = OS default) must be in [0, 2147483647]: -1",
        "rate -1;rateLimitBytesPerSec must be >= 0 (0 = unlimited): -1",
        "fec 200 57;fecDataShards + fecParityShards must be <= 256: 200 + 57",
        "fec -1 3;fecDataShards must be in [0, 255]: -1",
        "fec 0 3;fecDataShards is 0 but fecParityShards is 3: parity needs data shards; "
                + "use fec(10, 3) for example, or fec(0, 0) for no FEC",
        "keyonly x;a key is set without a cipher name: name the cipher, e.g. cipher(\"aes\", key), "
                + "or use cipher(null, null) for no crypto",
        "cipher rot13;cipherName/key rejected: ",
        "badkey aes;cipherName/key rejected: ",
        "nokey aes;key must be set when cipherName is set: cipherName=aes, key=null",
        "dead 1001;deadLinkXmit (0 = never) must be in [0, 1000]: 1001",
        "idle -1;idleTimeout must be in [0, 100 days] (0 = off): PT-1S",
        "idle 8640001;idleTimeout must be in [0, 100 days] (0 = off): PT2400H1S",
        "hibernate -1;hibernateAfter must be in [0, 100 days] (0 = never): PT-1S",
        "quiet 3601;quietPeriod must be in [0, 1h]: PT1H1S",
        "backlog 0;acceptBacklog must be in [1, 65536]: 0",
        "mtu-with-header 52;mtu must be in [53, 1500]: 52",
    })
    void shouldRejectOutOfRangeValuesNamingFieldAndRange(String change, String message) {
        String[] p = change.split(" ");
        int v = p.length > 1 && p[1].matches("-?\\d+") ? Integer.parseInt(p[1]) : 0;
        UnaryOperator<SessionOptions.Builder> edit = switch (p[0]) {
            case "interval" -> b -> b.noDelay(false, v, 0, false);
            case "resend" -> b -> b.noDelay(false, 100, v, false);
            case "snd" -> b -> b.windowSize(v, 32);
            case "rcv" -> b -> b.windowSize(32, v);
            case "mtu" -> b -> b.mtu(v);
            case "dup" -> b -> b.dup(v);
            case "dscp" -> b -> b.dscp(v);
            case "rbuf" -> b -> b.socketBuffers(v, 0);
            case "rate" -> b -> b.rateLimit(v);
            case "fec" -> b -> b.fec(v, Integer.parseInt(p[2]));
            case "cipher" -> b -> b.cipher(p[1], new byte[16]);
            case "nokey" -> b -> b.cipher(p[1], null);
            case "keyonly" -> b -> b.cipher(null, new byte[16]);
            case "badkey" -> b -> b.cipher(p[1], new byte[7]);
            case "dead" -> b -> b.deadLinkXmit(v);
            case "idle" -> b -> b.idleTimeout(Duration.ofSeconds(v));
            case "hibernate" -> b -> b.hibernateAfter(Duration.ofSeconds(v));
            case "quiet" -> b -> b.quietPeriod(Duration.ofSeconds(v));
            case "backlog" -> b -> b.acceptBacklog(v);
            case "mtu-with-header" -> b -> b.mtu(v).fec(10, 3).cipher("aes", new byte[32]);
            default -> throw new IllegalArgumentException(change);
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> edit.apply(SessionOptions.builder()).build());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void shouldDeriveKcptunKeysFromAPassphrase() {
        SessionOptions o = SessionOptions.builder().cipherWithPassphrase("aes-128", "it's a secret").build();
        assertArrayEquals(KeyDerivation.keyFor("aes-128", KeyDerivation.kcptun("it's a secret")), o.key());
        assertEquals(16, o.key().length);
    }

    @Test
    void shouldCopyTheKeyInAndOutAndKeepItOutOfToString() {
        byte[] key = {1, 2, 3, 4};
        SessionOptions o = SessionOptions.builder().cipher("xor", key).build();
        key[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3, 4}, o.key());
        o.key()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3, 4}, o.key());
        assertTrue(o.toString().contains("key=<4 bytes>"), o.toString());
    }

    @Test
    void shouldRoundTripThroughToBuilderAndCompareByValue() {
        SessionOptions a = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(1024, 1024).mtu(1200)
                .streamMode(true).writeDelay(true).ackNoDelay(true).dup(1).dscp(46).socketBuffers(1 << 20, 1 << 20)
                .rateLimit(1_000_000).fec(10, 3).cipher("salsa20", new byte[32]).deadLinkXmit(0)
                .idleTimeout(Duration.ofSeconds(30)).hibernateAfter(Duration.ZERO).quietPeriod(Duration.ZERO)
                .acceptBacklog(16).receiveThread(ReceiveThreadKind.VIRTUAL).compat561(true).build();
        SessionOptions b = a.toBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.toBuilder().cipher("salsa20", new byte[] {1}).build());
        assertNotEquals(a, a.toBuilder().hibernateAfter(Duration.ofSeconds(1)).build());
    }

    @Test
    void shouldComposeFiveValidatedPartsThatCanBeUsedOnTheirOwn() {
        SessionOptions o = SessionOptions.builder().mode(KcpMode.FAST3).fec(10, 3).cipher("aes", new byte[16])
                .acceptBacklog(64).dscp(46).build();
        assertEquals(new FecOptions(10, 3), o.fec());
        assertEquals(new ListenerOptions(Duration.ofSeconds(5), 64), o.listener());
        assertEquals(46, o.socket().dscp());
        assertEquals(10, o.arq().intervalMs());
        assertEquals(28, o.headerBytes(), "20 crypto + 8 FEC");
        assertEquals(new CryptoOptions("aes", new byte[16], null), o.crypto(), "keys compare by content");
        assertEquals(o, o.toBuilder().build());
        assertTrue(o.toString().contains("key=<16 bytes>") && !o.toString().contains("[B@"), o.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FecOptions(0, 3));
        assertTrue(e.getMessage().startsWith("fecDataShards is 0 but fecParityShards is 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CryptoOptions(null, new byte[16], null));
        assertThrows(IllegalArgumentException.class, () -> new SessionOptions(o.arq(), o.fec(), o.crypto(),
                o.socket(), o.listener(), o.limits()).toBuilder().mtu(52).build(),
                "the MTU must leave room for the headers");
    }

    @Test
    void shouldCountTheSameCryptoOverheadAsTheSealerAddsForEveryCipher() {
        java.util.List<String> names = new java.util.ArrayList<>(kcp.crypto.Ciphers.names());
        names.addAll(java.util.List.of("aes-128-gcm", "chacha20-poly1305", "xchacha20-poly1305"));
        for (String name : names) {
            SessionOptions o = SessionOptions.builder().cipherWithPassphrase(name, "k").build();
            PacketSealer sealer = o.crypto().newSealer();
            assertEquals(sealer.headerSize() + sealer.trailerSize(), o.crypto().overheadBytes(), name);
        }
    }
}
