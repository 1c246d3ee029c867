package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import kcp.crypto.PacketSealer;
import kcp.net.internal.ReplayFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The replay filter is wire-compatible by construction: every datagram a real sender seals (data, FEC parity,
 * retransmissions, ACKs) carries a nonce never seen before, and byte-identical copies are caught. Captures what a
 * real client sends ({@link HostileTraffic.Capture}) in a 4 MiB echo, then runs the captured bytes through a
 * receive sealer and a {@link ReplayFilter} as a listener will: no genuine datagram may be taken for a repeat,
 * and every one of them replayed must be. Senders: kcp-go 5.6.1 ({@code kcpgo}, CFB nonces from its
 * {@code nonceAES128}), and Java ({@code NonceSource}) with CFB and with AES-GCM.
 */
@Timeout(180)
class ReplayFilterInteropIT {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int BYTES = 4 << 20;

    private static void assertNoGenuineRepeatAndEveryReplayCaught(List<byte[]> captured, SessionOptions o) {
        assertTrue(captured.size() > 3_000, "a 4 MiB echo is thousands of client datagrams: " + captured.size());
        PacketSealer rx = o.newSealer();
        int nonceLen = ReplayFilter.nonceLength(rx);
        ReplayFilter f = new ReplayFilter(ReplayFilter.DEFAULT_SLOTS, ReplayFilter.DEFAULT_WINDOW_MS, 15);
        int parity = 0;
        for (byte[] d : captured) {
            byte[] b = d.clone();
            assertTrue(rx.open(b, 0, b.length) >= 0, "a genuine datagram opens");
            int type = (b[rx.headerSize() + 4] & 0xFF) | (b[rx.headerSize() + 5] & 0xFF) << 8;
            parity += type == 0xF2 ? 1 : 0;
            assertTrue(f.admit(b, 0, nonceLen, 0), "a genuine datagram's nonce is new");
        }
        assertEquals(0, f.repeats());
        assertTrue(parity > 0, "FEC parity datagrams, sealed separately, were among them");
        for (byte[] d : captured) {
            byte[] b = d.clone();
            assertTrue(rx.open(b, 0, b.length) >= 0);
            f.admit(b, 0, nonceLen, 1);
        }
        assertEquals(captured.size(), f.repeats(), "every replayed datagram was caught");
        System.out.printf("REPLAY nonce=%d captured=%d parity=%d repeats=%d%n", nonceLen,
                captured.size(), parity, f.repeats());
    }

    @Test
    void shouldSeeOnlyFreshNoncesFromAKcpGoClientAndCatchItsReplays() throws Exception {
        SessionOptions o = GoPeers.javaOptions("aes", 10, 3, true);
        try (KcpListener l = Kcps.listen(LOOPBACK, o);
             HostileTraffic.Capture cap = new HostileTraffic.Capture(l.localAddress(), 1_000_000)) {
            SessionIT.echoServer(l);
            Map<String, String> go = GoInteropIT.runGoClient(cap.address(), "aes", 10, 3, true, BYTES, 15);
            assertEquals("ok", go.get("status"), go.toString());
            assertNoGenuineRepeatAndEveryReplayCaught(cap.clientDatagrams(), o);
        }
    }

    @Test
    void shouldSeeOnlyFreshNoncesFromAJavaClientWithCfbAndWithAesGcm() throws Exception {
        for (String crypt : new String[] {"aes", "aes-128-gcm"}) {
            SessionOptions o = GoPeers.javaOptions(crypt, 10, 3, true);
            try (KcpListener l = Kcps.listen(LOOPBACK, o);
                 HostileTraffic.Capture cap = new HostileTraffic.Capture(l.localAddress(), 1_000_000);
                 KcpSession c = Kcps.dial(cap.address(), o)) {
                SessionIT.echoServer(l);
                c.setReadTimeout(Duration.ofSeconds(30));
                byte[] data = SessionIT.random(15, BYTES);
                assertArrayEquals(data, SessionIT.roundTrip(c, data, 64 * 1024), crypt);
                assertNoGenuineRepeatAndEveryReplayCaught(cap.clientDatagrams(), o);
            }
        }
    }
}
