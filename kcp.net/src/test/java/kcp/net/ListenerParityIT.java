package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.net.testing.VirtualNetwork;

/**
 * kcp-go's {@code SetReadBuffer}/{@code SetWriteBuffer}/{@code SetDSCP} on listener and session, read back from the
 * real channel; where they do not apply, the exception says what to do instead.
 */
@Timeout(60)
class ListenerParityIT {
    static DatagramChannel channel() throws java.io.IOException {
        return DatagramChannel.open(StandardProtocolFamily.INET).bind(ListenerIT.LOOPBACK);
    }

    @Test
    void shouldSetTheListenerSocketOptionsOnItsChannel() throws Exception {
        try (DatagramChannel ch = channel(); KcpListener l = Kcps.serve(ch, SessionIT.FAST)) {
            l.setSocketBuffers(300_000, 200_000);
            int rcv = ch.getOption(StandardSocketOptions.SO_RCVBUF);
            assertTrue(rcv >= 300_000, "SO_RCVBUF " + rcv);
            assertTrue(ch.getOption(StandardSocketOptions.SO_SNDBUF) >= 200_000);
            l.setSocketBuffers(40_000, 0);
            assertNotEquals(rcv, ch.getOption(StandardSocketOptions.SO_RCVBUF), "set again, read back again");
            assertTrue(ch.getOption(StandardSocketOptions.SO_SNDBUF) >= 200_000, "0 leaves SO_SNDBUF alone");
            l.setDscp(46);
            assertEquals(46 << 2, ch.getOption(StandardSocketOptions.IP_TOS), "kcp-go: IPv4 TOS = dscp << 2");
            assertThrows(IllegalArgumentException.class, () -> l.setDscp(64));
            assertThrows(IllegalArgumentException.class, () -> l.setSocketBuffers(-1, 0));
        }
    }

    @Test
    void shouldSetADialledSessionsSocketOptionsAndRefuseThemOnAnAcceptedOne() throws Exception {
        try (KcpListener l = Kcps.listen(ListenerIT.LOOPBACK, SessionIT.FAST);
                DatagramChannel ch = channel();
                KcpSession c = Kcps.dial(UdpTransport.over(ch, true), l.localAddress(), 9, SessionIT.FAST)) {
            c.setSocketBuffers(250_000, 150_000);
            assertTrue(ch.getOption(StandardSocketOptions.SO_RCVBUF) >= 250_000);
            assertTrue(ch.getOption(StandardSocketOptions.SO_SNDBUF) >= 150_000);
            c.setDscp(10);
            assertEquals(40, ch.getOption(StandardSocketOptions.IP_TOS));
            c.write(new byte[] {1});
            KcpSession s = l.accept(Duration.ofSeconds(5));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.setDscp(10));
            assertTrue(e.getMessage().contains("set it on the listener"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> s.setSocketBuffers(1 << 16, 0));
        }
        var nowhere = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9);
        try (DatagramChannel shared = channel(); KcpSession c = Kcps.dial(shared, nowhere, 5, false, SessionIT.FAST)) {
            assertThrows(IllegalStateException.class, () -> c.setDscp(1), "a channel the session does not own");
        }
    }

    @Test
    void shouldSayWhatToDoWhenTheTransportCannotSetSocketOptions() {
        VirtualNetwork net = new VirtualNetwork(1);
        try (KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, 1, SessionIT.FAST,
                net.context())) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> c.setDscp(1));
            assertTrue(e.getMessage().contains("override DatagramTransport.setDscp"), e.getMessage());
            e = assertThrows(UnsupportedOperationException.class, () -> c.setSocketBuffers(1 << 16, 1 << 16));
            assertTrue(e.getMessage().contains("override DatagramTransport.setBuffers"), e.getMessage());
        }
    }
}
