package kcp.core;

/**
 * Outcome of {@link Kcp#input}: ikcp's {@code ikcp_input} return codes as an enum. Segments processed before an
 * error stay applied (same as kcp-go).
 */
public enum InputResult {
    /** Every segment was parsed (ikcp 0). */
    OK,
    /** The datagram is shorter than one 24-byte header (ikcp -1). */
    TOO_SHORT,
    /** A segment carries another conversation id (ikcp -1); the rest of the datagram is ignored. */
    CONV_MISMATCH,
    /** A segment's {@code len} exceeds the bytes left in the datagram (ikcp -2). */
    BAD_LENGTH,
    /** A segment's {@code cmd} is not PUSH/ACK/WASK/WINS (ikcp -3). */
    BAD_CMD
}
