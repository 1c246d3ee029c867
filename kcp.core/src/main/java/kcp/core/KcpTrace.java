package kcp.core;

/**
 * Receives a {@link Kcp}'s segment-level trace: kcp-go's {@code SetLogger} with {@code KCPLogType} in Java form,
 * as structured calls instead of formatted lines. Install one with {@link Kcp#setTrace}; kcp.net turns these calls
 * into JFR events ({@code docs/observability.md}).
 *
 * <p>Every method runs on the thread that drives the Kcp, inside the call that caused it ({@link Kcp#input},
 * {@link Kcp#flush}, {@link Kcp#send}, {@link Kcp#recv}), so an implementation must be quick, must not call back into
 * the Kcp, and should not throw: an exception propagates out of that call and leaves the Kcp's state half updated.
 * Without a trace the Kcp pays one null check per segment. Integers are the wire's unsigned 32-bit values in an
 * {@code int} ({@link Integer#toUnsignedLong} to print them); {@code cmd} is one of the {@code SegmentHeader.CMD_*}
 * values. The default methods do nothing, so an implementation overrides only what it needs.
 */
public interface KcpTrace {
    /**
     * A segment of a datagram passed to {@link Kcp#input} was parsed and is about to be applied (kcp-go
     * {@code IKCP_LOG_INPUT} and {@code IKCP_LOG_IN_ACK/PUSH/WASK/WINS}); a datagram with several segments makes one
     * call for each.
     *
     * @param conv conversation id
     * @param cmd  command: PUSH, ACK, WASK or WINS
     * @param frg  fragment number, counting down to 0 in a message
     * @param wnd  the sender's free receive window in segments
     * @param ts   the sender's timestamp (an ACK echoes the acknowledged segment's)
     * @param sn   sequence number (an ACK carries the acknowledged one)
     * @param una  the sender's next expected sn (everything below it is acknowledged)
     * @param len  payload bytes
     */
    default void segmentIn(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len) {
    }

    /**
     * A segment header was encoded into the output buffer by a flush (kcp-go {@code IKCP_LOG_OUTPUT} and
     * {@code IKCP_LOG_OUT_ACK/PUSH/WASK/WINS}); it goes to the output callback with the rest of its datagram.
     *
     * @param conv conversation id
     * @param cmd  command: PUSH, ACK, WASK or WINS
     * @param frg  fragment number
     * @param wnd  the free receive window advertised
     * @param ts   timestamp (ACK: the acknowledged segment's)
     * @param sn   sequence number
     * @param una  next sn expected from the peer
     * @param len  payload bytes
     * @param xmit transmissions of this segment so far, this one included (1: first send); 0 for ACK, WASK, WINS
     */
    default void segmentOut(int conv, int cmd, int frg, int wnd, int ts, int sn, int una, int len, int xmit) {
    }

    /**
     * {@link Kcp#send} queued a user message (kcp-go {@code IKCP_LOG_SEND}).
     *
     * @param conv      conversation id
     * @param len       bytes queued
     * @param fragments segments the message was split into (stream mode: new segments, 0 if it only filled the
     *                  last queued one)
     */
    default void send(int conv, int len, int fragments) {
    }

    /**
     * {@link Kcp#recv} delivered a message to the user (kcp-go {@code IKCP_LOG_RECV}).
     *
     * @param conv      conversation id
     * @param len       bytes delivered
     * @param fragments segments the message was reassembled from
     * @param sn        sequence number of the message's last segment
     */
    default void recv(int conv, int len, int fragments, int sn) {
    }
}
