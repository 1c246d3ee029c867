package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
import kcp.net.testing.VirtualNetwork;

/**
 * Issue 15, "a listener can go deaf": an {@link Error} thrown in the receive path (here an injected
 * {@link OutOfMemoryError} from the sealer) fails the listener or dialled session as a whole: every blocked accept,
 * read and write gets an exception that carries the Error, and close() still works.
 */
@Timeout(60)
class ReceiveFailureTest {
    static final byte[] KEY = KeyDerivation.keyFor("aes", KeyDerivation.kcptun("receive-failure"));
    static final SessionOptions AES = SessionIT.FAST.toBuilder().windowSize(32, 32).cipher("aes", KEY).build();

    /** Opens like the real sealer until armed, then throws the injected Error. */
    static final class Bomb implements PacketSealer {
        private final PacketSealer real = PacketSealer.forName("aes", KEY);
        private final boolean[] armed;

        Bomb(boolean[] armed) {
            this.armed = armed;
        }

        @Override
        public int headerSize() {
            return real.headerSize();
        }

        @Override
        public int trailerSize() {
            return real.trailerSize();
        }

        @Override
        public int seal(byte[] buf, int off, int payloadLen) {
            return real.seal(buf, off, payloadLen);
        }

        @Override
        public int open(byte[] buf, int off, int len) {
            if (armed[0]) {
                throw new OutOfMemoryError("injected by ReceiveFailureTest");
            }
            return real.open(buf, off, len);
        }
    }

    static SessionOptions bombed(boolean[] armed) {
        return AES.toBuilder().cipher(null, null).sealerFactory(() -> new Bomb(armed)).build();
    }

    /** Waits (without sleeping) until {@code f}'s thread has parked in a blocking call. */
    static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "thread " + t + " never blocked: " + t.getState());
            Thread.onSpinWait();
        }
    }

    /** Runs {@code call} on a new platform thread; returns its thread and result. */
    record Blocked(Thread thread, CompletableFuture<Object> result) {
        static Blocked start(java.util.concurrent.Callable<Object> call) {
            CompletableFuture<Object> f = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    f.complete(call.call());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            awaitBlocked(t);
            return new Blocked(t, f);
        }

        /** The failure, which must be an IOException whose cause chain holds the injected Error. */
        IOException failure() throws InterruptedException {
            ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(20, TimeUnit.SECONDS));
            IOException io = assertInstanceOf(IOException.class, e.getCause());
            assertTrue(causedByInjectedError(io), "the cause is carried: " + io);
            return io;
        }
    }

    static boolean causedByInjectedError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError && c.getMessage().contains("ReceiveFailureTest")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldFailEveryBlockedAcceptReadAndWriteOfAListenerWhoseReceivePathThrowsAnError() throws Exception {
        VirtualNetwork net = new VirtualNetwork(15);
        boolean[] armed = {false};
        KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), bombed(armed), net.context());
        KcpSession client = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, 1, AES, net.context());
        Virtual.Pair pair = new Virtual.Pair(net, l, client);
        KcpSession s = pair.accept();
        // fill the server session's send window without letting ACKs in, so that one more write blocks
        while (s.waitSnd() < s.options().sndWnd()) {
            s.write(new byte[100]);
        }
        Blocked accept = Blocked.start(l::accept);
        Blocked read = Blocked.start(() -> s.read(new byte[10]));
        Blocked write = Blocked.start(() -> s.write(new byte[100]));

        armed[0] = true;
        client.write(new byte[] {1});
        net.advance(50); // the Error is raised on this (the delivering) thread and must not escape

        accept.failure();
        read.failure();
        write.failure();
        assertTrue(causedByInjectedError(assertThrows(IOException.class, () -> l.accept(Duration.ofMillis(1)))),
                "later accepts fail with the cause too");
        assertTrue(causedByInjectedError(assertThrows(IOException.class, () -> s.read(new byte[1]))));
        net.advance(50); // later datagrams are ignored, nothing throws

        l.close();
        assertFalse(s.isOpen(), "close() still closes every session");
        assertThrows(SocketException.class, l::accept);
        assertEquals(0, l.sessionCount());
        client.close();
    }

    @Test
    void shouldFailABlockedReadOfADialledSessionWhoseReceivePathThrowsAnError() throws Exception {
        VirtualNetwork net = new VirtualNetwork(16);
        boolean[] armed = {false};
        KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), AES, net.context());
        KcpSession client = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, 1, bombed(armed),
                net.context());
        KcpSession s = new Virtual.Pair(net, l, client).accept();
        Blocked read = Blocked.start(() -> client.read(new byte[10]));
        armed[0] = true;
        s.write(new byte[] {7});
        net.advance(50);
        read.failure();
        assertTrue(causedByInjectedError(assertThrows(IOException.class, () -> client.write(new byte[1]))),
                "writes fail with the cause too");
        client.close();
        assertFalse(client.isOpen());
        l.close();
    }
}
