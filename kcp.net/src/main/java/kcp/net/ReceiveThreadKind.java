package kcp.net;

/**
 * Which kind of thread runs the blocking receive loop of a UDP socket (one loop per socket).
 *
 * <p>Measured on the development machine (docs/benchmarks.md, "Receive-loop thread kind and echo latency"): a
 * virtual receiver takes more datagrams per second under a blast, but a virtual thread parked in
 * {@code receive} adds tens of microseconds to every round trip. Sockets are few, so a platform
 * thread per socket is cheap; {@link #PLATFORM} is the default.
 *
 * <p>When the threads that read and write the sessions are virtual too, and both ends run in one busy JVM, virtual
 * loops hand datagrams to their readers without crossing OS threads: kcp-go's echo benchmark mirrored that way ran
 * at 1.46-1.67x kcp-go's speed (medians) for 64 KiB to 1 MiB messages, against 1.08-1.43x with platform loops
 * (docs/benchmarks.md, 7 Dec 2026). Between two processes the same change measured no gain.
 */
public enum ReceiveThreadKind {
    /** A platform daemon thread per socket: lowest latency (default). */
    PLATFORM,
    /** A virtual thread per socket: highest blast throughput, higher ping-pong latency. */
    VIRTUAL
}
