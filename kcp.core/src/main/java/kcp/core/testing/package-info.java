/**
 * A deterministic network simulator for KCP: a {@link kcp.core.testing.VirtualClock}, a seeded
 * {@link kcp.core.testing.LossyLink} (loss, delay/jitter, duplication, reordering, queue cap) and a
 * {@link kcp.core.testing.KcpPair} that runs two {@code Kcp} endpoints in virtual time without sleeping. Shipped in
 * main code (like netty's EmbeddedChannel) so that other modules can test against it. Not thread-safe. Also
 * {@link kcp.core.testing.GoPeers}, which every module's interop tests use to find (and build) the kcp-go peers under
 * {@code interop/go}: the one place that starts processes, for tests only.
 */
package kcp.core.testing;
