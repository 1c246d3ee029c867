/**
 * Building blocks of {@code kcp.core.Kcp}: pooled segments, ring buffers, the ack list and the wrap-safe
 * {@link kcp.core.internal.Seq} comparison. Not exported; nothing here is thread-safe (one owner, the
 * {@code Kcp} instance).
 */
package kcp.core.internal;
