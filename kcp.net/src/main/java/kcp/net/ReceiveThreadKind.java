package kcp.net;

/**
 * Which kind of thread runs the blocking receive loop of a UDP socket (one loop per socket).
 *
 * <p>Measured on the development machine (docs/benchmarks.md, "Receive-loop thread kind and echo latency"): a
 * virtual receiver takes more datagrams per second under a blast, but a virtual thread parked in
 * {@code receive} adds tens of microseconds to every round trip. Sockets are few, so a platform
 * thread per socket is cheap; {@link #PLATFORM} is the default.
 */
public enum ReceiveThreadKind {
    /** A platform daemon thread per socket: lowest latency (default). */
    PLATFORM,
    /** A virtual thread per socket: highest blast throughput, higher ping-pong latency. */
    VIRTUAL
}
