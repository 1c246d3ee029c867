package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two sessions over an in-memory pipe: streams, FIN, close, concurrency, for smux versions 1 and 2. */
@Timeout(60)
class SmuxSessionTest {

    static SmuxConfig config(int version) {
        return SmuxConfig.defaults().withVersion(version);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void shouldNumberStreamsAsSmuxClientOddFromThreeServerEvenFromTwo(int v) throws Exception {
        SmuxSession[] s = Sessions.pair(config(v));
        try (SmuxSession client = s[0]; SmuxSession server = s[1]) {
            SmuxStream c1 = client.openStream();
            SmuxStream c2 = client.openStream();
            SmuxStream s1 = server.openStream();
            assertEquals(3, c1.id());
            assertEquals(5, c2.id());
            assertEquals(2, s1.id());
            assertEquals(3, server.acceptStream().id());
            assertEquals(5, server.acceptStream().id());
            assertEquals(2, client.acceptStream().id());
            assertEquals(3, client.numStreams());
            assertEquals(3, server.numStreams());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void shouldDeliverDataThenEndOfStreamAfterFinBothWays(int v) throws Exception {
        SmuxSession[] s = Sessions.pair(config(v));
        try (SmuxSession client = s[0]; SmuxSession server = s[1]) {
            SmuxStream c = client.openStream();
            c.write(ByteBuffer.wrap("hello".getBytes()));
            c.close();
            SmuxStream a = server.acceptStream();
            assertEquals("hello", new String(a.inputStream().readAllBytes()));
            assertEquals(-1, a.read(ByteBuffer.allocate(1)));
            assertTrue(a.isOpen(), "the peer's FIN half-closes; only close() closes");
            a.write(ByteBuffer.wrap("late".getBytes())); // the peer closed fully: dropped and counted there
            a.close();
            assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
            assertThrows(ClosedChannelException.class, () -> a.write(ByteBuffer.wrap(new byte[1])));

            // and the other way: the server opens, writes, closes
            SmuxStream so = server.openStream();
            so.outputStream().write("back".getBytes());
            so.close();
            SmuxStream ca = client.acceptStream();
            assertEquals("back", new String(ca.inputStream().readAllBytes()));
            ca.close();
            // "late" (and the server's FIN) reach a stream the client has closed: dropped, but not unknown
            waitUntil(() -> client.counters().droppedBytes() == 4);
            assertEquals(0, client.counters().unknownStreamFrames());
            waitUntil(() -> client.numStreams() == 0 && server.numStreams() == 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void shouldHalfCloseWithShutdownOutput(int v) throws Exception {
        SmuxSession[] s = Sessions.pair(config(v));
        try (SmuxSession client = s[0]; SmuxSession server = s[1]) {
            SmuxStream c = client.openStream();
            c.write(ByteBuffer.wrap("request".getBytes()));
            c.shutdownOutput();
            IOException e = assertThrows(IOException.class, () -> c.write(ByteBuffer.wrap(new byte[1])));
            assertEquals("smux stream 3: output was shut down (FIN sent)", e.getMessage());
            SmuxStream a = server.acceptStream();
            assertEquals("request", new String(a.inputStream().readAllBytes()), "then end of stream");
            a.outputStream().write("response".getBytes());
            a.close();
            assertEquals("response", new String(c.inputStream().readAllBytes()));
            c.close();
            waitUntil(() -> client.numStreams() == 0 && server.numStreams() == 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void shouldCarry100ConcurrentStreamsByteExact(int v) throws Exception {
        SmuxSession[] s = Sessions.pair(config(v).withBuffers(1 << 20, 65536));
        try (SmuxSession client = s[0]; SmuxSession server = s[1];
                ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> echo = ex.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    SmuxStream st = server.acceptStream();
                    ex.submit(() -> {
                        ByteBuffer b = ByteBuffer.allocate(8192);
                        while (st.read(b.clear()) >= 0) {
                            st.write(b.flip());
                        }
                        st.close();
                        return null;
                    });
                }
                return null;
            });
            List<Future<byte[]>> results = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] data = new byte[20_000 + i * 1_000];
                new Random(i).nextBytes(data);
                sent.add(data);
                SmuxStream st = client.openStream();
                ex.submit(() -> {
                    st.outputStream().write(data);
                    return null;
                });
                results.add(ex.submit(() -> {
                    InputStream in = st.inputStream();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] buf = new byte[5000];
                    while (got.size() < data.length) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        got.write(buf, 0, n);
                    }
                    st.close();
                    return got.toByteArray();
                }));
            }
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(sent.get(i), results.get(i).get(), "stream " + i);
            }
            echo.get();
        }
    }

    @Test
    void shouldFailBlockedCallsWithTheReasonWhenTheSessionCloses() throws Exception {
        SmuxSession[] s = Sessions.pair(config(1));
        SmuxSession client = s[0];
        SmuxSession server = s[1];
        SmuxStream c = client.openStream();
        SmuxStream a = server.acceptStream();
        java.util.concurrent.CompletableFuture<Object> read = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Object> accept = new java.util.concurrent.CompletableFuture<>();
        Thread r = Thread.ofVirtual().start(() -> complete(read, () -> a.read(ByteBuffer.allocate(10))));
        Thread t = Thread.ofVirtual().start(() -> complete(accept, server::acceptStream));
        waitUntil(() -> r.getState() == Thread.State.WAITING && t.getState() == Thread.State.WAITING);
        client.close();
        // the server learns by end of stream on its channel
        assertMessage(read, "smux session closed: the underlying channel reached end of stream");
        assertMessage(accept, "smux session closed: the underlying channel reached end of stream");
        assertTrue(server.isClosed());
        assertEquals(0, server.numStreams());
        IOException e = assertThrows(IOException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertEquals("smux session closed: closed by close()", e.getMessage());
        assertEquals("smux session closed: closed by close()",
                assertThrows(IOException.class, client::openStream).getMessage());
        client.close(); // idempotent
    }

    @Test
    void shouldTimeOutAcceptAndReadAndStayUsable() throws Exception {
        SmuxSession[] s = Sessions.pair(config(2));
        try (SmuxSession client = s[0]; SmuxSession server = s[1]) {
            assertThrows(SocketTimeoutException.class, () -> server.acceptStream(Duration.ofMillis(20)));
            SmuxStream c = client.openStream();
            SmuxStream a = server.acceptStream(Duration.ofSeconds(5));
            a.setReadTimeout(Duration.ofMillis(20));
            assertThrows(SocketTimeoutException.class, () -> a.read(ByteBuffer.allocate(4)));
            c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            a.setReadTimeout(null);
            ByteBuffer got = ByteBuffer.allocate(4);
            assertEquals(3, a.read(got));
        }
    }

    @Test
    void shouldFlushFinsQueuedBeforeSessionClose() throws Exception {
        SmuxSession[] s = Sessions.pair(config(1));
        try (SmuxSession server = s[1]) {
            SmuxSession client = s[0];
            SmuxStream c = client.openStream();
            c.write(ByteBuffer.wrap(new byte[] {7}));
            c.close();
            client.close();
            SmuxStream a = server.acceptStream();
            assertEquals(7, a.inputStream().read());
            assertEquals(-1, a.inputStream().read(), "FIN was flushed before the channel closed");
        }
    }

    static void assertMessage(Future<?> f, String expected) {
        Throwable t = assertThrows(java.util.concurrent.ExecutionException.class, f::get).getCause();
        assertTrue(t instanceof IOException, String.valueOf(t));
        assertEquals(expected, t.getMessage());
    }

    interface Call {
        Object call() throws Exception;
    }

    static void complete(java.util.concurrent.CompletableFuture<Object> f, Call c) {
        try {
            f.complete(c.call());
        } catch (Throwable e) {
            f.completeExceptionally(e);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitUntil(Check c) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
