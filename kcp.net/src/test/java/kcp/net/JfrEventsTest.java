package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import kcp.core.wire.SegmentHeader;
import kcp.net.internal.jfr.SessionEvents;
import kcp.net.testing.VirtualNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kcp.net's JFR events ({@code docs/observability.md}) recorded from sessions on the in-memory network in virtual
 * time: lifecycle events with their fields, the segment trace against the bytes on the wire, nothing from disabled
 * events, dead link and idle timeout. Events are filtered by conv and address, so other tests' sessions in the same
 * JVM cannot interfere.
 */
@Timeout(60)
class JfrEventsTest {
    private static final InetSocketAddress CLIENT = VirtualNetwork.address(31);
    private static final InetSocketAddress SERVER = VirtualNetwork.address(32);
    private static final SessionOptions OPTIONS = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(64, 64)
            .build();
    /** The shipped settings file that turns every kcp.net event on (the tests run in kcp.net/). */
    private static final Path TRACE_JFC = Path.of("..", "docs", "jfr", "kcp-trace.jfc");

    @TempDir
    Path dir;

    /** Starts {@code r} and waits until kcp.net records events (the first recording of a JVM sets them up). */
    private static void start(Recording r) throws InterruptedException {
        r.start();
        Await.until(SessionEvents::recording);
    }

    private List<RecordedEvent> stop(Recording r) throws IOException {
        r.stop();
        Path file = dir.resolve("r" + System.nanoTime() + ".jfr");
        r.dump(file);
        r.close();
        return RecordingFile.readAllEvents(file);
    }

    private static List<RecordedEvent> named(List<RecordedEvent> all, String name, long conv) {
        return all.stream().filter(e -> e.getEventType().getName().equals(name) && e.getLong("conv") == conv)
                .toList();
    }

    /**
     * Without a recording, a session's events must not wake Flight Recorder: the first event object of a class
     * registers it, and that builds JFR's metadata (0.2-0.3 s in a fresh JVM, on the thread that dials or accepts);
     * a recorder listener would initialise the recorder (25-30 ms). A child JVM, since this one records in the other
     * tests.
     */
    @Test
    void shouldLeaveFlightRecorderAsleepWhenNothingRecords() throws Exception {
        Path log = dir.resolve("classes.log");
        assertEquals("done", ChildJvm.run("kcp.net.JfrProbe", "-Xlog:class+load=info:file=" + log));
        String classes = Files.readString(log);
        assertTrue(classes.contains("kcp.net.internal.jfr.SessionEvents "), "the log lists kcp.net's classes");
        assertFalse(classes.contains("jdk.jfr.internal.MetadataRepository "), "JFR's metadata was built");
        assertFalse(classes.contains("jdk.jfr.internal.PlatformRecorder "), "JFR's recorder was initialised");
    }

    @Test
    void shouldRecordDialAcceptTransferCloseAndStatistics() throws Exception {
        long conv = 0xC0FFEE01L;
        VirtualNetwork net = new VirtualNetwork(31);
        List<RecordedEvent> events;
        long sent;
        try (Recording r = new Recording(Configuration.create(TRACE_JFC))) {
            r.enable("kcp.SessionStatistics").with("period", "endChunk");
            start(r);
            KcpListener l = Kcps.serve(net.endpoint(SERVER), OPTIONS, net.context());
            KcpSession c = Kcps.dial(net.endpoint(CLIENT), SERVER, (int) conv, OPTIONS, net.context());
            byte[] data = new byte[20_000];
            new java.util.Random(31).nextBytes(data);
            c.write(data, 0, 1);
            assertTrue(net.runUntil(() -> l.sessionCount() > 0, 10_000));
            KcpSession s = l.accept(Duration.ofSeconds(10));
            assertTrue(net.runUntil(() -> s.available() > 0, 10_000));
            s.read(new byte[1]);
            Virtual.transfer(net, c, s, java.util.Arrays.copyOfRange(data, 1, data.length), 1000, 30_000);
            net.advance(500); // the last ACKs
            sent = c.stats().get(SnmpField.BYTES_SENT);
            events = stop(r); // the statistics hook runs at the end of the chunk, while both sessions are open
            c.close();
            s.close();
            l.close();
        }
        RecordedEvent opened = single(named(events, "kcp.SessionOpened", conv));
        assertEquals(SERVER.toString(), opened.getString("remote"));
        assertEquals(CLIENT.toString(), opened.getString("local"));
        RecordedEvent accepted = single(named(events, "kcp.SessionAccepted", conv));
        assertEquals(CLIENT.toString(), accepted.getString("remote"));
        assertEquals(SERVER.toString(), accepted.getString("local"));
        assertTrue(accepted.getLong("embryonicMillis") >= 0);
        assertEquals(List.of("KCP", "Session"), opened.getEventType().getCategoryNames());

        List<RecordedEvent> stats = named(events, "kcp.SessionStatistics", conv);
        RecordedEvent clientStats = single(stats.stream().filter(e -> e.getString("remote").equals(SERVER.toString()))
                .toList());
        assertEquals(20_000, sent);
        assertEquals(sent, clientStats.getLong("bytesSent"));
        assertTrue(clientStats.getLong("srtt") > 0, "the client measured an RTT");
        assertTrue(clientStats.getLong("rto") >= clientStats.getLong("srtt"));
        assertEquals(64, clientStats.getInt("sndWnd"));
        long rmtWnd = clientStats.getLong("rmtWnd");
        assertTrue(rmtWnd > 0 && rmtWnd <= 64, "the server's last advertised free window: " + rmtWnd);
        assertEquals(0, clientStats.getLong("inFlight"), "everything was acknowledged");
        assertTrue(clientStats.getLong("outSegs") >= 20_000 / 1400);
        RecordedEvent serverStats = single(stats.stream().filter(e -> e.getString("remote").equals(CLIENT.toString()))
                .toList());
        assertEquals(20_000, serverStats.getLong("bytesReceived"));
        assertTrue(named(events, "kcp.SessionFailed", conv).isEmpty(), "nothing failed");
    }

    @Test
    void shouldRecordTheCloseReasonAndCounters() throws Exception {
        long conv = 0xC0FFEE02L;
        VirtualNetwork net = new VirtualNetwork(32);
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("kcp.SessionClosed");
            start(r);
            KcpListener l = Kcps.serve(net.endpoint(SERVER), OPTIONS, net.context());
            KcpSession c = Kcps.dial(net.endpoint(CLIENT), SERVER, (int) conv, OPTIONS, net.context());
            c.write(new byte[3000]);
            assertTrue(net.runUntil(() -> l.sessionCount() > 0, 10_000));
            KcpSession s = l.accept(Duration.ofSeconds(10));
            assertTrue(net.runUntil(() -> s.available() >= 1376, 10_000));
            net.advance(1234);
            c.close();
            l.close(); // closes the accepted session too
            events = stop(r);
        }
        List<RecordedEvent> closed = named(events, "kcp.SessionClosed", conv);
        assertEquals(2, closed.size());
        Map<String, RecordedEvent> byRemote = closed.stream().collect(Collectors.toMap(e -> e.getString("remote"),
                e -> e));
        RecordedEvent client = byRemote.get(SERVER.toString());
        assertEquals("application", client.getString("reason"));
        assertNull(client.getString("cause"));
        assertEquals(3000, client.getLong("bytesSent"));
        assertTrue(client.getLong("lifetimeMillis") >= 1234, "virtual lifetime " + client.getLong("lifetimeMillis"));
        assertEquals("listener-closed", byRemote.get(CLIENT.toString()).getString("reason"));
    }

    /** One segment as text: "cmd sn una frg wnd ts len" (plus " xmit" for the sender's view when asked). */
    private static String segment(String cmd, long sn, long una, long frg, long wnd, long ts, long len) {
        return cmd + " sn=" + sn + " una=" + una + " frg=" + frg + " wnd=" + wnd + " ts=" + ts + " len=" + len;
    }

    private static List<String> wireSegments(Collection<byte[]> datagrams, long conv) {
        String[] cmds = {"PUSH", "ACK", "WASK", "WINS"};
        List<String> out = new ArrayList<>();
        for (byte[] d : datagrams) {
            for (int pos = 0; d.length - pos >= SegmentHeader.OVERHEAD;
                    pos += SegmentHeader.OVERHEAD + SegmentHeader.len(d, pos)) {
                assertEquals(conv, Integer.toUnsignedLong(SegmentHeader.conv(d, pos)));
                out.add(segment(cmds[SegmentHeader.cmd(d, pos) - SegmentHeader.CMD_PUSH],
                        Integer.toUnsignedLong(SegmentHeader.sn(d, pos)),
                        Integer.toUnsignedLong(SegmentHeader.una(d, pos)), SegmentHeader.frg(d, pos),
                        SegmentHeader.wnd(d, pos), Integer.toUnsignedLong(SegmentHeader.ts(d, pos)),
                        SegmentHeader.len(d, pos)));
            }
        }
        Collections.sort(out);
        return out;
    }

    private static List<String> traced(List<RecordedEvent> events) {
        List<String> out = new ArrayList<>();
        for (RecordedEvent e : events) {
            out.add(segment(e.getString("cmd"), e.getLong("sn"), e.getLong("una"), e.getInt("frg"), e.getInt("wnd"),
                    e.getLong("ts"), e.getInt("len")));
        }
        Collections.sort(out);
        return out;
    }

    @Test
    void shouldTraceTheSegmentsOnTheWire() throws Exception {
        long conv = 0xC0FFEE03L;
        VirtualNetwork net = new VirtualNetwork(33);
        net.link(CLIENT, SERVER, 10, 5, 20, 0, false); // 10% loss: retransmissions too
        ReplayWiringTest.Recording clientWire = new ReplayWiringTest.Recording(net.endpoint(CLIENT));
        ReplayWiringTest.Recording serverWire = new ReplayWiringTest.Recording(net.endpoint(SERVER));
        List<RecordedEvent> events;
        try (Recording r = new Recording(Configuration.create(TRACE_JFC))) {
            start(r);
            KcpListener l = Kcps.serve(serverWire, OPTIONS, net.context());
            KcpSession c = Kcps.dial(clientWire, SERVER, (int) conv, OPTIONS, net.context());
            c.write(new byte[] {7});
            assertTrue(net.runUntil(() -> l.sessionCount() > 0, 10_000));
            KcpSession s = l.accept(Duration.ofSeconds(10));
            assertTrue(net.runUntil(() -> s.available() > 0, 10_000));
            s.read(new byte[1]);
            Virtual.transfer(net, c, s, new byte[50_000], 5000, 60_000);
            net.advance(2000); // the last ACKs
            events = stop(r);
            c.close();
            l.close();
        }
        List<RecordedEvent> clientOut = named(events, "kcp.SegmentOut", conv).stream()
                .filter(e -> e.getString("remote").equals(SERVER.toString())).toList();
        List<RecordedEvent> serverOut = named(events, "kcp.SegmentOut", conv).stream()
                .filter(e -> e.getString("remote").equals(CLIENT.toString())).toList();
        assertEquals(wireSegments(clientWire.sent, conv), traced(clientOut), "the client's SegmentOut events");
        assertEquals(wireSegments(serverWire.sent, conv), traced(serverOut), "the server's SegmentOut events");
        long resent = clientOut.stream().filter(e -> e.getInt("xmit") > 1).count();
        assertTrue(resent > 0, "10% loss made the client retransmit");
        assertTrue(clientOut.stream().allMatch(e -> e.getString("cmd").equals("PUSH") == (e.getInt("xmit") > 0)));
        List<RecordedEvent> serverIn = named(events, "kcp.SegmentIn", conv).stream()
                .filter(e -> e.getString("remote").equals(CLIENT.toString())).toList();
        assertTrue(wireSegments(clientWire.sent, conv).containsAll(traced(serverIn)), "the server got what was sent");
        assertTrue(serverIn.size() < clientOut.size(), "and not what the link lost");
        assertEquals(List.of("KCP", "Segment"), clientOut.get(0).getEventType().getCategoryNames());

        List<RecordedEvent> sends = named(events, "kcp.MessageSend", conv);
        assertEquals(50_001, sends.stream().mapToLong(e -> e.getInt("len")).sum(), "every byte written, once");
        List<RecordedEvent> recvs = named(events, "kcp.MessageRecv", conv);
        assertEquals(50_001, recvs.stream().mapToLong(e -> e.getInt("len")).sum(), "every byte read, once");
    }

    @Test
    void shouldStartTracingRunningSessionsWhenARecordingStartsLater() throws Exception {
        long conv = 0xC0FFEE07L;
        VirtualNetwork net = new VirtualNetwork(37);
        KcpListener l = Kcps.serve(net.endpoint(SERVER), OPTIONS, net.context());
        KcpSession c = Kcps.dial(net.endpoint(CLIENT), SERVER, (int) conv, OPTIONS, net.context());
        c.write(new byte[1]);
        assertTrue(net.runUntil(() -> l.sessionCount() > 0, 10_000));
        KcpSession s = l.accept(Duration.ofSeconds(10));
        Virtual.transfer(net, c, s, new byte[5000], 1000, 30_000);
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("kcp.SegmentOut");
            start(r); // both sessions exist already: their next tick installs the trace
            net.advance(200);
            Virtual.transfer(net, c, s, new byte[5000], 1000, 30_000);
            events = stop(r);
        }
        net.advance(200);
        Virtual.transfer(net, c, s, new byte[5000], 1000, 30_000); // the next tick removes it again
        c.close();
        l.close();
        long pushes = named(events, "kcp.SegmentOut", conv).stream().filter(e -> e.getString("cmd").equals("PUSH"))
                .filter(e -> e.getString("remote").equals(SERVER.toString())).mapToLong(e -> e.getInt("len")).sum();
        assertTrue(pushes >= 5000, "the client's data segments were traced: " + pushes + " bytes");
    }

    @Test
    void shouldRecordNoTraceEventsUnlessEnabled() throws Exception {
        long conv = 0xC0FFEE04L;
        VirtualNetwork net = new VirtualNetwork(34);
        List<RecordedEvent> events;
        try (Recording r = new Recording(Configuration.getConfiguration("default"))) {
            start(r);
            KcpListener l = Kcps.serve(net.endpoint(SERVER), OPTIONS, net.context());
            KcpSession c = Kcps.dial(net.endpoint(CLIENT), SERVER, (int) conv, OPTIONS, net.context());
            c.write(new byte[1]);
            assertTrue(net.runUntil(() -> l.sessionCount() > 0, 10_000));
            KcpSession s = l.accept(Duration.ofSeconds(10));
            Virtual.transfer(net, c, s, new byte[10_000], 1000, 30_000);
            c.close();
            l.close();
            events = stop(r);
        }
        for (String name : List.of("kcp.SegmentIn", "kcp.SegmentOut", "kcp.MessageSend", "kcp.MessageRecv",
                "kcp.SessionStatistics")) {
            assertTrue(named(events, name, conv).isEmpty(), name + " is off by default");
        }
        assertEquals(1, named(events, "kcp.SessionOpened", conv).size(), "lifecycle events are on by default");
        assertEquals(2, named(events, "kcp.SessionClosed", conv).size());
    }

    @Test
    void shouldRecordDeadLinkThroughARecordingStream() throws Exception {
        long conv = 0xC0FFEE05L;
        VirtualNetwork net = new VirtualNetwork(35);
        List<RecordedEvent> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch closed = new CountDownLatch(1);
        try (RecordingStream rs = new RecordingStream()) {
            for (String name : List.of("kcp.DeadLink", "kcp.SessionFailed", "kcp.SessionClosed")) {
                rs.enable(name);
                rs.onEvent(name, e -> {
                    if (e.getLong("conv") == conv) {
                        got.add(e);
                        if (name.equals("kcp.SessionClosed")) {
                            closed.countDown();
                        }
                    }
                });
            }
            rs.startAsync();
            Await.until(SessionEvents::recording);
            KcpSession c = Kcps.dial(net.endpoint(CLIENT), VirtualNetwork.address(99), (int) conv,
                    OPTIONS.toBuilder().deadLinkXmit(3).build(), net.context());
            c.write(new byte[100]);
            net.advance(10_000);
            assertFalse(c.isOpen() && c.waitSnd() == 0, "the segment is still unacknowledged");
            c.close();
            assertTrue(closed.await(30, TimeUnit.SECONDS), "the stream delivered the close");
        }
        RecordedEvent dead = single(got.stream().filter(e -> e.getEventType().getName().equals("kcp.DeadLink"))
                .toList());
        assertEquals("xmit", dead.getString("trigger"));
        assertEquals(3, dead.getLong("limit"));
        assertEquals(0, dead.getLong("sndUna"));
        assertEquals(1, dead.getLong("inFlight"));
        RecordedEvent failed = single(got.stream().filter(e -> e.getEventType().getName().equals("kcp.SessionFailed"))
                .toList());
        assertEquals("dead-link", failed.getString("kind"));
        assertTrue(failed.getString("cause").startsWith("dead link: a segment was sent 3 times"));
        RecordedEvent close = single(got.stream().filter(e -> e.getEventType().getName().equals("kcp.SessionClosed"))
                .toList());
        assertEquals("failed", close.getString("reason"));
        assertEquals(failed.getString("cause"), close.getString("cause"));
    }

    @Test
    void shouldRecordIdleTimeout() throws Exception {
        long conv = 0xC0FFEE06L;
        VirtualNetwork net = new VirtualNetwork(36);
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("kcp.IdleTimeout");
            r.enable("kcp.SessionFailed");
            start(r);
            try (KcpSession c = Kcps.dial(net.endpoint(CLIENT), VirtualNetwork.address(99), (int) conv,
                    OPTIONS.toBuilder().idleTimeout(Duration.ofMillis(400)).build(), net.context())) {
                net.advance(399);
                assertTrue(named(stopCopy(r), "kcp.IdleTimeout", conv).isEmpty(), "399 ms of silence: alive");
                net.advance(2);
            }
            events = stop(r);
        }
        RecordedEvent idle = single(named(events, "kcp.IdleTimeout", conv));
        assertEquals(400, idle.getLong("timeoutMillis"));
        assertTrue(idle.getLong("silenceMillis") > 400 && idle.getLong("silenceMillis") <= 402,
                "silence " + idle.getLong("silenceMillis"));
        assertEquals("idle-timeout", single(named(events, "kcp.SessionFailed", conv)).getString("kind"));
    }

    /** The events recorded so far, without stopping the recording. */
    private List<RecordedEvent> stopCopy(Recording r) throws IOException {
        Path file = dir.resolve("copy" + System.nanoTime() + ".jfr");
        try (Recording copy = r.copy(true)) {
            copy.dump(file);
        }
        return RecordingFile.readAllEvents(file);
    }

    @Test
    void shouldShipASettingsFileThatEnablesEveryEvent() throws Exception {
        assertTrue(Files.exists(TRACE_JFC), TRACE_JFC.toAbsolutePath().toString());
        Map<String, String> settings = Configuration.create(TRACE_JFC).getSettings();
        for (String name : List.of("kcp.SegmentIn", "kcp.SegmentOut", "kcp.MessageSend", "kcp.MessageRecv",
                "kcp.SessionOpened", "kcp.SessionAccepted", "kcp.SessionFailed", "kcp.DeadLink", "kcp.IdleTimeout",
                "kcp.SessionClosed", "kcp.SessionStatistics")) {
            assertEquals("true", settings.get(name + "#enabled"), name);
        }
        assertEquals("1 s", settings.get("kcp.SessionStatistics#period"));
    }

    private static RecordedEvent single(List<RecordedEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }
}
