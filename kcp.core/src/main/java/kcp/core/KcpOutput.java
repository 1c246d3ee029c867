package kcp.core;

/**
 * Receives the datagrams a {@link Kcp} produces during {@code flush} (and the flushes {@code input} triggers).
 * Called on the thread that drives the Kcp.
 */
@FunctionalInterface
public interface KcpOutput {
    /**
     * Called during flush with one datagram of concatenated segments.
     *
     * @param buf the Kcp's internal flush buffer; the datagram is {@code buf[0, len)}. It is only valid during the
     *            call: copy it before returning, the Kcp overwrites it with the next datagram.
     * @param len datagram length in bytes, at least 24 and at most the MTU (unless segments queued before an MTU
     *            reduction are larger)
     */
    void output(byte[] buf, int len);
}
