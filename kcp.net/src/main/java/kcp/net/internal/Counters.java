package kcp.net.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

import kcp.net.SnmpField;

/**
 * Storage of one set of SNMP counters, optionally chained to a parent (the process-wide set) that receives every
 * update too. A root set, which every session updates, keeps a {@link LongAdder} per counter field (striped, so
 * concurrent sessions do not contend); a child set, updated by one session's few threads, keeps all its fields in
 * one {@code long[]} updated with atomic VarHandle operations (about 270 bytes instead of 1.3 KB of adders, which
 * matters for thousands of idle sessions). Updates allocate nothing once the adders' cells exist.
 *
 * <p>Thread-safe: any thread may update or read at any time; reads are not atomic across fields.
 */
public final class Counters {
    private static final SnmpField[] FIELDS = SnmpField.values();
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Counters parent;
    /** Root set only: counter fields. */
    private final LongAdder[] adders;
    /** Gauges and maxima of a root set; every field of a child set. */
    private final long[] values = new long[FIELDS.length];

    /**
     * Creates a zeroed set.
     *
     * @param parent set that receives every update as well, or null for a root set
     */
    public Counters(Counters parent) {
        this.parent = parent;
        if (parent == null) {
            adders = new LongAdder[FIELDS.length];
            for (SnmpField f : FIELDS) {
                if (f.kind() == SnmpField.Kind.COUNTER) {
                    adders[f.ordinal()] = new LongAdder();
                }
            }
        } else {
            adders = null;
        }
    }

    /**
     * Adds to a counter (and to the parent's).
     *
     * @param field a {@link SnmpField.Kind#COUNTER} field
     * @param delta amount, may be negative
     * @throws IllegalArgumentException if the field is not a counter
     */
    public void add(SnmpField field, long delta) {
        if (delta == 0) {
            return;
        }
        require(field, SnmpField.Kind.COUNTER, "add()");
        if (adders != null) {
            adders[field.ordinal()].add(delta);
        } else {
            LONGS.getAndAdd(values, field.ordinal(), delta);
        }
        if (parent != null) {
            parent.add(field, delta);
        }
    }

    /**
     * Adds one to a counter.
     *
     * @param field a {@link SnmpField.Kind#COUNTER} field
     */
    public void increment(SnmpField field) {
        add(field, 1);
    }

    /**
     * Stores a gauge (and the parent's: kcp-go's gauges show the last writer's value).
     *
     * @param field a {@link SnmpField.Kind#GAUGE} field
     * @param value the new value
     * @throws IllegalArgumentException if the field is not a gauge
     */
    public void set(SnmpField field, long value) {
        require(field, SnmpField.Kind.GAUGE, "set()");
        LONGS.setVolatile(values, field.ordinal(), value);
        if (parent != null) {
            parent.set(field, value);
        }
    }

    /**
     * Raises a maximum to {@code candidate} if that is larger (and the parent's).
     *
     * @param field     a {@link SnmpField.Kind#MAX} field
     * @param candidate the value to compare
     * @throws IllegalArgumentException if the field is not a maximum
     */
    public void raise(SnmpField field, long candidate) {
        require(field, SnmpField.Kind.MAX, "raise()");
        int i = field.ordinal();
        long cur;
        while (candidate > (cur = (long) LONGS.getVolatile(values, i))) {
            if (LONGS.compareAndSet(values, i, cur, candidate)) {
                break;
            }
        }
        if (parent != null) {
            parent.raise(field, candidate);
        }
    }

    /**
     * Returns the current value of a field.
     *
     * @param field any field
     * @return its value (a sum for a root set's counters)
     */
    public long get(SnmpField field) {
        int i = field.ordinal();
        LongAdder a = adders == null ? null : adders[i];
        return a != null ? a.sum() : (long) LONGS.getVolatile(values, i);
    }

    /**
     * Returns a mirror that copies one cumulative count kept elsewhere (by KCP or the FEC decoder) into {@code field}
     * as deltas.
     *
     * @param field a {@link SnmpField.Kind#COUNTER} field
     * @return a new mirror, starting from 0
     */
    public Mirror mirror(SnmpField field) {
        require(field, SnmpField.Kind.COUNTER, "mirror()");
        return new Mirror(field);
    }

    /**
     * One cumulative count kept elsewhere, copied into a counter field as deltas: {@code sync(total)} adds what
     * grew since the last call. NOT thread-safe: one owner (a session, under its lock).
     */
    public final class Mirror {
        private final SnmpField field;
        private long seen;

        private Mirror(SnmpField field) {
            this.field = field;
        }

        /**
         * Adds {@code total} minus the last total to the field (and to the parent's).
         *
         * @param total the source's cumulative count
         */
        public void sync(long total) {
            long delta = total - seen;
            if (delta != 0) {
                seen = total;
                add(field, delta);
            }
        }
    }

    /** Zeroes every field of this set (not the parent's). */
    public void reset() {
        for (int i = 0; i < FIELDS.length; i++) {
            if (adders != null && adders[i] != null) {
                adders[i].reset();
            } else {
                LONGS.setVolatile(values, i, 0L);
            }
        }
    }

    private static void require(SnmpField field, SnmpField.Kind kind, String op) {
        if (field.kind() != kind) {
            throw new IllegalArgumentException(op + " needs a " + kind + " field: " + field + " is " + field.kind());
        }
    }
}
