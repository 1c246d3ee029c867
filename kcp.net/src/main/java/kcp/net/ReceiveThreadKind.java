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
 * loops hand datagrams to their readers without crossing OS threads. On a socket its {@link UdpTransport} owns, a
 * virtual loop also polls the empty socket for up to 50 microseconds, yielding its carrier to other virtual threads,
 * before it parks, so a datagram that follows soon is taken without a wake-up through the JDK's poller threads (the
 * channel is non-blocking while the loop polls, and the transport retries a send that finds its buffer full). kcp-go's
 * echo benchmark mirrored that way ran at 1.4-3.0x kcp-go's speed for 4 KiB to 1 MiB messages, against
 * 0.76-1.68x with platform loops (medians of two sittings with UDP segmentation offload; docs/benchmarks.md, 7 Dec
 * 2026). Between two processes on two cores virtual loops measured no gain: 0.92-1.00x the speed of platform loops
 * in 256 MiB echoes.
 */
public enum ReceiveThreadKind {
    /** A platform daemon thread per socket: lowest latency (default). */
    PLATFORM,
    /**
     * A virtual thread per socket: highest blast throughput and the fastest hand-offs to virtual readers (it polls an
     * owned socket briefly before it parks); after an idle gap the first datagram comes through the JDK's poller, so
     * ping-pong latency is higher than with {@link #PLATFORM}.
     */
    VIRTUAL
}
