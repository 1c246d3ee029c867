/**
 * The KCP wire format: the 24-byte little-endian segment header ({@link kcp.core.wire.SegmentHeader}).
 * Stateless static helpers only, hence thread-safe.
 */
package kcp.core.wire;
