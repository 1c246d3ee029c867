package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import kcp.core.wire.SegmentHeader;
import kcp.crypto.PacketSealer;
import org.junit.jupiter.api.Test;

/**
 * The attack generator itself ({@link HostileTraffic}): what it forges opens with the target's key and carries
 * exactly the segments issue 15 describes, forged sources are distinct, captured datagrams are replayed
 * byte-identical from new real ports. The hardening tests build on it.
 */
class HostileTrafficTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final SessionOptions AES = SessionIT.FAST.toBuilder().cipherWithPassphrase("aes", "hostile").build();

    /** A target that keeps copies of what it is given. */
    private record Recorder(List<byte[]> datagrams, List<Integer> sources) implements HostileTraffic.Target {
        Recorder() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        @Override
        public void send(byte[] buf, int len, int source) {
            datagrams.add(Arrays.copyOf(buf, len));
            sources.add(source);
        }
    }

    private static int open(PacketSealer rx, byte[] d) {
        int n = rx.open(d, 0, d.length);
        assertTrue(n >= 0, "the datagram opens with the target's key");
        return n;
    }

    @Test
    void shouldForgeDatalessSegmentsThatOpenWithTheTargetsKey() throws Exception {
        HostileTraffic gen = new HostileTraffic(AES, 1);
        PacketSealer rx = AES.newSealer();
        Recorder r = new Recorder();
        gen.dataless(r, 10, 50, SegmentHeader.CMD_ACK, HostileTraffic.Pacer.unbounded());
        assertEquals(50, r.datagrams().size());
        Set<Integer> convs = new HashSet<>();
        for (byte[] d : r.datagrams()) {
            assertEquals(SegmentHeader.OVERHEAD, open(rx, d), "one segment, no data");
            int at = rx.headerSize();
            assertEquals(SegmentHeader.CMD_ACK, SegmentHeader.cmd(d, at));
            assertEquals(0, SegmentHeader.len(d, at));
            convs.add(SegmentHeader.conv(d, at));
        }
        assertEquals(50, convs.size(), "a conv per source");
        assertEquals(10, r.sources().get(0));
        assertEquals(59, r.sources().get(49));
        byte[] wask = new byte[1500];
        int len = gen.dataless(wask, 7, SegmentHeader.CMD_WASK);
        open(rx, wask = Arrays.copyOf(wask, len));
        assertEquals(SegmentHeader.CMD_WASK, SegmentHeader.cmd(wask, rx.headerSize()));
    }

    @Test
    void shouldFillTheWindowWithSnOneTo1023AndNeverSnZero() throws Exception {
        HostileTraffic gen = new HostileTraffic(AES, 2);
        PacketSealer rx = AES.newSealer();
        Recorder r = new Recorder();
        gen.windowFill(r, 0, 2, HostileTraffic.WINDOW_FILL_LAST_SN, 1000, HostileTraffic.Pacer.unbounded());
        assertEquals(2 * 1023, r.datagrams().size());
        for (int i = 0; i < r.datagrams().size(); i++) {
            byte[] d = r.datagrams().get(i);
            assertEquals(SegmentHeader.OVERHEAD + 1000, open(rx, d));
            int at = rx.headerSize();
            assertEquals(SegmentHeader.CMD_PUSH, SegmentHeader.cmd(d, at));
            assertEquals(1 + i % 1023, SegmentHeader.sn(d, at), "sn 1..1023, no sn 0");
            assertEquals(1000, SegmentHeader.len(d, at));
            assertEquals(i / 1023, r.sources().get(i));
        }
        int conv0 = SegmentHeader.conv(r.datagrams().get(0), rx.headerSize());
        assertEquals(conv0, SegmentHeader.conv(r.datagrams().get(1022), rx.headerSize()), "one conv per source");
    }

    @Test
    void shouldGiveAHundredThousandDistinctForgedSourcesAndReachTheListenerThroughItsHook() throws Exception {
        Set<InetSocketAddress> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            InetSocketAddress a = HostileTraffic.forgedSource(i);
            assertTrue(a.getAddress().isLoopbackAddress() && a.getPort() > 0, a.toString());
            seen.add(a);
        }
        assertEquals(100_000, seen.size());
        SessionOptions wrongKey = AES.toBuilder().cipherWithPassphrase("aes", "not the key").build();
        try (KcpListener l = Kcps.listen(LOOPBACK, AES)) {
            long csum = NetStats.global().get(SnmpField.IN_CSUM_ERRORS);
            new HostileTraffic(wrongKey, 3).windowFill(HostileTraffic.Target.hook(l), 0, 3, 100, 200,
                    HostileTraffic.Pacer.unbounded());
            assertTrue(NetStats.global().get(SnmpField.IN_CSUM_ERRORS) >= csum + 300,
                    "every mis-keyed datagram went through the listener's receive path and failed its CRC");
            assertEquals(0, l.sessionCount());
        }
    }

    @Test
    void shouldCaptureARealSessionAndReplayItByteIdenticalFromNewPorts() throws Exception {
        try (KcpListener l = Kcps.listen(LOOPBACK, AES)) {
            SessionIT.echoServer(l);
            List<byte[]> captured = HostileTraffic.captureEcho(l.localAddress(), AES, 8 * 1024, 64);
            assertFalse(captured.isEmpty());
            byte[] first = captured.get(0).clone();
            PacketSealer rx = AES.newSealer();
            open(rx, first);
            assertEquals(SegmentHeader.CMD_PUSH, SegmentHeader.cmd(first, rx.headerSize()));
            assertEquals(0, SegmentHeader.sn(first, rx.headerSize()), "the capture starts with the client's sn 0");
            try (DatagramChannel sink = DatagramChannel.open().setOption(java.net.StandardSocketOptions.SO_RCVBUF,
                    4 << 20).bind(LOOPBACK);
                 HostileTraffic.SocketTarget t = HostileTraffic.Target.sockets(
                         (InetSocketAddress) sink.getLocalAddress(), 4)) {
                long n = HostileTraffic.replay(t, captured, 0, 4, HostileTraffic.Pacer.unbounded());
                assertEquals(4L * captured.size(), n);
                ByteBuffer b = ByteBuffer.allocate(2048);
                Set<Integer> ports = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    b.clear();
                    InetSocketAddress from = (InetSocketAddress) sink.receive(b);
                    ports.add(from.getPort());
                    byte[] got = Arrays.copyOf(b.array(), b.position());
                    assertArrayEquals(captured.get(i % captured.size()), got, "replay " + i + " is byte-identical");
                }
                assertEquals(4, ports.size(), "each source is its own port");
                assertTrue(ports.contains(t.sourceAddress(3).getPort()));
            }
        }
    }
}
