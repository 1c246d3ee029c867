package kcp.net;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** Child-JVM probe for {@code NetStatsTest}: prints whether the global MBean is registered once NetStats is up. */
final class JmxProbe {
    private JmxProbe() {
    }

    public static void main(String[] args) throws Exception {
        NetStats.global();
        boolean registered = ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName(NetStats.GLOBAL_OBJECT_NAME));
        System.out.println("registered=" + registered);
    }
}
