/**
 * JMH mirrors of kcp-go 5.6.1's session benchmarks ({@code BenchmarkEchoSpeed*}, {@code BenchmarkSinkSpeed*}
 * in {@code sess_test.go}): a kcp.net listener and client session on 127.0.0.1 with kcp-go's
 * fixture settings. Each benchmark state owns its sessions and is used by one JMH thread.
 */
package kcp.bench.net;
