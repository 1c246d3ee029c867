package kcp.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * <p>Every factory also comes in a form that takes a {@link DatagramTransport} (kcp-go's {@code NewConn} and
 * {@code ServeConn} over any {@code net.PacketConn}) and a {@link KcpContext} (the clock, updater and buffer pool;
 * {@link KcpContext#shared()} unless given). Socket options that must be set before the first datagram go through
 * {@link UdpTransport#bind(InetSocketAddress, SocketControl)} (kcp-go's {@code Control}).
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
        return dial(remote, options, SocketControl.NONE);
    }

    /**
     * Opens a client session like {@link #dial(InetSocketAddress, SessionOptions)} after {@code control} has set
     * options on the new socket, before it is bound (kcp-go's {@code Dialer.Control}).
     *
     * @param remote  the server
     * @param options every knob, crypto and FEC
     * @param control sets socket options before the bind
     * @return the session
     * @throws IOException if the socket cannot be opened, configured or bound
     */
    public static KcpSession dial(InetSocketAddress remote, SessionOptions options, SocketControl control)
            throws IOException {
        requireResolved(remote);
        Objects.requireNonNull(options, "options");
        InetAddress any = remote.getAddress() instanceof java.net.Inet6Address
                ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
        UdpTransport t = UdpTransport.bind(new InetSocketAddress(any, 0), control);
        try {
            applySocketOptions(t, remote, options);
            return KcpSession.client(CONV_RANDOM.nextInt(), t, remote, options, KcpContext.shared().net());
        } catch (IOException | RuntimeException e) {
            t.close();
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
        UdpTransport t = UdpTransport.over(channel, ownChannel);
        requireResolved(remote);
        Objects.requireNonNull(options, "options");
        if (ownChannel) {
            applySocketOptions(t, remote, options);
        }
        return KcpSession.client(conv, t, remote, options, KcpContext.shared().net());
    }

    /**
     * Opens a client session over any datagram carrier (kcp-go's {@code NewConn} over a {@code net.PacketConn}), in
     * the shared context. The session starts the transport's delivery and closes the transport when it closes.
     * Socket options of {@code options} are not applied: configure the carrier yourself.
     *
     * @param transport a transport not yet started
     * @param remote    the peer's address on that carrier
     * @param conv      conversation id (any 32-bit value; both ends must use the same)
     * @param options   every knob, crypto and FEC
     * @return the session
     */
    public static KcpSession dial(DatagramTransport transport, InetSocketAddress remote, int conv,
            SessionOptions options) {
        return dial(transport, remote, conv, options, KcpContext.shared());
    }

    /**
     * Opens a client session over any datagram carrier in {@code context} (a manual context runs it in virtual
     * time); see {@link #dial(DatagramTransport, InetSocketAddress, int, SessionOptions)}.
     *
     * @param transport a transport not yet started
     * @param remote    the peer's address on that carrier
     * @param conv      conversation id
     * @param options   every knob, crypto and FEC
     * @param context   the clock, updater and buffer pool the session runs on
     * @return the session
     */
    public static KcpSession dial(DatagramTransport transport, InetSocketAddress remote, int conv,
            SessionOptions options, KcpContext context) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(context, "context (KcpContext.shared() for the default)");
        return KcpSession.client(conv, transport, remote, options, context.net());
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
        return listen(local, options, SocketControl.NONE);
    }

    /**
     * Listens on {@code local} after {@code control} has set options on the new socket (kcp-go's
     * {@code ListenConfig.Control}); the listener owns the socket.
     *
     * @param local   address to bind
     * @param options knobs applied to every accepted session, crypto, FEC, backlog, quiet period
     * @param control sets socket options before the bind
     * @return the listener
     * @throws IOException if configuring or binding fails
     */
    public static KcpListener listen(InetSocketAddress local, SessionOptions options, SocketControl control)
            throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(options, "options");
        UdpTransport t = UdpTransport.bind(local, control);
        try {
            applySocketOptions(t, null, options);
            return new KcpListener(t, options, KcpContext.shared().net());
        } catch (IOException | RuntimeException e) {
            t.close();
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
        UdpTransport t = UdpTransport.over(channel, false);
        return new KcpListener(t, Objects.requireNonNull(options, "options"), KcpContext.shared().net());
    }

    /**
     * Serves KCP over any datagram carrier (kcp-go {@code ServeConn} over a {@code net.PacketConn}) in the shared
     * context. The listener starts the transport's delivery and closes the transport when it closes.
     *
     * @param transport a transport not yet started
     * @param options   knobs applied to every accepted session, crypto, FEC, backlog, quiet period
     * @return the listener
     */
    public static KcpListener serve(DatagramTransport transport, SessionOptions options) {
        return serve(transport, options, KcpContext.shared());
    }

    /**
     * Serves KCP over any datagram carrier in {@code context} (a manual context runs the listener and every session
     * it accepts in virtual time).
     *
     * @param transport a transport not yet started
     * @param options   knobs applied to every accepted session, crypto, FEC, backlog, quiet period
     * @param context   the clock, updater and buffer pool the listener and its sessions run on
     * @return the listener
     */
    public static KcpListener serve(DatagramTransport transport, SessionOptions options, KcpContext context) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(context, "context (KcpContext.shared() for the default)");
        return new KcpListener(transport, options, context.net());
    }

    private static void requireResolved(InetSocketAddress remote) {
        Objects.requireNonNull(remote, "remote");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote address is unresolved: " + remote
                    + "; resolve it first (new InetSocketAddress(host, port) resolves)");
        }
    }

    private static void applySocketOptions(UdpTransport t, InetSocketAddress remote, SessionOptions o)
            throws IOException {
        t.setBuffers(o.readBufferBytes(), o.writeBufferBytes());
        if (o.dscp() >= 0) {
            t.setDscp(o.dscp(), remote);
        }
    }
}
