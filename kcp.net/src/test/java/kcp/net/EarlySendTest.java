package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.core.wire.SegmentHeader;
import kcp.net.testing.VirtualNetwork;

/**
 * A flush that queues many datagrams sends them 32 at a time while it seals the rest, instead of after sealing all of
 * them (docs/decisions.md, "Early send"); small flushes are unchanged. The transport below notes, at every send, how
 * many segments the session's counters had taken over from KCP: KCP's segment count is copied to them once a flush
 * ends, so a send that sees 0 happened inside the first flush.
 */
@Timeout(60)
class EarlySendTest {
    /** Wraps a virtual endpoint and records the session's OutSegs at each send. */
    static final class Probe extends ForwardingTransport {
        final List<Long> outSegsAtSend = new CopyOnWriteArrayList<>();
        volatile KcpSession session;

        Probe(DatagramTransport inner) {
            super(inner);
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            KcpSession s = session;
            outSegsAtSend.add(s == null ? -1 : s.stats().get(SnmpField.OUT_SEGS));
            super.send(datagram, to);
        }

        long sendsSeeing(long outSegs) {
            return outSegsAtSend.stream().filter(v -> v == outSegs).count();
        }
    }

    private static SessionOptions options() {
        return SessionOptions.builder().mode(KcpMode.FAST3).windowSize(512, 512).streamMode(true).build();
    }

    @Test
    void shouldSendALargeFlushAsItSealsAndDeliverEveryByte() throws Exception {
        VirtualNetwork net = new VirtualNetwork(7);
        try (KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), options(), net.context())) {
            Probe probe = new Probe(net.endpoint(Virtual.CLIENT));
            KcpSession c = Kcps.dial(probe, Virtual.SERVER, 1, options(), net.context());
            probe.session = c;
            // One byte first, so that the client learns the server's window (512) and the big write below goes out
            // in one flush rather than in the 32 segments KCP sends before it knows the peer's window.
            c.write(new byte[1]);
            KcpSession s = acceptAfter(net, l);
            s.read(new byte[1]);
            net.advance(50);
            assertEquals(0, c.waitSnd(), "the first byte is acknowledged");
            long base = c.stats().get(SnmpField.OUT_SEGS);
            probe.outSegsAtSend.clear();

            int mss = c.options().mtu() - SegmentHeader.OVERHEAD;
            byte[] data = new byte[100 * mss];
            new SplittableRandom(3).nextBytes(data);
            c.write(data); // one flush of 100 segments, all inside the window

            assertEquals(100, probe.outSegsAtSend.size(), "every segment went out during the write");
            assertEquals(96, probe.sendsSeeing(base), "three batches of 32 left while the flush was still sealing");
            assertEquals(4, probe.sendsSeeing(base + 100), "the last 4 after it, once the counters had the flush");

            byte[] got = new byte[data.length];
            int n = 0;
            while (n < got.length) {
                net.advance(10);
                while (s.available() > 0 && n < got.length) {
                    n += s.read(got, n, got.length - n);
                }
            }
            assertArrayEquals(data, got, "the early sends kept order and content");
            c.close();
        }
    }

    @Test
    void shouldSendASmallFlushAfterItEnds() throws Exception {
        VirtualNetwork net = new VirtualNetwork(8);
        Probe probe = new Probe(net.endpoint(Virtual.CLIENT));
        // nobody listens: only this write's flush sends anything
        KcpSession c = Kcps.dial(probe, Virtual.SERVER, 1, options(), net.context());
        probe.session = c;
        int mss = c.options().mtu() - SegmentHeader.OVERHEAD;
        c.write(new byte[31 * mss]);
        assertEquals(31, probe.outSegsAtSend.size());
        assertEquals(31, probe.sendsSeeing(31), "fewer than 32 datagrams: all sent after the flush, as before");
        assertTrue(c.isOpen());
        c.close();
    }

    private static KcpSession acceptAfter(VirtualNetwork net, KcpListener l) throws IOException {
        KcpSession s;
        while ((s = l.poll()) == null) {
            net.advance(1);
        }
        return s;
    }
}
