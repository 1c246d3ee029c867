/**
 * JMH benchmarks of {@code kcp.smux}: framing through an in-memory channel, memory per idle stream, and kcptun's
 * snappy compression stream ({@link kcp.bench.smux.SnappyBench}). Each benchmark state is single-threaded.
 */
package kcp.bench.smux;
