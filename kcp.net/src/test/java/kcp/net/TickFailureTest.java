package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import kcp.crypto.PacketSealer;
import kcp.net.internal.Updater;
import kcp.net.internal.jfr.SessionEvents;
import kcp.net.testing.VirtualNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session whose updater tick throws (here: its sealer, a user-supplied component, fails while the tick flushes an
 * ACK) is failed and closed with the cause; the shared updater and the other sessions go on.
 */
@Timeout(60)
class TickFailureTest {
    private static final byte[] KEY = new byte[16];

    @TempDir
    Path dir;

    /** An AES-GCM sealer that throws from seal() once {@code broken} is set. */
    static PacketSealer breakable(AtomicBoolean broken) {
        PacketSealer inner = PacketSealer.forName("aes-128-gcm", KEY);
        return new PacketSealer() {
            @Override
            public int headerSize() {
                return inner.headerSize();
            }

            @Override
            public int trailerSize() {
                return inner.trailerSize();
            }

            @Override
            public int seal(byte[] buf, int off, int payloadLen) {
                if (broken.get()) {
                    throw new IllegalStateException("sealer bug");
                }
                return inner.seal(buf, off, payloadLen);
            }

            @Override
            public int open(byte[] buf, int off, int len) {
                return inner.open(buf, off, len);
            }
        };
    }

    @Test
    void shouldFailAndCloseOnlyTheSessionWhoseTickThrew() throws Exception {
        long conv = 0xBAD7;
        VirtualNetwork net = new VirtualNetwork(41);
        AtomicBoolean broken = new AtomicBoolean();
        SessionOptions server = SessionOptions.builder().mode(KcpMode.FAST3)
                .sealerFactory(() -> breakable(new AtomicBoolean())).build();
        SessionOptions client = server.toBuilder().sealerFactory(() -> breakable(broken)).build();
        long failuresBefore = Updater.taskFailures();
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("kcp.SessionFailed");
            r.enable("kcp.SessionClosed");
            r.start();
            Await.until(SessionEvents::recording); // the first recording of a JVM sets kcp.net's events up
            KcpListener l = Kcps.serve(net.endpoint(Virtual.SERVER), server, net.context());
            KcpSession c = Kcps.dial(net.endpoint(Virtual.CLIENT), Virtual.SERVER, (int) conv, client,
                    net.context());
            KcpSession other = Kcps.dial(net.endpoint(VirtualNetwork.address(3)), Virtual.SERVER, 77, server,
                    net.context());
            c.write(new byte[] {1});
            other.write(new byte[] {2});
            assertTrue(net.runUntil(() -> l.sessionCount() == 2, 10_000));
            KcpSession s = l.accept(Duration.ofSeconds(10));
            KcpSession s2 = l.accept(Duration.ofSeconds(10));
            KcpSession toClient = s.conv() == (int) conv ? s : s2;
            KcpSession toOther = toClient == s ? s2 : s;
            assertTrue(net.runUntil(() -> toOther.available() > 0, 10_000));
            assertEquals(1, toOther.read(new byte[1]));

            broken.set(true);
            toClient.write(new byte[] {3}); // the client's ACK for it goes out at its next tick, and sealing throws
            assertTrue(net.runUntil(() -> !c.isOpen(), 10_000), "the failed tick closed the session");
            assertEquals(1, Updater.taskFailures() - failuresBefore);
            assertThrows(SocketException.class, () -> c.write(new byte[1]), "closed: Socket closed");

            byte[] echo = Virtual.transfer(net, other, toOther, new byte[] {4, 5, 6}, 3, 10_000);
            assertArrayEquals(new byte[] {4, 5, 6}, echo);
            assertTrue(net.runUntil(() -> toOther.available() == 0 && other.waitSnd() == 0, 10_000),
                    "the updater still runs the other sessions");
            assertFalse(!other.isOpen() || !toOther.isOpen());
            r.stop();
            other.close();
            l.close();
            Path file = dir.resolve("tick.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        RecordedEvent failed = events.stream().filter(e -> e.getEventType().getName().equals("kcp.SessionFailed")
                && e.getLong("conv") == conv).findFirst().orElseThrow();
        assertEquals("updater", failed.getString("kind"));
        assertTrue(failed.getString("cause").contains("failed in its updater tick: java.lang.IllegalStateException: "
                + "sealer bug"), failed.getString("cause"));
        assertEquals(IllegalStateException.class.getName(), failed.getClass("causeClass").getName());
        RecordedEvent closed = events.stream().filter(e -> e.getEventType().getName().equals("kcp.SessionClosed")
                && e.getLong("conv") == conv && e.getString("remote").equals(Virtual.SERVER.toString()))
                .findFirst().orElseThrow();
        assertEquals("updater", closed.getString("reason"));
        assertEquals(failed.getString("cause"), closed.getString("cause"));
    }
}
