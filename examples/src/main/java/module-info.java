/**
 * Runnable examples of {@code kcp.net}: an echo server and client, a line protocol with one virtual thread per
 * session, a client over the session's streams, and observability (counters and JMX). Each example's
 * {@code main} is a few lines around a small class the tests run on loopback.
 */
module kcp.examples {
    requires kcp.net;
    // Observability reads the counters back through the platform MBean server.
    requires java.management;

    exports kcp.examples;
}
