package kcp.net.internal.jfr;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * The process-wide side of kcp.net's JFR events: notices that Flight Recorder has started (so that a process that
 * never records pays nothing: no JFR initialisation, no periodic hook), then looks up the trace event types and
 * registers the periodic statistics hook over every open session.
 *
 * <p>It polls {@link FlightRecorder#isInitialized()} (a volatile read) where a session asks, at every updater tick and
 * at every lifecycle event, instead of registering a {@code FlightRecorderListener}: registering one initialises
 * JFR's recorder, 25-30 ms of a fresh JVM on the thread that opens the first session. The cost: a recording started
 * while every session is idle gets its first statistics event once a session ticks again.
 */
final class Jfr {
    /** Every open session, sampled by the periodic statistics hook. */
    static final Set<SessionEvents> OPEN = ConcurrentHashMap.newKeySet();

    private static final ReentrantLock INIT = new ReentrantLock();
    /** Set once the types below are; read first. */
    private static volatile boolean ready;
    static EventType segmentIn;
    static EventType segmentOut;
    static EventType messageSend;
    static EventType messageRecv;

    private Jfr() {
    }

    /**
     * Returns true once Flight Recorder is initialised in this JVM, which every recording needs, and the event types
     * are set up; until then no event can be recorded, and the lifecycle methods skip theirs. They must: the first
     * instance of a JDK event class registers the class with Flight Recorder, and that builds JFR's metadata,
     * 0.2-0.3 s of a fresh JVM on the thread that dials or accepts the first session.
     *
     * @return whether events can be recorded
     */
    static boolean ready() {
        if (ready) {
            return true;
        }
        if (!FlightRecorder.isInitialized()) {
            return false;
        }
        initialize();
        return true;
    }

    /** Runs once Flight Recorder is initialised (by the first caller of {@link #ready()} that sees it). */
    private static void initialize() {
        INIT.lock();
        try {
            if (ready) {
                return;
            }
            segmentIn = EventType.getEventType(SegmentInEvent.class);
            segmentOut = EventType.getEventType(SegmentOutEvent.class);
            messageSend = EventType.getEventType(MessageSendEvent.class);
            messageRecv = EventType.getEventType(MessageRecvEvent.class);
            // Register the lifecycle events too, so that they are listed (in JMC, jfr summary, jfr metadata) from
            // the start, not only once one fires.
            EventType.getEventType(SessionOpenedEvent.class);
            EventType.getEventType(SessionAcceptedEvent.class);
            EventType.getEventType(SessionFailedEvent.class);
            EventType.getEventType(DeadLinkEvent.class);
            EventType.getEventType(IdleTimeoutEvent.class);
            EventType.getEventType(SessionClosedEvent.class);
            FlightRecorder.addPeriodicEvent(SessionStatisticsEvent.class, Jfr::sampleAll);
            ready = true;
        } finally {
            INIT.unlock();
        }
    }

    /** {@return true if a running recording has any segment or message trace event enabled} */
    static boolean traceEnabled() {
        return ready() && (segmentIn.isEnabled() || segmentOut.isEnabled() || messageSend.isEnabled()
                || messageRecv.isEnabled());
    }

    /** The periodic hook: one statistics event per open session (JFR calls it only while the event is enabled). */
    private static void sampleAll() {
        for (SessionEvents s : OPEN) {
            s.sample();
        }
    }
}
