package kcp.net;

import java.io.IOException;
import java.nio.channels.DatagramChannel;

/**
 * Sets socket options on a new UDP socket before it is bound and used (kcp-go's {@code net.ListenConfig.Control}
 * hook): for example {@code SO_REUSEADDR}, {@code SO_REUSEPORT} or a buffer size the {@link SessionOptions} do not
 * cover. Used by {@link UdpTransport#bind(java.net.InetSocketAddress, SocketControl)}.
 */
@FunctionalInterface
public interface SocketControl {
    /** Leaves the socket as the JDK opens it. */
    SocketControl NONE = channel -> { };

    /**
     * Configures the freshly opened, still unbound channel.
     *
     * @param channel the socket; do not bind, connect or close it here
     * @throws IOException if an option is rejected (the socket is then closed and the error passed on)
     */
    void configure(DatagramChannel channel) throws IOException;
}
