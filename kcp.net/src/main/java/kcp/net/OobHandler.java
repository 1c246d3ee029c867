package kcp.net;

/**
 * Receives a session's out-of-band datagrams as they arrive (kcp-go v5.6.72 {@code SetOOBHandler}); set it with
 * {@link KcpSession#setOobHandler}. While a handler is set, OOB datagrams go to it instead of the queue that
 * {@link KcpSession#receiveOob(byte[], int, int, java.time.Duration)} reads.
 *
 * <p><b>Threading.</b> Called on the thread that delivers the session's datagrams: a dialled session's receive loop,
 * or its listener's single receive loop, which serves every session of that listener. It must return quickly and
 * must not block (hand the bytes to another thread or queue if the work takes time): while it runs, no datagram of
 * that socket is processed. Calls for one session never overlap. An exception it throws is caught, counted in
 * {@link SnmpField#OOB_DROPS} and logged (at most once every 10 s per session); the receive loop carries on.
 */
@FunctionalInterface
public interface OobHandler {
    /**
     * Handles one OOB payload. The bytes are valid only during the call (the receive buffer is reused for the next
     * datagram): copy what you keep.
     *
     * @param payload the receive buffer
     * @param off     the payload's first byte
     * @param len     the payload's length, 0 up to {@link KcpSession#oobMaxSize()} of the sending peer
     */
    void onOob(byte[] payload, int off, int len);
}
