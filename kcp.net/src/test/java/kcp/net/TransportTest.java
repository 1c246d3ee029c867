package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import kcp.core.testing.LossyLink;
import kcp.net.testing.VirtualNetwork;

/** The transport seam: sessions over the in-memory network and over a UDP transport configured before use. */
@Timeout(60)
class TransportTest {
    static final SessionOptions FAST = SessionIT.FAST;

    @ParameterizedTest(name = "loss {0}% dup {1}% reorder {2} delay {3}..{4} ms, cipher {5}, fec {6}")
    @CsvSource({
        "0, 0, false, 1, 1, , 0",
        "10, 0, false, 20, 20, , 0",
        "0, 20, false, 5, 5, aes, 0",
        "0, 0, true, 5, 60, salsa20, 10",
        "15, 10, true, 10, 80, aes, 10",
        "30, 5, true, 1, 200, , 10",
    })
    void shouldEchoByteExactOverTheVirtualNetworkDespiteLossDuplicationReorderingAndDelay(int loss, int dup,
            boolean reorder, int delayMin, int delayMax, String cipher, int fec) throws Exception {
        long seed = 1000 + loss * 31 + dup * 7 + delayMax;
        SessionOptions.Builder b = FAST.toBuilder().fec(fec, fec > 0 ? 3 : 0).deadLinkXmit(0);
        if (cipher != null) {
            b.cipherWithPassphrase(cipher, "virtual");
        }
        VirtualNetwork net = new VirtualNetwork(seed);
        net.link(Virtual.CLIENT, Virtual.SERVER, loss, delayMin, delayMax, dup, reorder);
        long replays = NetStats.global().get(SnmpField.IN_REPLAYS);
        try (Virtual.Pair p = Virtual.Pair.open(net, b.build())) {
            KcpSession s = p.accept();
            byte[] data = SessionIT.random(seed, 300_000);
            assertArrayEquals(data, Virtual.transfer(net, p.client(), s, data, 8192, 120_000), "seed " + seed);
            assertArrayEquals(data, Virtual.transfer(net, s, p.client(), data, 8192, 120_000), "seed " + seed);
            LossyLink up = net.linkFrom(Virtual.CLIENT, Virtual.SERVER);
            if (loss > 0) {
                assertTrue(up.dropped() > 0 && p.client().stats().snapshot().retransSegs() > 0, up.toString());
            }
            if (dup > 0 && cipher == null) {
                assertTrue(up.duplicated() > 0 && s.stats().snapshot().repeatSegs() > 0, up.toString());
            } else if (dup > 0) {
                // byte-identical copies carry the same nonce: the replay filter drops them before KCP sees them
                assertTrue(up.duplicated() > 0 && NetStats.global().get(SnmpField.IN_REPLAYS) > replays,
                        up.toString());
            }
            assertEquals(0, s.stats().snapshot().inCsumErrors());
        }
    }

    @Test
    void shouldReplayTheSameDatagramsFromTheSameSeed() throws Exception {
        long[] digests = new long[2];
        for (int run = 0; run < 2; run++) {
            VirtualNetwork net = new VirtualNetwork(77);
            net.link(Virtual.CLIENT, Virtual.SERVER, 10, 5, 50, 5, true);
            SessionOptions o = FAST.toBuilder().fec(10, 3).build();
            try (Virtual.Pair p = Virtual.Pair.open(net, o)) {
                KcpSession s = p.accept();
                byte[] data = SessionIT.random(5, 100_000);
                assertArrayEquals(data, Virtual.transfer(net, p.client(), s, data, 4096, 60_000));
                digests[run] = net.linkFrom(Virtual.CLIENT, Virtual.SERVER).sentDigest()
                        ^ net.linkFrom(Virtual.SERVER, Virtual.CLIENT).sentDigest();
            }
        }
        // Same seed, same calls: both ends sent the same bytes at the same virtual times (without crypto: its nonces
        // come from a random source).
        assertEquals(digests[0], digests[1]);
    }

    @Test
    void shouldSetSocketOptionsBeforeTheBindAndServeOverAUdpTransport() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        boolean[] configured = {false};
        UdpTransport t = UdpTransport.bind(loopback, ch -> {
            assertEquals(null, ch.getLocalAddress(), "configured before the bind");
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            configured[0] = true;
        });
        assertTrue(configured[0]);
        int[] dialControls = {0};
        try (KcpListener l = Kcps.serve(t, FAST);
             KcpSession c = Kcps.dial(UdpTransport.bind(loopback, SocketControl.NONE), l.localAddress(), 9, FAST);
             KcpSession d = Kcps.dial(l.localAddress(), FAST, ch -> {
                 assertEquals(null, ch.getLocalAddress(), "configured before the bind");
                 dialControls[0]++;
             })) {
            SessionIT.echoServer(l);
            byte[] data = SessionIT.random(9, 50_000);
            assertArrayEquals(data, SessionIT.roundTrip(c, data, 5000));
            assertEquals(9, c.conv());
            assertArrayEquals(data, SessionIT.roundTrip(d, data, 5000));
            assertEquals(1, dialControls[0]);
        }
        assertThrows(IllegalStateException.class, () -> t.start(new DatagramTransport.Receiver() {
            @Override
            public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
            }

            @Override
            public void onReceiveFailed(java.io.IOException e) {
            }
        }, ReceiveThreadKind.PLATFORM), "a closed transport does not start again");
    }

    @Test
    void shouldRejectSocketSettersOnAListenerOverAnotherTransport() {
        VirtualNetwork net = new VirtualNetwork(1);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), FAST, net.context())) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> l.setDscp(10));
            assertTrue(e.getMessage().contains("cannot set a DSCP: override DatagramTransport.setDscp"),
                    e.getMessage());
            e = assertThrows(UnsupportedOperationException.class, () -> l.setSocketBuffers(1 << 20, 0));
            assertTrue(e.getMessage().contains("cannot set socket buffers"), e.getMessage());
            assertFalse(KcpContext.shared().isManual());
            assertThrows(IllegalStateException.class, () -> KcpContext.shared().runDue());
        }
    }
}
