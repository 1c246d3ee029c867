package kcp.net.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import kcp.net.SnmpField;

/**
 * Storage of one set of SNMP counters: a {@link LongAdder} per counter field and an {@link AtomicLong}
 * per gauge/maximum, optionally chained to a parent (the process-wide set) that receives every update
 * too. Updates allocate nothing once the adders' cells exist.
 *
 * <p>Thread-safe: any thread may update or read at any time; reads are not atomic across fields.
 */
public final class Counters {
    private static final SnmpField[] FIELDS = SnmpField.values();

    private final Counters parent;
    private final LongAdder[] adders = new LongAdder[FIELDS.length];
    private final AtomicLong[] gauges = new AtomicLong[FIELDS.length];

    /**
     * Sets parent.
     *
     * @param parent set that receives every update as well, or null for a root set
     */
    public Counters(Counters parent) {
        this.parent = parent;
        for (SnmpField f : FIELDS) {
            if (f.kind() == SnmpField.Kind.COUNTER) {
                adders[f.ordinal()] = new LongAdder();
            } else {
                gauges[f.ordinal()] = new AtomicLong();
            }
        }
    }

    /**
     * Sets field and delta.
     *
     * @param field a counter field
     * @param delta amount to add (may be negative for CurrEstab)
     */
    public void add(SnmpField field, long delta) {
        if (delta == 0) {
            return;
        }
        LongAdder a = adders[field.ordinal()];
        if (a == null) {
            throw new IllegalArgumentException("add() needs a COUNTER field: " + field + " is " + field.kind());
        }
        a.add(delta);
        if (parent != null) {
            parent.add(field, delta);
        }
    }

    /**
     * Sets field.
     *
     * @param field a counter field; adds one
     */
    public void increment(SnmpField field) {
        add(field, 1);
    }

    /**
     * Sets field and value.
     *
     * @param field a GAUGE field
     * @param value new value, here and in the parent
     */
    public void set(SnmpField field, long value) {
        AtomicLong g = gauges[field.ordinal()];
        if (g == null || field.kind() != SnmpField.Kind.GAUGE) {
            throw new IllegalArgumentException("set() needs a GAUGE field: " + field + " is " + field.kind());
        }
        g.set(value);
        if (parent != null) {
            parent.set(field, value);
        }
    }

    /**
     * Sets field and candidate.
     *
     * @param field a MAX field
     * @param candidate raises the field to this value if larger, here and in the parent
     */
    public void raise(SnmpField field, long candidate) {
        AtomicLong g = gauges[field.ordinal()];
        if (g == null || field.kind() != SnmpField.Kind.MAX) {
            throw new IllegalArgumentException("raise() needs a MAX field: " + field + " is " + field.kind());
        }
        g.accumulateAndGet(candidate, Math::max);
        if (parent != null) {
            parent.raise(field, candidate);
        }
    }

    /**
     * Returns its current value.
     *
     * @param field any field
     * @return its current value
     */
    public long get(SnmpField field) {
        LongAdder a = adders[field.ordinal()];
        return a != null ? a.sum() : gauges[field.ordinal()].get();
    }

    /** Zeroes this set (not the parent), like kcp-go's {@code Snmp.Reset()}. */
    public void reset() {
        for (int i = 0; i < FIELDS.length; i++) {
            if (adders[i] != null) {
                adders[i].reset();
            } else {
                gauges[i].set(0);
            }
        }
    }
}
