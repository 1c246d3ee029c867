package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import kcp.smux.internal.Frames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One session against a hand-driven peer ({@link RawPeer}) over an in-memory pipe, keepalive in virtual time:
 * the exact frames smux expects (NOP, UPD values, window limits, round robin) and every kind of bad input.
 */
@Timeout(60)
class SmuxProtocolTest {
    private static final int PIPE = 256 * 1024;

    private ManualScheduler clock;
    private MemoryPipe.End peerEnd;

    private SmuxSession server(SmuxConfig c, int backlog) {
        ByteChannel[] p = MemoryPipe.pair(PIPE);
        clock = new ManualScheduler();
        peerEnd = (MemoryPipe.End) p[1];
        return Sessions.server(p[0], c, clock, backlog);
    }

    private SmuxSession client(SmuxConfig c) {
        ByteChannel[] p = MemoryPipe.pair(PIPE);
        clock = new ManualScheduler();
        peerEnd = (MemoryPipe.End) p[1];
        return Sessions.client(p[0], c, clock);
    }

    // ------------------------------------------------------------------ keepalive

    @Test
    void shouldSendNopEveryIntervalAndCloseAfterASilentTimeout() throws Exception {
        SmuxSession s = server(SmuxConfig.defaults(), 16);
        RawPeer peer = new RawPeer(peerEnd);
        peer.send(1, Frames.SYN, 1, new byte[0]);
        SmuxStream st = s.acceptStream();
        CompletableFuture<Object> read = new CompletableFuture<>();
        Thread r = Thread.ofVirtual().start(() -> SmuxSessionTest.complete(read, () -> st.read(ByteBuffer.allocate(1))));

        clock.advance(Duration.ofSeconds(10));
        assertEquals(new RawPeer.Frame(1, Frames.NOP, 0, new byte[0]).toString().replaceAll("@\\w+", ""),
                peer.read().toString().replaceAll("@\\w+", ""));
        clock.advance(Duration.ofSeconds(20)); // t=30 s: the SYN arrived in this period, so the session lives
        assertFalse(s.isClosed());
        peer.send(1, Frames.NOP, 0, new byte[0]);
        SmuxSessionTest.waitUntil(() -> peerEnd.pendingOut() == 0);
        clock.advance(Duration.ofSeconds(30)); // t=60 s: the NOP arrived in this period
        assertFalse(s.isClosed());
        clock.advance(Duration.ofSeconds(29)); // t=89 s: silent, but not yet a whole period checked
        assertFalse(s.isClosed());
        clock.advance(Duration.ofSeconds(1)); // t=90 s: a whole period of silence
        SmuxSessionTest.assertMessage(read,
                "smux session closed: keepalive timeout: nothing received from the peer for 30000 ms");
        r.join();
        assertTrue(s.isClosed());
        assertEquals("keepalive timeout: nothing received from the peer for 30000 ms", s.closeReason());
    }

    @Test
    void shouldNotTimeOutWhileWaitingForTheApplicationToRead() throws Exception {
        SmuxSession s = server(SmuxConfig.defaults().withBuffers(4096, 4096), 16);
        RawPeer peer = new RawPeer(peerEnd);
        peer.send(1, Frames.SYN, 1, new byte[0]);
        peer.send(1, Frames.PSH, 1, new byte[5000]);
        SmuxStream st = s.acceptStream();
        SmuxSessionTest.waitUntil(() -> st.inputStream().available() == 5000);
        clock.advance(Duration.ofSeconds(120));
        assertFalse(s.isClosed(), "the budget is spent: the reader waits for the application, as in smux");
        assertEquals(5000, st.inputStream().readNBytes(5000).length);
        s.close();
    }

    // ------------------------------------------------------------------ bad input

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong version | 1 | 02 02 00 00 01 00 00 00 | invalid protocol: version byte 2, this session speaks smux version 1",
        "unknown cmd | 1 | 01 07 00 00 01 00 00 00 | invalid protocol: unknown cmd 7",
        "UPD under v1 | 1 | 01 04 08 00 01 00 00 00 00 00 00 00 00 00 00 00 | invalid protocol: UPD frame in a version 1 session",
        "UPD of 4 bytes | 2 | 02 04 04 00 01 00 00 00 00 00 00 00 | invalid protocol: UPD frame with 4 bytes of data (must be 8)",
        "SYN with data | 2 | 02 00 01 00 01 00 00 00 ff | invalid protocol: SYN frame with 1 bytes of data (must be 0)",
        "SYN with our parity | 1 | 01 00 00 00 02 00 00 00 | invalid protocol: SYN for stream id 2 from the client, whose ids are odd and not 0",
        "SYN for stream 0 | 1 | 01 00 00 00 00 00 00 00 | invalid protocol: SYN for stream id 0 from the client, whose ids are odd and not 0",
    })
    void shouldCloseTheSessionNamingTheViolation(String name, int version, String hex, String reason)
            throws Exception {
        SmuxSession s = server(SmuxConfig.defaults().withVersion(version), 16);
        CompletableFuture<Object> accept = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> SmuxSessionTest.complete(accept, s::acceptStream));
        new RawPeer(peerEnd).sendRaw(java.util.HexFormat.ofDelimiter(" ").parseHex(hex));
        SmuxSessionTest.assertMessage(accept, "smux session closed: " + reason);
        assertEquals(reason, s.closeReason());
        assertThrows(IOException.class, s::openStream);
    }

    @Test
    void shouldCloseWhenAFrameIsLongerThanTheData() throws Exception {
        SmuxSession s = server(SmuxConfig.defaults(), 16);
        RawPeer peer = new RawPeer(peerEnd);
        peer.send(1, Frames.SYN, 1, new byte[0]);
        SmuxStream st = s.acceptStream();
        peer.sendRaw(new byte[] {1, Frames.PSH, 100, 0, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        peerEnd.close();
        byte[] got = new byte[10];
        assertEquals(10, st.read(ByteBuffer.wrap(got)), "the bytes before the cut are delivered");
        IOException e = assertThrows(IOException.class, () -> st.read(ByteBuffer.allocate(1)));
        assertEquals("smux session closed: truncated frame: PSH length 100 past the end of the underlying channel"
                + " (ended after 10 bytes)", e.getMessage());
    }

    @Test
    void shouldDropAndCountFramesForUnknownStreamsAndDuplicateSyns() throws Exception {
        SmuxSession s = server(SmuxConfig.defaults().withVersion(2), 16);
        RawPeer peer = new RawPeer(peerEnd);
        peer.send(2, Frames.PSH, 99, new byte[1000]);
        peer.send(2, Frames.FIN, 77, new byte[0]);
        ByteBuffer upd = ByteBuffer.allocate(16);
        Frames.putUpd(upd, 2, 55, 0, 65536);
        peer.sendRaw(upd.array());
        peer.send(2, Frames.SYN, 1, new byte[0]);
        peer.send(2, Frames.SYN, 1, new byte[0]);
        peer.send(2, Frames.PSH, 1, "ok".getBytes());
        SmuxStream st = s.acceptStream();
        assertEquals("ok", new String(st.inputStream().readNBytes(2)));
        assertEquals(new SmuxCounters(3, 1000, 1, 0), s.counters());
        assertFalse(s.isClosed());
        assertEquals(1, s.numStreams());
        s.close();
    }

    @Test
    void shouldRefuseStreamsBeyondTheBacklogWithAFin() throws Exception {
        SmuxSession s = server(SmuxConfig.defaults(), 4);
        RawPeer peer = new RawPeer(peerEnd);
        for (int sid = 1; sid <= 11; sid += 2) {
            peer.send(1, Frames.SYN, sid, new byte[0]);
        }
        RawPeer.Frame f1 = peer.readUntil(Frames.FIN);
        RawPeer.Frame f2 = peer.readUntil(Frames.FIN);
        assertEquals(List.of(9, 11), List.of(f1.sid(), f2.sid()));
        assertEquals(4, s.numStreams());
        assertEquals(2, s.counters().refusedStreams());
        peer.send(1, Frames.PSH, 9, new byte[10]);
        for (int sid = 1; sid <= 7; sid += 2) {
            assertEquals(sid, s.acceptStream().id());
        }
        SmuxSessionTest.waitUntil(() -> s.counters().droppedBytes() == 10);
        assertEquals(0, s.counters().unknownStreamFrames(), "stream 9 existed (refused): its data is late, not unknown");
        s.close();
    }

    @Test
    void shouldCloseWhenThePeerClaimsToHaveConsumedMoreThanSent() throws Exception {
        SmuxSession s = client(SmuxConfig.defaults().withVersion(2));
        RawPeer peer = new RawPeer(peerEnd);
        SmuxStream st = s.openStream();
        st.write(ByteBuffer.wrap(new byte[100]));
        ByteBuffer upd = ByteBuffer.allocate(16);
        Frames.putUpd(upd, 2, st.id(), 101, 65536);
        peer.sendRaw(upd.array());
        IOException e = assertThrows(IOException.class, () -> st.read(ByteBuffer.allocate(1)));
        assertEquals("smux session closed: invalid protocol: UPD for stream 3 says the peer consumed 101 bytes, more"
                + " than the 100 sent (smux ErrConsumed)", e.getMessage());
    }

    // ------------------------------------------------------------------ flow control

    @Test
    void shouldStopReadingTheChannelWhileTheVersion1BudgetIsSpent() throws Exception {
        int budget = 64 * 1024;
        SmuxSession s = server(SmuxConfig.defaults().withBuffers(budget, budget), 16);
        RawPeer peer = new RawPeer(peerEnd);
        byte[] all = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(all);
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                peer.send(1, Frames.SYN, 1, new byte[0]);
                for (int off = 0; off < all.length; off += 16384) {
                    peer.send(1, Frames.PSH, 1, java.util.Arrays.copyOfRange(all, off, off + 16384));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        SmuxStream st = s.acceptStream();
        // the pipe fills up because the session stops reading it
        SmuxSessionTest.waitUntil(() -> peerEnd.pendingOut() == PIPE && st.inputStream().available() >= budget);
        int buffered = st.inputStream().available();
        assertTrue(buffered >= budget && buffered <= budget + 16384, "buffered " + buffered);
        assertTrue(sender.isAlive());
        byte[] got = st.inputStream().readNBytes(all.length);
        assertArrayEquals(all, got);
        sender.join();
        s.close();
    }

    @Test
    void shouldSendWindowUpdatesExactlyAsSmux() throws Exception {
        SmuxSession s = server(SmuxConfig.defaults().withVersion(2).withBuffers(1 << 20, 65536), 16);
        RawPeer peer = new RawPeer(peerEnd);
        peer.send(2, Frames.SYN, 1, new byte[0]);
        peer.send(2, Frames.PSH, 1, new byte[1000]);
        SmuxStream st = s.acceptStream();
        SmuxSessionTest.waitUntil(() -> st.inputStream().available() == 1000);
        assertEquals(100, st.read(ByteBuffer.allocate(100)));
        RawPeer.Frame first = peer.readUntil(Frames.UPD);
        assertEquals(List.of(1, 100, 65536), List.of(first.sid(), first.consumed(), first.window()),
                "the first read is announced");
        assertEquals(900, st.read(ByteBuffer.allocate(900)));
        peer.send(2, Frames.PSH, 1, new byte[40000]);
        SmuxSessionTest.waitUntil(() -> st.inputStream().available() == 40000);
        for (int i = 0; i < 4; i++) {
            assertEquals(8192, st.read(ByteBuffer.allocate(8192)));
        }
        // 900 + 4 * 8192 = 33668 >= 65536 / 2 since the last update: announce 100 + 900 + 32768
        RawPeer.Frame second = peer.readUntil(Frames.UPD);
        assertEquals(List.of(1, 33768, 65536), List.of(second.sid(), second.consumed(), second.window()));
        s.close();
    }

    @Test
    void shouldSendNoMoreThanThePeersWindow() throws Exception {
        SmuxSession s = client(SmuxConfig.defaults().withVersion(2));
        RawPeer peer = new RawPeer(peerEnd);
        SmuxStream st = s.openStream();
        byte[] data = new byte[307200];
        new Random(3).nextBytes(data);
        CompletableFuture<Object> write = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> SmuxSessionTest.complete(write, () -> st.write(ByteBuffer.wrap(data))));
        assertEquals(Frames.SYN, peer.read().cmd());
        List<Integer> sizes = new ArrayList<>();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        while (got.size() < Frames.INITIAL_PEER_WINDOW) {
            RawPeer.Frame f = peer.readUntil(Frames.PSH);
            got.write(f.data());
        }
        assertEquals(Frames.INITIAL_PEER_WINDOW, got.size(), "the initial window is 256 KiB, as in smux");
        ByteBuffer upd = ByteBuffer.allocate(16);
        Frames.putUpd(upd, 2, st.id(), 262144, 10000);
        peer.sendRaw(upd.array());
        RawPeer.Frame f = peer.readUntil(Frames.PSH);
        assertEquals(10000, f.data().length, "exactly the window the peer granted");
        got.write(f.data());
        assertFalse(write.isDone());
        Frames.putUpd(upd.clear(), 2, st.id(), 272144, 65536);
        peer.sendRaw(upd.array());
        while (got.size() < data.length) {
            RawPeer.Frame g = peer.readUntil(Frames.PSH);
            sizes.add(g.data().length);
            got.write(g.data());
        }
        assertEquals(List.of(32768, 2288), sizes);
        assertEquals(data.length, write.get());
        assertArrayEquals(data, got.toByteArray());
        s.close();
    }

    @Test
    void shouldReturnAPartialWriteWhenTheTimeoutPassesWhileTheWindowIsFull() throws Exception {
        SmuxSession s = client(SmuxConfig.defaults().withVersion(2));
        RawPeer peer = new RawPeer(peerEnd);
        SmuxStream st = s.openStream();
        st.setWriteTimeout(Duration.ofMillis(200));
        ByteBuffer src = ByteBuffer.allocate(300_000);
        CompletableFuture<Object> write = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> SmuxSessionTest.complete(write, () -> st.write(src)));
        int got = 0;
        while (got < Frames.INITIAL_PEER_WINDOW) {
            got += peer.readUntil(Frames.PSH).data().length;
        }
        assertEquals(Frames.INITIAL_PEER_WINDOW, write.get(), "the bytes the window allowed, then the timeout");
        assertEquals(Frames.INITIAL_PEER_WINDOW, src.position());
        st.setWriteTimeout(null);
        java.net.SocketTimeoutException e = assertThrows(java.net.SocketTimeoutException.class, () -> {
            st.setWriteTimeout(Duration.ofMillis(50));
            st.write(ByteBuffer.allocate(10));
        });
        assertTrue(e.getMessage().contains("the peer's window is full"), e.getMessage());
        s.close();
    }

    @Test
    void shouldSendOneFinForShutdownOutputThenClose() throws Exception {
        SmuxSession s = client(SmuxConfig.defaults());
        RawPeer peer = new RawPeer(peerEnd);
        SmuxStream st = s.openStream();
        st.shutdownOutput();
        st.shutdownOutput();
        st.close();
        assertEquals(List.of(Frames.SYN, Frames.FIN), List.of(peer.read().cmd(), peer.read().cmd()));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Frames.NOP, peer.read().cmd(), "the next frame is the keepalive, not a second FIN");
        s.close();
    }

    @Test
    void shouldInterleaveStreamsRoundRobin() throws Exception {
        SmuxSession s = client(SmuxConfig.defaults());
        RawPeer peer = new RawPeer(peerEnd);
        SmuxStream a = s.openStream();
        SmuxStream b = s.openStream();
        // fill the pipe so that both writes are queued while the writer is blocked
        SmuxStream filler = s.openStream();
        Thread tf = Thread.ofVirtual().start(() -> writeQuietly(filler, PIPE + 65536));
        SmuxSessionTest.waitUntil(() -> peerEnd.pendingIn() == PIPE);
        Thread ta = Thread.ofVirtual().start(() -> writeQuietly(a, 20 * 32768));
        Thread tb = Thread.ofVirtual().start(() -> writeQuietly(b, 20 * 32768));
        SmuxSessionTest.waitUntil(() -> ta.getState() == Thread.State.WAITING && tb.getState() == Thread.State.WAITING);
        StringBuilder order = new StringBuilder();
        int seen = 0;
        while (seen < 40) {
            RawPeer.Frame f = peer.readUntil(Frames.PSH);
            if (f.sid() == a.id() || f.sid() == b.id()) {
                order.append(f.sid() == a.id() ? 'a' : 'b');
                seen++;
            }
        }
        ta.join();
        tb.join();
        tf.join();
        String o = order.toString();
        String middle = o.substring(o.indexOf('b') < o.indexOf('a') ? o.indexOf('a') : o.indexOf('b'));
        middle = middle.substring(0, Math.min(middle.length(), 30));
        assertFalse(middle.contains("aa") || middle.contains("bb"), o);
        s.close();
    }

    private static void writeQuietly(SmuxStream s, int n) {
        try {
            s.write(ByteBuffer.allocate(n));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
