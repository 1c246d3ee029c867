/**
 * JMH benchmarks of kcp.smux: kcptun's snappy compression stream ({@link kcp.bench.smux.SnappyBench}). Each
 * benchmark state is single-threaded.
 */
package kcp.bench.smux;
