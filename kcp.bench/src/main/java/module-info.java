/** JMH benchmarks mirroring kcp-go's, and the {@code kcp} command line. */
open module kcp.bench {
    requires kcp.net;
    requires kcp.fec;
    requires jmh.core;
    requires jdk.management;
}
