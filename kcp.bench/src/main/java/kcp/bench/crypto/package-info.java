/**
 * JMH benchmarks of kcp.crypto mirroring kcp-go's {@code crypt_test.go} benchmarks (cipher round trips,
 * sealing, nonce generation). Each benchmark state is single-threaded.
 */
package kcp.bench.crypto;
