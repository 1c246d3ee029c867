/**
 * kcp.net's machinery, not exported: the shared {@link kcp.net.internal.Updater} thread, the
 * {@link kcp.net.internal.BufferPool}, the SNMP {@link kcp.net.internal.Counters} storage, the packet pipeline,
 * the receive loops and the transmit queues. Each class states its own thread-safety.
 */
package kcp.net.internal;
