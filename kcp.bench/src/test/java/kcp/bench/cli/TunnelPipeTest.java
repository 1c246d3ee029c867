package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TunnelPipe} between two real loopback TCP connections. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TunnelPipeTest {
    /** Both ends of one loopback TCP connection. */
    record Pair(SocketChannel outer, SocketChannel inner) {
    }

    static Pair pair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel outer = SocketChannel.open(server.getLocalAddress());
            return new Pair(outer, server.accept());
        }
    }

    static byte[] readAll(SocketChannel c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (c.read(buf) >= 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return out.toByteArray();
    }

    static void writeAll(SocketChannel c, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Test
    void shouldCopyBothWaysAndCarryHalfCloseEachWay() throws Exception {
        Pair x = pair();
        Pair y = pair();
        TunnelPipe pipe = new TunnelPipe(x.inner, x.inner::shutdownOutput, y.inner, y.inner::shutdownOutput);
        CompletableFuture<TunnelPipe.Totals> done = CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        byte[] request = new byte[3 << 20];
        new Random(7).nextBytes(request);
        CompletableFuture<byte[]> atY = CompletableFuture.supplyAsync(() -> {
            try {
                return readAll(y.outer);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        writeAll(x.outer, request);
        x.outer.shutdownOutput();
        // y saw every byte, then end of stream, while the other direction is still open
        assertArrayEquals(request, atY.get(20, TimeUnit.SECONDS));
        assertFalse(done.isDone(), "the pipe waits for the other direction");
        byte[] reply = "a reply written after the request's end".getBytes();
        writeAll(y.outer, reply);
        y.outer.shutdownOutput();
        assertArrayEquals(reply, readAll(x.outer));
        TunnelPipe.Totals t = done.get(20, TimeUnit.SECONDS);
        assertEquals(request.length, t.aToB());
        assertEquals(reply.length, t.bToA());
        assertNull(t.failure());
        assertFalse(x.inner.isOpen());
        assertFalse(y.inner.isOpen());
        x.outer.close();
        y.outer.close();
    }

    @Test
    void shouldCloseBothEndsWhenOneFails() throws Exception {
        Pair x = pair();
        Pair y = pair();
        TunnelPipe pipe = new TunnelPipe(x.inner, x.inner::shutdownOutput, y.inner, y.inner::shutdownOutput);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                pipe.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writeAll(x.outer, new byte[1000]);
        ByteBuffer got = ByteBuffer.allocate(1000);
        while (got.hasRemaining()) {
            assertTrue(y.outer.read(got) > 0);
        }
        // a reset (SO_LINGER 0) makes the pipe's read of x fail rather than end
        x.outer.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        x.outer.close();
        assertTrue(t.join(java.time.Duration.ofSeconds(20)), "pipe ended");
        assertEquals(-1, y.outer.read(ByteBuffer.allocate(10)), "y's connection closed by the pipe");
        assertFalse(y.inner.isOpen());
        y.outer.close();
    }

    @Test
    void shouldReuseItsDirectBuffersAcrossConnections() throws Exception {
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        // one connection first, so that the pool holds this test's two buffers whatever ran before
        shortConnection();
        long before = direct.getCount();
        for (int i = 0; i < 40; i++) {
            shortConnection();
        }
        assertTrue(direct.getCount() - before <= 2, "40 connections allocated "
                + (direct.getCount() - before) + " direct buffers");
    }

    private static void shortConnection() throws Exception {
        Pair x = pair();
        Pair y = pair();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                new TunnelPipe(x.inner, x.inner::shutdownOutput, y.inner, y.inner::shutdownOutput).run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writeAll(x.outer, new byte[] {1, 2, 3});
        x.outer.shutdownOutput();
        assertArrayEquals(new byte[] {1, 2, 3}, readAll(y.outer));
        y.outer.shutdownOutput();
        assertEquals(0, readAll(x.outer).length);
        assertTrue(t.join(java.time.Duration.ofSeconds(10)));
        x.outer.close();
        y.outer.close();
    }
}
