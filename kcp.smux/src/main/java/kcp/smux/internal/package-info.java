/** Implementation of {@code kcp.smux}: frame codec, stream buffers, the session's reader and writer. */
package kcp.smux.internal;
