/**
 * The KCP ARQ as kcp-go runs it: segment codec, the {@code Kcp} state machine and a deterministic
 * link simulator. No sockets, threads or clocks: time and output are the caller's.
 */
module kcp.core {
    exports kcp.core;
    exports kcp.core.wire;
    exports kcp.core.testing;
}
