/** Blocking KCP sessions and a multiplexing listener over UDP, wire-compatible with kcp-go. */
module kcp.net {
    requires transitive kcp.core;
    requires transitive kcp.crypto;
    requires kcp.fec;
}
