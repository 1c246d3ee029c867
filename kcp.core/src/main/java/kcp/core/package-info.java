/**
 * The KCP ARQ state machine ({@link kcp.core.Kcp}) as kcp-go v5.6.72 runs it, wire-compatible with kcp-go and
 * skywind3000's ikcp. No I/O, no threads, no clock: time is passed in as 32-bit wrapping milliseconds and datagrams
 * leave through a {@link kcp.core.KcpOutput} callback. Nothing in this package is thread-safe; a {@code Kcp} has one
 * owner (typically a session holding a lock).
 */
package kcp.core;
