/**
 * kcp.net's machinery, not exported: the shared {@link kcp.net.internal.Updater} thread, the
 * {@link kcp.net.internal.BufferPool} and the SNMP {@link kcp.net.internal.Counters} storage. Each class states its own thread-safety.
 */
package kcp.net.internal;
