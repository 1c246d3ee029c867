package kcp.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Factories for KCP endpoints (kcp-go's {@code DialWithOptions}, {@code NewConn4}, {@code ListenWithOptions},
 * {@code ServeConn}; spec 5.11).
 *
 * <pre>{@code
 * var opts = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(1024, 1024)
 *         .cipherWithPassphrase("aes", "secret").fec(10, 3).build();
 * try (KcpListener server = Kcps.listen(new InetSocketAddress("0.0.0.0", 4000), opts)) {
 *     while (true) {
 *         KcpSession s = server.accept();
 *         Thread.startVirtualThread(() -> handle(s));
 *     }
 * }
 * try (KcpSession c = Kcps.dial(new InetSocketAddress("example.org", 4000), opts)) {
 *     c.write("hello".getBytes());
 * }
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class Kcps {
    private static final SecureRandom CONV_RANDOM = new SecureRandom();

    private Kcps() {
    }

    /**
     * Opens a client session to {@code remote} on a new UDP socket (bound to an ephemeral port on the
     * wildcard address of the remote's family) with a random conv from {@link SecureRandom}, like kcp-go's
     * {@code DialWithOptions}. The session owns the socket and runs its own receive loop.
     *
     * @param remote  the server
     * @param options every knob, crypto and FEC
     * @return the session (no handshake: the server learns of it with the first datagram)
     * @throws IOException if the socket cannot be opened
     */
    public static KcpSession dial(InetSocketAddress remote, SessionOptions options) throws IOException {
        requireResolved(remote);
        Objects.requireNonNull(options, "options");
        DatagramChannel ch = DatagramChannel.open(family(remote));
        try {
            ch.bind(null);
            applySocketOptions(ch, remote, options);
            return KcpSession.client(CONV_RANDOM.nextInt(), ch, true, remote, options);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens a client session over an existing bound channel with an explicit conv (kcp-go {@code NewConn4};
     * {@code ownChannel = false} is {@code NewConn3}). The session runs a receive loop on the channel, so
     * one channel serves one client session. Socket options of {@code options} apply only if owned.
     *
     * @param channel    a bound, blocking channel
     * @param remote     the server
     * @param conv       conversation id (any 32-bit value)
     * @param ownChannel true: closing the session closes the channel
     * @param options    every knob, crypto and FEC
     * @return the session
     * @throws IOException if the channel is unusable
     */
    public static KcpSession dial(DatagramChannel channel, InetSocketAddress remote, int conv, boolean ownChannel,
            SessionOptions options) throws IOException {
        requireUsable(channel);
        requireResolved(remote);
        Objects.requireNonNull(options, "options");
        if (ownChannel) {
            applySocketOptions(channel, remote, options);
        }
        return KcpSession.client(conv, channel, ownChannel, remote, options);
    }

    /**
     * Listens on {@code local} (kcp-go {@code ListenWithOptions}); the listener owns the socket.
     *
     * @param local   address to bind, e.g. {@code new InetSocketAddress("127.0.0.1", 0)}
     * @param options knobs applied to every accepted session, crypto, FEC, backlog, quiet period
     * @return the listener
     * @throws IOException if binding fails
     */
    public static KcpListener listen(InetSocketAddress local, SessionOptions options) throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(options, "options");
        DatagramChannel ch = local.getAddress() == null ? DatagramChannel.open() : DatagramChannel.open(family(local));
        try {
            ch.bind(local);
            applySocketOptions(ch, null, options);
            return new KcpListener(ch, true, options);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Serves KCP over an existing bound channel (kcp-go {@code ServeConn}); closing the listener leaves the
     * channel open.
     *
     * @param channel a bound, blocking channel
     * @param options knobs applied to every accepted session, crypto, FEC, backlog, quiet period
     * @return the listener
     * @throws IOException if the channel is unusable
     */
    public static KcpListener serve(DatagramChannel channel, SessionOptions options) throws IOException {
        requireUsable(channel);
        return new KcpListener(channel, false, Objects.requireNonNull(options, "options"));
    }

    private static ProtocolFamily family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static void requireResolved(InetSocketAddress remote) {
        Objects.requireNonNull(remote, "remote");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote address is unresolved: " + remote
                    + "; resolve it first (new InetSocketAddress(host, port) resolves)");
        }
    }

    private static void requireUsable(DatagramChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (!channel.isOpen() || channel.getLocalAddress() == null || !channel.isBlocking()) {
            throw new IllegalArgumentException("channel must be open, bound and in blocking mode: " + channel);
        }
    }

    private static void applySocketOptions(DatagramChannel ch, InetSocketAddress remote, SessionOptions o)
            throws IOException {
        applyBuffers(ch, o.readBufferBytes(), o.writeBufferBytes());
        if (o.dscp() >= 0) {
            applyDscp(ch, remote, o.dscp());
        }
    }

    static void applyBuffers(DatagramChannel ch, int readBytes, int writeBytes) throws IOException {
        if (readBytes > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, readBytes);
        }
        if (writeBytes > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, writeBytes);
        }
    }

    /** kcp-go SetDSCP: IPv4 TOS = dscp &lt;&lt; 2; IPv6 traffic class = dscp, unshifted (kcp-go's quirk, spec 5.3). */
    static void applyDscp(DatagramChannel ch, InetSocketAddress remote, int dscp) throws IOException {
        boolean v4 = remote != null ? remote.getAddress() instanceof Inet4Address
                : ((InetSocketAddress) ch.getLocalAddress()).getAddress() instanceof Inet4Address;
        ch.setOption(StandardSocketOptions.IP_TOS, v4 ? dscp << 2 : dscp);
    }
}
