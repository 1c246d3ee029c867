/**
 * JMH benchmarks of kcp.core: {@link kcp.bench.core.KcpFlushBench} mirrors kcp-go's BenchmarkFlush (the cost of a
 * full flush scanning a large in-flight window); {@link kcp.bench.core.KcpRoundTripBench} measures one steady-state
 * send/flush/input/recv cycle and its allocation. Each benchmark state is single-threaded.
 */
package kcp.bench.core;
