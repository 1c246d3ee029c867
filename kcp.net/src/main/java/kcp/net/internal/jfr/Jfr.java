package kcp.net.internal.jfr;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * The process-wide side of kcp.net's JFR events: waits for Flight Recorder to start (so that a process that never
 * records pays nothing: no JFR initialisation, no periodic hook), then looks up the trace event types and registers
 * the periodic statistics hook over every open session.
 */
final class Jfr {
    private static final System.Logger LOG = System.getLogger("kcp.net.jfr");

    /** Every open session, sampled by the periodic statistics hook. */
    static final Set<SessionEvents> OPEN = ConcurrentHashMap.newKeySet();

    /** Set once the types below are; read first. */
    private static volatile boolean ready;
    static EventType segmentIn;
    static EventType segmentOut;
    static EventType messageSend;
    static EventType messageRecv;

    static {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    initialize();
                }
            });
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.DEBUG, "JFR is not available; kcp.net records no events", e);
        }
    }

    private Jfr() {
    }

    /** Runs once Flight Recorder is initialised (at once if it already is). */
    private static void initialize() {
        if (ready) {
            return;
        }
        segmentIn = EventType.getEventType(SegmentInEvent.class);
        segmentOut = EventType.getEventType(SegmentOutEvent.class);
        messageSend = EventType.getEventType(MessageSendEvent.class);
        messageRecv = EventType.getEventType(MessageRecvEvent.class);
        // Register the lifecycle events too, so that they are listed (in JMC, jfr summary, jfr metadata) from the
        // start, not only once one fires.
        EventType.getEventType(SessionOpenedEvent.class);
        EventType.getEventType(SessionAcceptedEvent.class);
        EventType.getEventType(SessionFailedEvent.class);
        EventType.getEventType(DeadLinkEvent.class);
        EventType.getEventType(IdleTimeoutEvent.class);
        EventType.getEventType(SessionClosedEvent.class);
        FlightRecorder.addPeriodicEvent(SessionStatisticsEvent.class, Jfr::sampleAll);
        ready = true;
    }

    /**
     * Returns true once Flight Recorder is initialised in this JVM, which every recording needs; until then no event
     * can be recorded, and the lifecycle methods skip theirs. They must: the first instance of a JDK event class
     * registers the class with Flight Recorder, and that initialises JFR's metadata, about 0.2-0.3 s of work in a
     * fresh JVM, on the thread that dials or accepts the first session.
     *
     * @return whether Flight Recorder is initialised
     */
    static boolean ready() {
        return ready;
    }

    /** {@return true if a running recording has any segment or message trace event enabled} */
    static boolean traceEnabled() {
        return ready && (segmentIn.isEnabled() || segmentOut.isEnabled() || messageSend.isEnabled()
                || messageRecv.isEnabled());
    }

    /** The periodic hook: one statistics event per open session (JFR calls it only while the event is enabled). */
    private static void sampleAll() {
        for (SessionEvents s : OPEN) {
            s.sample();
        }
    }
}
