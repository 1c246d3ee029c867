/**
 * Blocking KCP sessions and a multiplexing listener over UDP, wire-compatible with kcp-go: dial with
 * {@code Kcps.dial}, serve with {@code Kcps.listen}, tune with {@code SessionOptions}, watch
 * {@code NetStats} (also in JMX, on request).
 */
module kcp.net {
    requires transitive kcp.core;
    requires transitive kcp.crypto;
    requires kcp.fec;
    // NetStats registers counters as MBeans in the platform MBean server (on request).
    requires java.management;

    exports kcp.net;
    exports kcp.net.testing;
}
