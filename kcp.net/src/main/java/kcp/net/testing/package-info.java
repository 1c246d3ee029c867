/**
 * Runs kcp.net listeners and sessions in virtual time over an in-memory network: {@link
 * kcp.net.testing.VirtualNetwork} joins endpoints by seeded {@link kcp.core.testing.LossyLink}s (loss, duplication,
 * reordering, delay) and moves a {@link kcp.net.KcpContext#manual(long) manual context}'s clock, so tests of
 * timeouts, dead links and hibernation need no sleeps and replay exactly from their seed.
 */
package kcp.net.testing;
