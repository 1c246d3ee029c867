/**
 * Blocking KCP over UDP, wire-compatible with kcp-go: {@link kcp.net.SessionOptions} (every knob,
 * validated), {@link kcp.net.KcpMode} (kcptun presets), {@link kcp.net.NetStats} (kcp-go's SNMP counters,
 * per session and global, in JMX). Each class states its own thread-safety; user threads block on
 * {@code ReentrantLock} conditions, never on monitors, so virtual threads never pin.
 */
package kcp.net;
