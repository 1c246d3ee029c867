package kcp.net;

import java.lang.management.ManagementFactory;
import java.util.Objects;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import kcp.net.internal.Counters;

/**
 * kcp-go's SNMP counters (spec 8) for one session, or for the whole process ({@link #global()}, the
 * equivalent of kcp-go's {@code DefaultSnmp}). Every session's updates also go to the global set.
 * Read them as a {@link NetStatsSnapshot}, or through JMX: {@link #registerGlobalMBean()} (or
 * {@code -Dkcp.net.jmx=true}, which does it when this class initialises) registers the global set as
 * {@value #GLOBAL_OBJECT_NAME} with one {@code long} attribute per kcp-go header name
 * ({@code BytesSent}, {@code InCsumErrors}, ...); {@link #registerMBean(String)} registers any other set.
 * Registration is opt-in because creating the platform MBean server costs a first dial about 100 ms
 * (it loads the JMX and JFR management beans), which kcp-go's {@code DefaultSnmp} does not.
 *
 * <p><b>How the counters are kept.</b> A session's set holds every field in one {@code long[]} updated with atomic
 * operations (about 270 bytes, which matters for thousands of idle sessions); each update is applied to the global
 * set too, which keeps a {@link java.util.concurrent.atomic.LongAdder} per counter so that concurrent sessions do
 * not contend. Datagram, byte and error counts are added where they happen. KCP's segment counts (InSegs, OutSegs,
 * the retransmission fields, RepeatSegs) and the FEC decoder's counts are kept by KCP and the decoder and copied in
 * as deltas after each input, write and tick, so a reading lags by at most one tick. Gauges (the RingBuffer fields,
 * FECShardSet, FECShardMin) hold the last writer's value, as in kcp-go; in the global set that is the session that
 * flushed last. MaxConn exists in the global set only.
 *
 * <p>Thread-safe; reads are not atomic across fields.
 */
public final class NetStats {
    /** The JMX name of the process-wide set. */
    public static final String GLOBAL_OBJECT_NAME = "kcp.net:type=NetStats,name=global";

    private static final System.Logger LOG = System.getLogger(NetStats.class.getName());
    private static final NetStats GLOBAL = new NetStats(new Counters(null));

    static {
        if (Boolean.getBoolean("kcp.net.jmx")) {
            try {
                registerGlobalMBean();
            } catch (IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "kcp.net global counters not registered in JMX: {0}",
                        e.getMessage());
            }
        }
    }

    private final Counters counters;

    NetStats(Counters counters) {
        this.counters = counters;
    }

    /** {@return a fresh per-session set whose updates also go to the global set} */
    static NetStats newSessionStats() {
        return new NetStats(new Counters(GLOBAL.counters));
    }

    /** {@return the process-wide counters (kcp-go's {@code DefaultSnmp})} */
    public static NetStats global() {
        return GLOBAL;
    }

    /**
     * {@return its current value}
     *
     * @param field a field
     */
    public long get(SnmpField field) {
        return counters.get(Objects.requireNonNull(field, "field"));
    }

    /** {@return a copy of every field (kcp-go's {@code Copy()})} */
    public NetStatsSnapshot snapshot() {
        SnmpField[] fields = SnmpField.values();
        long[] values = new long[fields.length];
        for (SnmpField f : fields) {
            values[f.ordinal()] = counters.get(f);
        }
        return NetStatsSnapshot.of(values);
    }

    /** Zeroes this set (kcp-go's {@code Reset()}); a session's reset leaves the global set alone. */
    public void reset() {
        counters.reset();
    }

    /** {@return the updatable storage, for kcp.net's own pipeline} */
    Counters counters() {
        return counters;
    }

    /**
     * Registers this set in the platform MBean server as a read-only MBean with one {@code long}
     * attribute per kcp-go header name.
     *
     * @param objectName a JMX object name, e.g. {@code "kcp.net:type=NetStats,name=session-42"}
     * @return the registered name
     * @throws IllegalArgumentException if {@code objectName} is not a valid JMX name
     * @throws IllegalStateException    if the name is already registered or registration fails
     */
    public ObjectName registerMBean(String objectName) {
        return registerMBean(objectName, java.util.Map.of());
    }

    /** Registers this set plus live attributes of its owner (a session's SRTT, a listener's session count). */
    ObjectName registerMBean(String objectName, java.util.Map<String, java.util.function.Supplier<Object>> extras) {
        ObjectName name = parse(objectName);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new NetStatsMBean(this, extras), name);
            return name;
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("JMX name already registered: " + objectName
                    + "; unregister it first or pick another name", e);
        } catch (JMException e) {
            throw new IllegalStateException("JMX registration of " + objectName + " failed: " + e, e);
        }
    }

    /**
     * Registers the process-wide set ({@link #global()}) in the platform MBean server as
     * {@value #GLOBAL_OBJECT_NAME}, unless that name is registered already (by an earlier call, or by another
     * copy of this library in the JVM). {@code -Dkcp.net.jmx=true} calls it when this class initialises.
     *
     * @return the name
     * @throws IllegalStateException if registration fails
     */
    public static ObjectName registerGlobalMBean() {
        ObjectName name = parse(GLOBAL_OBJECT_NAME);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (!server.isRegistered(name)) {
            try {
                GLOBAL.registerMBean(GLOBAL_OBJECT_NAME);
            } catch (IllegalStateException e) {
                if (!server.isRegistered(name)) { // not a lost race with another caller
                    throw e;
                }
            }
        }
        return name;
    }

    /**
     * Removes a registration made by {@link #registerMBean(String)}.
     *
     * @param objectName a name passed to {@link #registerMBean(String)}
     * @return true if it was registered and is now removed, false if it was not registered
     */
    public static boolean unregisterMBean(String objectName) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(parse(objectName));
            return true;
        } catch (InstanceNotFoundException e) {
            return false;
        } catch (JMException e) {
            throw new IllegalStateException("JMX unregistration of " + objectName + " failed: " + e, e);
        }
    }

    private static ObjectName parse(String objectName) {
        try {
            return new ObjectName(Objects.requireNonNull(objectName, "objectName"));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a JMX object name: " + objectName + " (" + e.getMessage() + ")", e);
        }
    }
}
