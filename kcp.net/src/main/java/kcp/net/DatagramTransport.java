package kcp.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The datagram carrier under a {@link KcpSession} or {@link KcpListener} (kcp-go's {@code net.PacketConn} in
 * {@code NewConn}/{@code ServeConn}): it sends datagrams and delivers the ones it receives to one
 * {@link Receiver}. {@link UdpTransport} is the UDP socket every {@link Kcps} factory uses; tests run sessions over
 * {@code kcp.net.testing.VirtualNetwork}'s in-memory endpoints; an application can carry KCP over anything that
 * moves datagrams (a relay, a tunnel, a shared socket).
 *
 * <p><b>Contract.</b> {@link #start} is called once, by the session or listener the transport was given to; from
 * then on the transport calls {@link Receiver#onDatagram} for every datagram, one call at a time (a session's input
 * path is single-threaded), until {@link #close()}. {@link #send} may be called from any thread, concurrently with
 * deliveries. The session or listener closes the transport when it closes. A datagram may be lost, duplicated or
 * reordered: KCP recovers. Receivers never throw on bad input (they count and drop it).
 *
 * <pre>{@code
 * // kcp-go's NewConn over a carrier of your own:
 * KcpSession s = Kcps.dial(myTransport, peer, conv, options);
 * // kcp-go's ServeConn:
 * KcpListener l = Kcps.serve(myTransport, options);
 * }</pre>
 */
public interface DatagramTransport extends AutoCloseable {
    /** Where a transport delivers what it receives. */
    interface Receiver {
        /**
         * Handles one received datagram; called by one thread at a time.
         *
         * @param buf  the datagram in {@code buf[0, len)}; the receiver may modify it in place (decryption) and
         *             must not keep it after returning
         * @param len  the datagram's length
         * @param from the sender
         */
        void onDatagram(byte[] buf, int len, InetSocketAddress from);

        /**
         * Reports that the transport stopped delivering for another reason than {@link #close()}; sessions then
         * fail their blocked and later calls with this error.
         *
         * @param e what ended the delivery (for UDP: the socket was closed by someone else, or failed)
         */
        void onReceiveFailed(IOException e);
    }

    /**
     * Returns the address peers send to; a session reports it as its {@link KcpSession#localAddress()}.
     *
     * @return the local address
     */
    InetSocketAddress localAddress();

    /**
     * Starts delivering received datagrams to {@code receiver}; called once.
     *
     * @param receiver   where datagrams go
     * @param threadKind the thread kind to use if the transport runs a receive thread of its own (UDP: one loop per
     *                   socket); a transport that delivers on other threads ignores it
     * @throws IllegalStateException if already started or closed
     */
    void start(Receiver receiver, ReceiveThreadKind threadKind);

    /**
     * Sends the datagram in {@code datagram[position, limit)} to {@code to}; advances the position. A datagram that
     * cannot be sent right now may be dropped silently, as UDP would. A session may call this while it holds its
     * own lock (a large flush sends as it goes), so it must not deliver to a {@link Receiver} on the calling thread:
     * hand the datagram to another thread or queue it, as UDP and the in-memory carriers do.
     *
     * @param datagram the bytes, at most 1500
     * @param to       the destination
     * @throws java.net.PortUnreachableException if an earlier datagram met a closed port (connected UDP); the session
     *                                           skips it and goes on
     * @throws IOException                       if the carrier failed; the session then fails
     */
    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;

    /**
     * Sends {@code datagrams[0, count)} to {@code to}, in order, as {@code count} calls of {@link #send} would;
     * the session's send queue hands its datagrams over this way. A carrier that can send several datagrams at once
     * (kcp-go's {@code WriteBatch}) overrides it; the default calls {@link #send} for each.
     *
     * @param datagrams each in {@code [position, limit)}; every position is advanced past what was sent
     * @param count     how many to send
     * @param to        the destination of all of them
     * @throws java.net.PortUnreachableException if an earlier datagram met a closed port (connected UDP); those not
     *                                           yet sent are lost, and the session resends
     * @throws IOException                       if the carrier failed; the session then fails
     */
    default void sendAll(ByteBuffer[] datagrams, int count, InetSocketAddress to) throws IOException {
        for (int i = 0; i < count; i++) {
            send(datagrams[i], to);
        }
    }

    /**
     * Sets the carrier's receive and send buffers (kcp-go {@code SetReadBuffer}/{@code SetWriteBuffer}); what
     * {@link KcpListener#setSocketBuffers} and {@link KcpSession#setSocketBuffers} call. {@link UdpTransport} sets
     * {@code SO_RCVBUF}/{@code SO_SNDBUF}; a transport without buffers to size keeps this default, which throws.
     *
     * @param readBytes  receive buffer in bytes, 0 leaves it unchanged
     * @param writeBytes send buffer in bytes, 0 leaves it unchanged
     * @throws IOException                   if the carrier rejects a value
     * @throws UnsupportedOperationException if this transport has no such setting (the default)
     */
    default void setBuffers(int readBytes, int writeBytes) throws IOException {
        throw new UnsupportedOperationException("this transport (" + this + ") cannot set socket buffers: override "
                + "DatagramTransport.setBuffers in it, or size the carrier's buffers where you create it");
    }

    /**
     * Sets the DSCP of what the carrier sends (kcp-go {@code SetDSCP}); what {@link KcpListener#setDscp} and
     * {@link KcpSession#setDscp} call. {@link UdpTransport} sets {@code IP_TOS}; the default throws.
     *
     * @param dscp 0..63, already validated
     * @param peer the peer whose address family decides IPv4 or IPv6, or null for the local address's family
     * @throws IOException                   if the carrier rejects it
     * @throws UnsupportedOperationException if this transport has no such setting (the default)
     */
    default void setDscp(int dscp, InetSocketAddress peer) throws IOException {
        throw new UnsupportedOperationException("this transport (" + this + ") cannot set a DSCP: override "
                + "DatagramTransport.setDscp in it, or mark the carrier's traffic where you create it");
    }

    /** Stops delivering and releases the carrier (idempotent); {@link UdpTransport} closes only a socket it owns. */
    @Override
    void close();
}
