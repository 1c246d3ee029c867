/**
 * JMH benchmarks of {@code kcp.smux}: kcptun's snappy compression stream ({@link kcp.bench.smux.SnappyBench}),
 * framing through an in-memory channel, and memory per idle stream. Each benchmark state is single-threaded.
 */
package kcp.bench.smux;
