/** JMH benchmarks mirroring kcp-go's, and the {@code kcp} command line (with the kcptun-compatible tunnel). */
open module kcp.bench {
    requires kcp.net;
    requires kcp.fec;
    requires kcp.smux;
    requires jmh.core;
    requires java.management;
    requires jdk.management;
}
