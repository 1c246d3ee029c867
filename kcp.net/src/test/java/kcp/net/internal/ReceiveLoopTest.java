package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import kcp.net.ReceiveThreadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReceiveLoopTest {
    @Test
    @Timeout(30)
    void shouldCountEveryHandlerFailureButLogAtMostOnce() throws Exception {
        int n = 300;
        CountDownLatch thrown = new CountDownLatch(n);
        CountDownLatch healthy = new CountDownLatch(1);
        ReceiveLoop.Handler handler = new ReceiveLoop.Handler() {
            @Override
            public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
                if (buf[0] == 1) {
                    healthy.countDown();
                    return;
                }
                thrown.countDown();
                throw new IllegalStateException("handler bug on every datagram");
            }

            @Override
            public void onReceiveFailed(IOException e) {
            }
        };
        long failures = ReceiveLoop.handlerFailures();
        long reports = ReceiveLoop.HANDLER_FAILURE_LOG.reports();
        try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel tx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            ReceiveLoop loop = ReceiveLoop.start(rx, handler, ReceiveThreadKind.PLATFORM, "kcp-rx-test");
            try {
                InetSocketAddress to = (InetSocketAddress) rx.getLocalAddress();
                // loopback may drop a burst that outruns the loop: send until every failure was seen
                while (!thrown.await(1, TimeUnit.MILLISECONDS)) {
                    tx.send(ByteBuffer.wrap(new byte[] {0}), to);
                }
                while (!healthy.await(10, TimeUnit.MILLISECONDS)) {
                    tx.send(ByteBuffer.wrap(new byte[] {1}), to);
                }
            } finally {
                loop.stop(true);
            }
        }
        assertTrue(ReceiveLoop.handlerFailures() - failures >= n, "every failure counted");
        assertTrue(ReceiveLoop.HANDLER_FAILURE_LOG.reports() - reports <= 1, "one ERROR line a minute at most");
        assertEquals(0, healthy.getCount(), "the loop survived them all");
    }
}
