package kcp.net;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;

/**
 * Read-only dynamic MBean over one {@link NetStats}: attribute names are kcp-go's SNMP header names,
 * values {@code long}; one operation, {@code reset}. A session's or listener's MBean adds a few live attributes of its
 * own ({@link #sessionExtras}, {@link #listenerExtras}). Thread-safe (reads go to the live counters).
 */
final class NetStatsMBean implements DynamicMBean {
    private static final Map<String, SnmpField> BY_LABEL = new HashMap<>();
    private static final MBeanInfo INFO;

    static {
        SnmpField[] fields = SnmpField.values();
        MBeanAttributeInfo[] attrs = new MBeanAttributeInfo[fields.length];
        for (SnmpField f : fields) {
            BY_LABEL.put(f.label(), f);
            attrs[f.ordinal()] = new MBeanAttributeInfo(f.label(), "long", "kcp-go SNMP " + f.label()
                    + " (" + f.kind() + ")", true, false, false);
        }
        MBeanOperationInfo reset = new MBeanOperationInfo("reset", "zero these counters",
                new MBeanParameterInfo[0], "void", MBeanOperationInfo.ACTION);
        INFO = new MBeanInfo(NetStats.class.getName(), "kcp-go SNMP counters of kcp.net", attrs, null,
                new MBeanOperationInfo[] {reset}, null);
    }

    private final NetStats stats;
    private final Map<String, Supplier<Object>> extras;
    private final MBeanInfo info;

    NetStatsMBean(NetStats stats) {
        this(stats, Map.of());
    }

    NetStatsMBean(NetStats stats, Map<String, Supplier<Object>> extras) {
        this.stats = stats;
        this.extras = extras;
        if (extras.isEmpty()) {
            this.info = INFO;
        } else {
            MBeanAttributeInfo[] attrs = Arrays.copyOf(INFO.getAttributes(), INFO.getAttributes().length
                    + extras.size());
            int i = INFO.getAttributes().length;
            for (Map.Entry<String, Supplier<Object>> e : extras.entrySet()) {
                Object sample = e.getValue().get();
                attrs[i++] = new MBeanAttributeInfo(e.getKey(), sample instanceof Number ? sample.getClass().getName()
                        : "java.lang.String", e.getKey(), true, false, false);
            }
            this.info = new MBeanInfo(INFO.getClassName(), INFO.getDescription(), attrs, null,
                    INFO.getOperations(), null);
        }
    }

    /** A session's live state: SRTT, RTO, WaitSnd (ints, ms or segments) and RemoteAddress (text). */
    static Map<String, Supplier<Object>> sessionExtras(KcpSession s) {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("SRTT", s::srtt);
        m.put("RTO", s::rto);
        m.put("WaitSnd", s::waitSnd);
        m.put("RemoteAddress", () -> s.remoteAddress().toString());
        return m;
    }

    /** A listener's live state: SessionCount, PendingAccepts (ints), Accepted and Dropped (longs). */
    static Map<String, Supplier<Object>> listenerExtras(KcpListener l) {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("SessionCount", l::sessionCount);
        m.put("PendingAccepts", l::pendingAccepts);
        m.put("Accepted", l::acceptedCount);
        m.put("Dropped", l::droppedCount);
        m.put("Embryonic", () -> l.stats().embryonic());
        m.put("Refused", () -> l.stats().refused());
        m.put("BacklogDrops", () -> l.stats().backlogDrops());
        m.put("Migrations", () -> l.stats().migrations());
        m.put("MigrationsRefused", () -> l.stats().migrationsRefused());
        m.put("MigrationsForged", () -> l.stats().migrationsForged());
        m.put("MigrationsReplayed", () -> l.stats().migrationsReplayed());
        m.put("MigrationsUnknownConv", () -> l.stats().migrationsUnknownConv());
        m.put("MigrationsOutOfWindow", () -> l.stats().migrationsOutOfWindow());
        return m;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        SnmpField f = BY_LABEL.get(attribute);
        Supplier<Object> extra = extras.get(attribute);
        if (extra != null) {
            return extra.get();
        }
        if (f == null) {
            throw new AttributeNotFoundException("no kcp-go SNMP field named " + attribute);
        }
        return stats.get(f);
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("SNMP counters are read-only: " + attribute.getName());
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            SnmpField f = BY_LABEL.get(a);
            Supplier<Object> extra = extras.get(a);
            if (extra != null) {
                list.add(new Attribute(a, extra.get()));
            } else if (f != null) {
                list.add(new Attribute(a, stats.get(f)));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        if ("reset".equals(actionName) && (params == null || params.length == 0)) {
            stats.reset();
            return null;
        }
        throw new ReflectionException(new NoSuchMethodException(actionName), "only reset() exists");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
