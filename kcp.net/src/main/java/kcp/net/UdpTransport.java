package kcp.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import kcp.net.internal.ReceiveLoop;
import kcp.net.internal.SegmentingSender;
import kcp.net.internal.UdpCoalescing;
import kcp.net.internal.UdpSegmentation;
import kcp.net.internal.UninterruptibleChannels;

/**
 * A {@link DatagramTransport} over one blocking UDP {@link DatagramChannel} with one receive loop (kcp-go's
 * {@code readLoop}): every datagram lands in one reusable 1500-byte buffer and goes to the receiver on the loop's
 * thread; an ICMP port-unreachable reported on a connected channel is counted and skipped (UDP has no connection
 * to lose). Sends go straight to {@link DatagramChannel#send}; where the JVM lets kcp.net reach the JDK's socket
 * internals, {@link #sendAll} sends each run of equal-sized datagrams with one call that the kernel splits again
 * (Linux UDP segmentation offload, {@link #segments()}). A platform-thread loop on a channel the transport owns reads
 * such runs whole where the JVM allows it, one read per run (Linux UDP receive offload, {@link #coalesces()}).
 *
 * <p>With a {@link ReceiveThreadKind#VIRTUAL} loop on a channel it owns, the loop keeps the channel in non-blocking
 * mode while it polls an empty socket, briefly, before it blocks: that saves a hand-off through the JDK's poller
 * threads per burst of datagrams. A send that finds the socket's buffer full meanwhile is retried every 50
 * microseconds until it fits, so it waits as a blocking send would. A channel it does not own is never switched.
 *
 * <p>Interrupts: a JDK channel closes itself when its thread is interrupted during a send, or sends with its
 * interrupt status set, and a session sends on its callers' threads. So every send here clears the caller's status
 * and sets it again afterwards, and {@link #bind} opens a channel that ignores interrupts (the kind the JDK builds
 * {@code java.net.DatagramSocket} on) where the JVM opens {@code java.base/sun.nio.ch} to kcp.net. Without that, and
 * on a channel passed to {@link #over}, an interrupt that lands during a send still closes the channel.
 *
 * <p>Owned or not: {@link #close()} closes the channel only if this transport opened it
 * ({@link #bind}) or was told it owns it; otherwise it only stops its receive loop and leaves the channel open.
 * Thread-safe.
 */
public final class UdpTransport implements DatagramTransport {
    private final DatagramChannel channel;
    private final boolean ownsChannel;
    private final InetSocketAddress local;
    private final ReentrantLock lock = new ReentrantLock();
    private ReceiveLoop loop;
    private boolean closed;
    /** Every send goes through it: runs of equal-sized datagrams are segmented where the JVM allows it. */
    private final SegmentingSender sender;

    private UdpTransport(DatagramChannel channel, boolean ownsChannel) throws IOException {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        // Only on a socket nothing else sends on: while a segment size is set, the kernel would split any longer
        // datagram that the application sent on its own channel.
        this.sender = new SegmentingSender(channel, ownsChannel, this::sendOne, this);
    }

    /**
     * Opens a UDP socket, lets {@code control} set options on it, then binds it to {@code local}; the transport owns
     * the socket. Where the JVM opens {@code java.base/sun.nio.ch} to kcp.net, the socket's channel ignores
     * interrupts (see the class description).
     *
     * @param local   the address to bind ({@code new InetSocketAddress(0)}: any address, an ephemeral port); its
     *                family picks IPv4 or IPv6 unless it is the wildcard
     * @param control sets socket options before the bind (kcp-go's {@code Control}), {@link SocketControl#NONE}
     *                for none
     * @return the bound transport
     * @throws IOException if the socket cannot be opened, configured or bound (it is then closed)
     */
    public static UdpTransport bind(InetSocketAddress local, SocketControl control) throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(control, "control (use SocketControl.NONE for none)");
        DatagramChannel ch = UninterruptibleChannels.open(local.getAddress() == null ? null : family(local));
        try {
            control.configure(ch);
            ch.bind(local);
            return new UdpTransport(ch, true);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Wraps an existing channel (kcp-go's {@code NewConn}/{@code ServeConn} over your own {@code PacketConn}).
     *
     * @param channel  an open, bound channel in blocking mode
     * @param ownsIt   true: {@link #close()} closes the channel; false: it stays open for you
     * @return the transport
     * @throws IOException              if the channel's address cannot be read
     * @throws IllegalArgumentException if the channel is closed, unbound or non-blocking
     */
    public static UdpTransport over(DatagramChannel channel, boolean ownsIt) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (!channel.isOpen() || channel.getLocalAddress() == null || !channel.isBlocking()) {
            throw new IllegalArgumentException("channel must be open, bound and in blocking mode: " + channel);
        }
        return new UdpTransport(channel, ownsIt);
    }

    /** The transport of a dialled session, for its socket setters; kcp-go's errInvalidOperation otherwise. */
    static DatagramTransport ownedBy(DatagramTransport t, boolean dialled, String what) {
        if (!dialled || t instanceof UdpTransport udp && !udp.ownsChannel) {
            throw new IllegalStateException(what + " needs a client session that owns its socket (kcp-go "
                    + "errInvalidOperation); set it on the listener/channel instead");
        }
        return t;
    }

    static ProtocolFamily family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Returns true if {@link #close()} closes the channel.
     *
     * @return whether this transport owns its channel
     */
    public boolean ownsChannel() {
        return ownsChannel;
    }

    /** Starts the receive loop, a thread named {@code kcp-rx-<local port>}. */
    @Override
    public void start(Receiver receiver, ReceiveThreadKind threadKind) {
        Objects.requireNonNull(receiver, "receiver");
        lock.lock();
        try {
            if (loop != null || closed) {
                throw new IllegalStateException("a UDP transport delivers to one receiver, once: " + this);
            }
            loop = ReceiveLoop.start(channel, new ReceiveLoop.Handler() {
                @Override
                public void onDatagram(byte[] buf, int len, InetSocketAddress from) {
                    receiver.onDatagram(buf, len, from);
                }

                @Override
                public void onReceiveFailed(IOException e) {
                    receiver.onReceiveFailed(e);
                }
            }, threadKind, "kcp-rx-" + local.getPort(), ownsChannel);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        sender.send(datagram, to);
    }

    /**
     * Sends each run of equal-sized datagrams (the last of a run may be shorter) with one system call where the
     * kernel can split it again (Linux UDP segmentation offload; see {@link #segments()}), and the rest one by one.
     * The peer receives the same datagrams in the same order either way.
     */
    @Override
    public void sendAll(ByteBuffer[] datagrams, int count, InetSocketAddress to) throws IOException {
        sender.sendAll(datagrams, count, to);
    }

    /**
     * Returns true while this transport sends runs of equal-sized datagrams with one system call each: Linux UDP
     * segmentation offload ({@code UDP_SEGMENT}), which the JDK does not expose, so it is on only when the JVM runs
     * with {@code --add-opens java.base/sun.nio.ch=kcp.net} (the {@code ./kcp} launcher does) and not with
     * {@code -Dkcp.net.gso=false}, and only on a channel this transport owns (the application might send longer
     * datagrams of its own on a channel it shares, which the kernel would split). It turns off for good if the path
     * refuses a segmented send (no checksum offload, say); datagrams then go one by one, as they do without it.
     *
     * @return whether sends are segmented
     */
    public boolean segments() {
        return sender.segments();
    }

    /**
     * Returns whether UDP transports in this JVM can segment their sends ({@link #segments()}): on Linux, when the JVM
     * runs with {@code --add-opens java.base/sun.nio.ch=kcp.net} ({@code =ALL-UNNAMED} on the class path) and without
     * {@code -Dkcp.net.gso=false}. Sessions and listeners made by {@link Kcps} segment whenever this is true (and the
     * kernel agrees).
     *
     * @return whether segmentation is available
     */
    public static boolean segmentationAvailable() {
        return UdpSegmentation.available();
    }

    /**
     * Returns true if this transport's receive loop reads with Linux UDP receive offload ({@code UDP_GRO}): a run of
     * datagrams that one sender sent with one call (segmentation offload, {@link #segments()}) arrives over loopback
     * in one read, and a network card that coalesces received datagrams saves reads for any peer; each datagram still
     * reaches the receiver on its own. The JDK cannot read a socket this way, so kcp.net reads it through the foreign
     * function API (JDK 22 and later) when the JVM runs with {@code --enable-native-access=kcp.net} as well as
     * {@code --add-opens java.base/sun.nio.ch=kcp.net} (the {@code ./kcp} launcher passes both), and not with
     * {@code -Dkcp.net.gro=false}. Only a {@link ReceiveThreadKind#PLATFORM} loop on a channel this transport owns
     * does it: the read blocks its thread in native code, which a virtual thread would pin to its carrier. Setting it
     * up costs a fresh JVM 0.15-0.35 s of CPU (linking, compiling), which a short transfer does not earn back, so the
     * first loops of a JVM read their first 20,000 datagrams with the JDK and then switch; loops that start after that
     * read with receive offload from the start.
     *
     * @return whether the receive loop has started and reads with receive offload
     */
    public boolean coalesces() {
        lock.lock();
        try {
            return loop != null && loop.coalesces();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns whether UDP transports in this JVM can read with receive offload ({@link #coalesces()}): on Linux, JDK 22
     * or later, with {@code --enable-native-access=kcp.net} and {@code --add-opens java.base/sun.nio.ch=kcp.net}
     * ({@code =ALL-UNNAMED} for both on the class path), and without {@code -Dkcp.net.gro=false}.
     *
     * @return whether receive offload is available
     */
    public static boolean coalescingAvailable() {
        return UdpCoalescing.available();
    }

    /** {@return how many datagrams the receive loop has read in runs of more than one} */
    long coalescedDatagrams() {
        lock.lock();
        try {
            return loop == null ? 0 : loop.coalescedDatagrams();
        } finally {
            lock.unlock();
        }
    }

    /** {@return the socket's segment size, 0 while none is set} */
    int segmentSize() {
        return sender.segmentSize();
    }

    private void sendOne(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        UninterruptibleChannels.send(channel, datagram, to);
        if (datagram.hasRemaining() && !channel.isBlocking()) {
            sendWhenWritable(datagram, to);
        }
    }

    /**
     * The channel was non-blocking (its loop polls) and took nothing because its send buffer is full: retries every
     * 50 us until the datagram fits, as a blocking send would wait, or the channel closes. Loopback never fills a UDP
     * send buffer; a real NIC's queue can.
     */
    private void sendWhenWritable(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        boolean interrupted = false; // kept for the caller: an interrupt status set would end every park at once
        try {
            while (datagram.hasRemaining()) {
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                interrupted |= Thread.interrupted();
                LockSupport.parkNanos(50_000L);
                interrupted |= Thread.interrupted();
                UninterruptibleChannels.send(channel, datagram, to);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sets {@code SO_RCVBUF}/{@code SO_SNDBUF} (kcp-go {@code SetReadBuffer}/{@code SetWriteBuffer}).
     *
     * @param readBytes  receive buffer in bytes, 0 leaves it unchanged
     * @param writeBytes send buffer in bytes, 0 leaves it unchanged
     * @throws IOException if the socket rejects a value
     */
    @Override
    public void setBuffers(int readBytes, int writeBytes) throws IOException {
        if (readBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, readBytes);
        }
        if (writeBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, writeBytes);
        }
    }

    /**
     * Sets the DSCP like kcp-go's {@code SetDSCP}: IPv4 TOS = {@code dscp << 2}; IPv6 traffic class = {@code dscp},
     * unshifted (kcp-go's quirk, kept for the same bytes on the wire).
     *
     * @param dscp 0..63
     * @param peer the peer whose family decides IPv4 or IPv6, or null to use the local address's family
     * @throws IOException if the socket rejects it
     */
    @Override
    public void setDscp(int dscp, InetSocketAddress peer) throws IOException {
        boolean v4 = (peer != null ? peer.getAddress() : local.getAddress()) instanceof Inet4Address;
        channel.setOption(StandardSocketOptions.IP_TOS, v4 ? dscp << 2 : dscp);
    }

    /**
     * Stops the receive loop and closes the channel if this transport owns it. An unowned, unconnected channel's
     * loop is woken by an empty datagram to itself; an unowned, connected one ends at its next datagram.
     */
    @Override
    public void close() {
        ReceiveLoop l;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            l = loop;
        } finally {
            lock.unlock();
        }
        if (l != null) {
            l.stop(ownsChannel);
        } else if (ownsChannel) {
            try {
                channel.close();
            } catch (IOException e) {
                System.getLogger(UdpTransport.class.getName()).log(System.Logger.Level.DEBUG,
                        "closing a UDP channel failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "UdpTransport[" + local + (ownsChannel ? ", owned" : "") + (closed ? ", closed" : "") + "]";
    }
}
