package kcp.net.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * UDP channels that an interrupt does not close, and sends that survive the caller's interrupt.
 *
 * <p>A {@link DatagramChannel} from {@link DatagramChannel#open()} is an interruptible channel: interrupting a thread
 * while it sends or receives, or sending from a thread whose interrupt status is set, closes the channel. A KCP socket
 * carries every session of a listener, so one application thread cancelled by an interrupt in the middle of a write
 * or a close would end all of them. The JDK builds its {@code java.net.DatagramSocket} on channels that ignore
 * interrupts; {@link #open} makes such a channel for kcp.net, which works only when the application opens the JDK's
 * internals to kcp.net ({@code --add-opens java.base/sun.nio.ch=kcp.net}, as for segmentation offload). Without that
 * it returns an ordinary channel, and {@link #send} still keeps a send from a thread that was interrupted before it
 * from closing the channel; only an interrupt that lands during the send itself then closes it.
 */
public final class UninterruptibleChannels {
    /** {@code DatagramChannelImpl(SelectorProvider, boolean interruptible)}: a dual-stack channel. */
    private static final Constructor<?> ANY_FAMILY;
    /** {@code DatagramChannelImpl(SelectorProvider, ProtocolFamily, boolean interruptible)}. */
    private static final Constructor<?> ONE_FAMILY;
    private static final String UNAVAILABLE_BECAUSE;

    static {
        Constructor<?> any = null;
        Constructor<?> one = null;
        String why = null;
        try {
            Class<?> impl = Class.forName("sun.nio.ch.DatagramChannelImpl");
            Class<?> providers = Class.forName("sun.nio.ch.SelectorProviderImpl");
            if (!providers.isInstance(SelectorProvider.provider())) {
                why = "the application installed its own SelectorProvider, " + SelectorProvider.provider();
            } else {
                any = impl.getDeclaredConstructor(SelectorProvider.class, boolean.class);
                one = impl.getDeclaredConstructor(SelectorProvider.class, ProtocolFamily.class, boolean.class);
                any.setAccessible(true);
                one.setAccessible(true);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            any = null;
            one = null;
            why = SocketInternals.closedMessage(e);
        }
        ANY_FAMILY = any;
        ONE_FAMILY = one;
        UNAVAILABLE_BECAUSE = why;
    }

    private UninterruptibleChannels() {
    }

    /** {@return true if {@link #open} makes channels that an interrupt does not close} */
    public static boolean available() {
        return ANY_FAMILY != null;
    }

    /** {@return why {@link #available()} is false, or null if it is true} */
    public static String unavailableBecause() {
        return UNAVAILABLE_BECAUSE;
    }

    /**
     * Opens an unbound UDP channel in blocking mode that an interrupt does not close where this JVM allows it
     * ({@link #available()}), otherwise an ordinary one.
     *
     * @param family the protocol family, or null for the JDK's default (dual-stack where IPv6 is available)
     * @return the channel
     * @throws IOException if no socket can be opened
     */
    public static DatagramChannel open(ProtocolFamily family) throws IOException {
        if (ANY_FAMILY == null) {
            return family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        }
        try {
            return (DatagramChannel) (family == null
                    ? ANY_FAMILY.newInstance(SelectorProvider.provider(), false)
                    : ONE_FAMILY.newInstance(SelectorProvider.provider(), family, false));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // an unsupported family, as DatagramChannel.open reports it
            }
            throw new IOException("opening a UDP channel failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException("opening a UDP channel failed", e);
        }
    }

    /**
     * Sends one datagram as {@link DatagramChannel#send} does, except that the caller's interrupt is left for the
     * caller's own blocking calls: the send goes out with the interrupt status cleared, and the status is set again
     * afterwards. A channel from {@link #open} that has to wait for room in a full send buffer on a virtual thread
     * reports an interrupt during that wait by throwing {@link InterruptedIOException}, having sent nothing; the send
     * is then retried. An ordinary channel is still closed by an interrupt that lands during the send.
     *
     * @param channel  the channel
     * @param datagram the bytes in {@code [position, limit)}; the position is advanced if the datagram was sent
     * @param to       the destination
     * @return what {@link DatagramChannel#send} returned
     * @throws IOException as {@link DatagramChannel#send}
     */
    public static int send(DatagramChannel channel, ByteBuffer datagram, SocketAddress to) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return channel.send(datagram, to);
                } catch (InterruptedIOException e) {
                    if (!channel.isOpen()) {
                        throw e;
                    }
                    interrupted = true;
                    Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
