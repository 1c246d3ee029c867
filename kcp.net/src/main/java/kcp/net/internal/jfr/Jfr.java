package kcp.net.internal.jfr;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * The process-wide side of kcp.net's JFR events: notices that Flight Recorder has started (so that a process that
 * never records pays nothing: no JFR initialisation, no periodic hook), then looks up the trace event types and
 * registers the periodic statistics hook over every open session.
 *
 * <p>It polls {@link FlightRecorder#isInitialized()} (a volatile read) where a session asks, at every updater tick and
 * at every lifecycle event, instead of registering a {@code FlightRecorderListener}: registering one initialises
 * JFR's recorder, 25-30 ms of a fresh JVM on the thread that opens the first session. Once it sees Flight Recorder
 * initialised, a short-lived thread, {@code kcp-jfr-setup}, registers the event types (60-90 ms, which the updater
 * or a receive loop must not wait for). The cost: events of the first moments after the first recording of a JVM
 * starts are not recorded, and a recording started while every session is idle is noticed when one ticks again.
 */
final class Jfr {
    /** Every open session, sampled by the periodic statistics hook. */
    static final Set<SessionEvents> OPEN = ConcurrentHashMap.newKeySet();

    private static final AtomicBoolean SETUP_STARTED = new AtomicBoolean();
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
     * instance of a JDK event class registers the class with Flight Recorder, and before Flight Recorder is
     * initialised that builds JFR's metadata, 0.2-0.3 s of a fresh JVM on the thread that dials or accepts the first
     * session. The first call that finds Flight Recorder initialised starts the set-up on its own thread.
     *
     * @return whether events can be recorded
     */
    static boolean ready() {
        if (ready) {
            return true;
        }
        if (FlightRecorder.isInitialized() && SETUP_STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().name("kcp-jfr-setup").daemon(true).start(Jfr::initialize);
        }
        return false;
    }

    /** Registers the event types and the statistics hook; runs once, on {@code kcp-jfr-setup}. */
    private static void initialize() {
        try {
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
        } catch (RuntimeException | Error e) {
            System.getLogger("kcp.net.jfr").log(System.Logger.Level.DEBUG,
                    "setting up kcp.net's JFR events failed; kcp.net records no events", e);
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
