/**
 * JMH benchmarks of kcp.core: {@link kcp.bench.core.KcpFlushBench} mirrors kcp-go's BenchmarkFlush (the cost of a
 * full flush scanning a large in-flight window). Each benchmark state is single-threaded.
 */
package kcp.bench.core;
