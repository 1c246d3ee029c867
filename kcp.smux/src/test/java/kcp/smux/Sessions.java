package kcp.smux;

import java.nio.channels.ByteChannel;

import kcp.smux.internal.KeepAliveScheduler;
import kcp.smux.internal.Mux;

/** Builds sessions over {@link MemoryPipe}s with a chosen keepalive scheduler and accept backlog. */
final class Sessions {
    private Sessions() {
    }

    static SmuxSession client(ByteChannel ch, SmuxConfig c, KeepAliveScheduler k) {
        return new SmuxSession(new Mux(ch, c, true, k, Mux.DEFAULT_ACCEPT_BACKLOG));
    }

    static SmuxSession server(ByteChannel ch, SmuxConfig c, KeepAliveScheduler k) {
        return server(ch, c, k, Mux.DEFAULT_ACCEPT_BACKLOG);
    }

    static SmuxSession server(ByteChannel ch, SmuxConfig c, KeepAliveScheduler k, int backlog) {
        return new SmuxSession(new Mux(ch, c, false, k, backlog));
    }

    /** A client and a server session joined by a 256 KiB pipe, keepalive in virtual time. */
    static SmuxSession[] pair(SmuxConfig c) {
        ByteChannel[] p = MemoryPipe.pair(256 * 1024);
        ManualScheduler k = new ManualScheduler();
        return new SmuxSession[] {client(p[0], c, k), server(p[1], c, k)};
    }
}
