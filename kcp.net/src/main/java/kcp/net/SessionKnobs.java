package kcp.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import kcp.fec.DatagramLayout;
import kcp.net.internal.SessionEngine;

/**
 * The tuning half of {@link KcpSession}: the read and write timeouts, and kcp-go's {@code Get*} statistics and
 * {@code Set*} knobs of a live session ({@code GetRTO}, {@code SetNoDelay}, {@code SetMtu}, {@code SetDSCP}, ...),
 * each validated like its {@link SessionOptions} counterpart and applied to the {@link SessionEngine} under its lock.
 * {@link KcpSession} keeps the blocking I/O, the OOB datagrams and the lifecycle. Thread-safe.
 */
abstract class SessionKnobs {
    final SessionEngine engine;
    final SessionOptions options;
    final DatagramTransport transport;
    /** Where the session sends; volatile because a migrating listener moves it ({@code KcpSession.moveTo}). */
    volatile InetSocketAddress remote;
    /** True for a dialled session, which owns its transport; false for a listener's session. */
    final boolean dialled;
    volatile long readTimeoutNanos;
    volatile long writeTimeoutNanos;

    SessionKnobs(SessionEngine engine, SessionOptions options, DatagramTransport transport, InetSocketAddress remote,
            boolean dialled) {
        this.engine = engine;
        this.options = options;
        this.transport = transport;
        this.remote = remote;
        this.dialled = dialled;
    }

    /**
     * Sets how long a read waits for data before it throws {@link SocketTimeoutException}; blocked readers pick the
     * new value up at once.
     *
     * @param timeout the longest wait, {@link Duration#ZERO} for none
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = ArqOptions.checkTimeout(timeout);
        engine.wakeAll();
    }

    /**
     * Sets how long a write waits for window space before it throws {@link SocketTimeoutException}; blocked writers
     * pick the new value up at once.
     *
     * @param timeout the longest wait, {@link Duration#ZERO} for none
     */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = ArqOptions.checkTimeout(timeout);
        engine.wakeAll();
    }

    /** {@return the retransmission timeout in ms, from the measured RTT (kcp-go {@code GetRTO})} */
    public int rto() {
        return (int) engine.underLock(engine.kcp()::rxRto);
    }

    /** {@return the smoothed round-trip time in ms (kcp-go {@code GetSRTT}), 0 before the first ACK} */
    public int srtt() {
        return (int) engine.underLock(engine.kcp()::rxSrtt);
    }

    /** {@return the round-trip time's mean deviation in ms (kcp-go {@code GetSRTTVar})} */
    public int srttVar() {
        return (int) engine.underLock(engine.kcp()::rxRttvar);
    }

    /** {@return the segments KCP holds: queued to send plus sent and not yet acknowledged (kcp-go {@code WaitSnd})} */
    public int waitSnd() {
        return (int) engine.underLock(engine.kcp()::waitSnd);
    }

    /**
     * Changes KCP's timing knobs (kcp-go {@code SetNoDelay}); validated like {@link SessionOptions.Builder#noDelay}.
     *
     * @param noDelay    true: minimum RTO 30 ms instead of 100 ms
     * @param intervalMs flush interval, 10..5000 ms
     * @param fastResend duplicate ACKs that trigger a fast retransmit, 0 = off
     * @param nc         true: no congestion control
     */
    public void setNoDelay(boolean noDelay, int intervalMs, int fastResend, boolean nc) {
        ArqOptions.checkNoDelay(intervalMs, fastResend);
        engine.reconfigure(() -> engine.kcp().setNoDelay(noDelay, intervalMs, fastResend, nc));
    }

    /**
     * Changes the send and receive windows (kcp-go {@code SetWindowSize}); the peer hears of the new receive window at
     * once.
     *
     * @param sndWnd packets, 1..65535
     * @param rcvWnd packets, 1..65535
     */
    public void setWindowSize(int sndWnd, int rcvWnd) {
        ArqOptions.checkWindows(sndWnd, rcvWnd);
        engine.reconfigure(() -> engine.kcp().setWindowSize(sndWnd, rcvWnd));
        engine.tickNow();
    }

    /**
     * Changes the datagram size limit (kcp-go {@code SetMtu}); KCP gets what the crypto and FEC headers leave.
     *
     * @param mtu bytes, validated like {@link SessionOptions#mtu()} against this session's crypto and FEC (the floor
     *            is {@code DatagramLayout.minMtu}: 61 with AES-GCM and FEC, for example)
     * @throws IllegalArgumentException naming the floor, if {@code mtu} is below it or above 1500
     */
    public void setMtu(int mtu) {
        int crypto = engine.overheadBytes() - options.fec().headerBytes();
        ArqOptions.checkMtu(mtu, crypto, options.fecEnabled());
        engine.reconfigure(() -> engine.kcp().setMtu(DatagramLayout.kcpMtu(mtu, crypto, options.fecEnabled())));
    }

    /**
     * Switches stream mode (kcp-go {@code SetStreamMode}): segments merge and messages lose their boundaries.
     *
     * @param stream true for stream mode
     */
    public void setStreamMode(boolean stream) {
        engine.reconfigure(() -> engine.kcp().setStreamMode(stream));
    }

    /**
     * Lets writes skip their flush while the window has room (kcp-go {@code SetWriteDelay}); the next tick sends.
     *
     * @param delay true to delay
     */
    public void setWriteDelay(boolean delay) {
        engine.setWriteDelay(delay);
    }

    /**
     * Makes every input flush ACKs at once instead of at the next tick (kcp-go {@code SetACKNoDelay}).
     *
     * @param noDelay true to flush ACKs on input
     */
    public void setAckNoDelay(boolean noDelay) {
        engine.setAckNoDelay(noDelay);
    }

    /**
     * Sends every datagram this many extra times (kcp-go {@code SetDUP}, for testing lossy links).
     *
     * @param dup extra copies, 0..8
     */
    public void setDup(int dup) {
        ArqOptions.checkDup(dup);
        engine.setDup(dup);
    }

    /**
     * Paces sends with a token bucket (kcp-go v5.6.35 {@code SetRateLimit}; burst 96,000 bytes).
     *
     * @param bytesPerSec the rate, 0 = unlimited
     */
    public void setRateLimit(long bytesPerSec) {
        engine.setRateLimit(bytesPerSec);
    }

    /**
     * Sets the socket's DSCP (kcp-go {@code SetDSCP}) through the session's transport; only for a dialled session that
     * owns its socket (an accepted session shares its listener's: use {@link KcpListener#setDscp}).
     *
     * @param dscp 0..63
     * @throws IOException           if the socket rejects it
     * @throws IllegalStateException on a listener's session or a socket the session does not own
     * @throws UnsupportedOperationException if the session's own {@link DatagramTransport} cannot set it
     */
    public void setDscp(int dscp) throws IOException {
        DatagramTransport t = UdpTransport.ownedBy(transport, dialled, "setDscp");
        SocketOptions.checkDscp(dscp);
        t.setDscp(dscp, remote);
    }

    /**
     * Sets the socket's buffers (kcp-go {@code SetReadBuffer}/{@code SetWriteBuffer}) through the session's transport;
     * only for a dialled session that owns its socket (an accepted session shares its listener's).
     *
     * @param readBytes  SO_RCVBUF, 0 = unchanged
     * @param writeBytes SO_SNDBUF, 0 = unchanged
     * @throws IOException if the socket rejects them
     * @throws IllegalStateException on a listener's session or a socket the session does not own
     * @throws UnsupportedOperationException if the session's own {@link DatagramTransport} cannot set them
     */
    public void setSocketBuffers(int readBytes, int writeBytes) throws IOException {
        DatagramTransport t = UdpTransport.ownedBy(transport, dialled, "setSocketBuffers");
        SocketOptions.checkBuffers(readBytes, writeBytes);
        t.setBuffers(readBytes, writeBytes);
    }

    long ticks() {
        return engine.ticks();
    }

    long hibernations() {
        return engine.hibernations();
    }
}
