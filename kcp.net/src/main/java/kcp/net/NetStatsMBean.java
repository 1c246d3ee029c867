package kcp.net;

import java.util.HashMap;
import java.util.Map;

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
 * values {@code long}; one operation, {@code reset}. Thread-safe (reads go to the live counters).
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

    NetStatsMBean(NetStats stats) {
        this.stats = stats;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        SnmpField f = BY_LABEL.get(attribute);
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
            if (f != null) {
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
        return INFO;
    }
}
