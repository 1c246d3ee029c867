/**
 * JMH benchmarks of kcp.fec: the Reed-Solomon codec on both coding loops ({@link kcp.bench.fec.FecCodecBench}) and
 * mirrors of kcp-go's BenchmarkFECEncode/BenchmarkFECDecode ({@link kcp.bench.fec.FecLayerBench}). Each benchmark
 * state is single-threaded.
 */
package kcp.bench.fec;
