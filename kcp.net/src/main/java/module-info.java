/**
 * Blocking KCP sessions and a multiplexing listener over UDP, wire-compatible with kcp-go: dial with
 * {@code Kcps.dial}, serve with {@code Kcps.listen}, tune with {@code SessionOptions}, watch
 * {@code NetStats} (also in JMX, on request).
 */
module kcp.net {
    requires transitive kcp.core;
    requires transitive kcp.crypto;
    requires kcp.fec;
    // NetStats, KcpSession and KcpListener register MBeans on request and return their ObjectName: transitive, so
    // that users who call registerMBean() need no requires of their own.
    requires transitive java.management;
    // JFR events (kcp.net.internal.jfr, not exported; docs/observability.md). A JDK module: no third-party
    // dependency, and nothing is initialised until Flight Recorder starts.
    requires jdk.jfr;

    exports kcp.net;
    exports kcp.net.testing;
}
