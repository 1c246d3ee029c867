/**
 * Stream multiplexing over KCP, byte-compatible with xtaci/smux (versions 1 and 2) as kcptun uses it: many
 * ordered byte streams with open, close and keepalive over one {@code KcpSession} or any byte channel, plus
 * kcptun's snappy stream compression.
 */
module kcp.smux {
    requires transitive kcp.net;

    exports kcp.smux;
}
