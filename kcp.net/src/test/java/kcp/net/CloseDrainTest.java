package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.net.testing.VirtualNetwork;

/**
 * A session's last datagrams leave even when another thread is sending when it closes. A session's datagrams go out
 * through one drainer at a time; close() used to try to drain, give up at once because another thread (an updater
 * tick, a writer) held the drain, and then discard what was still queued. A server that wrote a last reply and
 * closed could lose that reply (seen as a rare {@code LineExampleTest} failure under load).
 */
@Timeout(60)
class CloseDrainTest {
    /** A virtual endpoint whose second send blocks until released, so that its sender holds the drain. */
    static final class Gate extends ForwardingTransport {
        final CountDownLatch blockedSendEntered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger sends = new AtomicInteger();

        Gate(DatagramTransport inner) {
            super(inner);
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            if (sends.getAndIncrement() == 1) {
                blockedSendEntered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("gate interrupted");
                }
            }
            super.send(datagram, to);
        }
    }

    @Test
    void shouldSendWhatWasQueuedBeforeCloseWhileAnotherThreadIsSending() throws Exception {
        VirtualNetwork net = new VirtualNetwork(9);
        Gate gate = new Gate(net.endpoint(Virtual.CLIENT));
        // nobody listens at SERVER: every datagram is one the session sends, none is an answer
        KcpSession c = Kcps.dial(gate, Virtual.SERVER, 1, SessionIT.FAST, net.context());

        c.write(new byte[] {1}); // datagram 0, sent at once
        // The updater tick that resends it (nobody acknowledges) runs on this thread: its drain blocks in the gate.
        CompletableFuture<Void> ticking = CompletableFuture.runAsync(() -> net.advance(300),
                r -> Thread.ofPlatform().start(r));
        assertTrue(gate.blockedSendEntered.await(20, TimeUnit.SECONDS), "a resend reached the transport");

        c.write(new byte[] {2}); // queued; its writer finds the drain taken and leaves it to the first thread
        CompletableFuture<Void> closing = new CompletableFuture<>();
        Thread closer = Thread.ofPlatform().start(() -> {
            c.close();
            closing.complete(null);
        });
        // Release the first sender only once close() either returned (it gave the queue up) or waits for that
        // sender to finish (TxQueue.drainBeforeClose on the closer's stack).
        while (!closing.isDone() && !waitsForTheOtherSender(closer)) {
            Thread.onSpinWait();
        }
        gate.release.countDown();
        closing.get(20, TimeUnit.SECONDS);
        ticking.get(20, TimeUnit.SECONDS);

        assertEquals(3, gate.sends.get(), "the datagram written before close() was sent, not discarded: "
                + gate.sends.get() + " sends");
    }

    private static boolean waitsForTheOtherSender(Thread closer) {
        for (StackTraceElement e : closer.getStackTrace()) {
            if (e.getMethodName().equals("drainBeforeClose")) {
                return true;
            }
        }
        return false;
    }
}
