/**
 * smux streams over a KCP session: the session, its streams, their configuration, and kcptun's snappy
 * compression wrapper.
 */
package kcp.smux;
