package kcp.net.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linux UDP segmentation offload (GSO, the {@code UDP_SEGMENT} socket option, kernel 4.18+) for a JDK
 * {@link DatagramChannel}: while the option is S, one send of k * S bytes (the last piece may be shorter) leaves as
 * k datagrams, and the send path's per-datagram cost in the kernel is paid about once per call.
 *
 * <p>The JDK has no public way to set this option; {@link SocketInternals} sets it, which works only when the
 * application opens the JDK's socket internals: {@code --add-opens java.base/sun.nio.ch=kcp.net} (or
 * {@code =ALL-UNNAMED} on the class path). Without that, with {@code -Dkcp.net.gso=false}, or on another OS,
 * {@link #available()} is false and {@code UdpTransport} sends one datagram per call. Measurements:
 * docs/decisions.md, "UDP segmentation offload".
 */
public final class UdpSegmentation {
    /** {@code SOL_UDP}. */
    public static final int SOL_UDP = 17;
    /** {@code UDP_SEGMENT} (linux/udp.h). */
    public static final int UDP_SEGMENT = 103;
    /** The kernel's limit on segments per send ({@code UDP_MAX_SEGMENTS}). */
    public static final int MAX_SEGMENTS = 64;
    /** Bytes one segmented send may carry: below the UDP payload limit, with room for an IPv6 header. */
    public static final int MAX_BYTES = 65_000;
    /** How many scratch buffers all sockets share at most: a sender that finds none sends one by one. */
    private static final int SCRATCH_MAX = 16;

    private static final String UNAVAILABLE_BECAUSE;
    private static final ArrayBlockingQueue<ByteBuffer> SCRATCH = new ArrayBlockingQueue<>(SCRATCH_MAX);
    private static final AtomicInteger SCRATCH_MADE = new AtomicInteger();

    static {
        String why = !Boolean.parseBoolean(System.getProperty("kcp.net.gso", "true")) ? "-Dkcp.net.gso=false"
                : SocketInternals.closedBecause();
        UNAVAILABLE_BECAUSE = why;
        if (why != null) {
            System.getLogger(UdpSegmentation.class.getName()).log(System.Logger.Level.DEBUG,
                    "UDP segmentation offload is off, datagrams are sent one per system call: " + why);
        }
    }

    private UdpSegmentation() {
    }

    /** {@return true if this JVM can set {@code UDP_SEGMENT} on a channel} */
    public static boolean available() {
        return UNAVAILABLE_BECAUSE == null;
    }

    /** {@return why this JVM cannot segment, or null if it can} */
    public static String unavailableBecause() {
        return UNAVAILABLE_BECAUSE;
    }

    /**
     * Sets the channel's {@code UDP_SEGMENT} option.
     *
     * @param channel a JDK datagram channel
     * @param size    the segment size in bytes, 0 to stop segmenting
     * @throws IOException if the kernel rejects it, or this JVM cannot segment
     */
    public static void setSegmentSize(DatagramChannel channel, int size) throws IOException {
        SocketInternals.setIntOption(channel, SOL_UDP, UDP_SEGMENT, size);
    }

    /** {@return an empty {@value #MAX_BYTES}-byte direct buffer for a segmented send, or null if all are taken} */
    public static ByteBuffer takeScratch() {
        ByteBuffer b = SCRATCH.poll();
        if (b == null && SCRATCH_MADE.get() < SCRATCH_MAX && SCRATCH_MADE.incrementAndGet() <= SCRATCH_MAX) {
            b = ByteBuffer.allocateDirect(MAX_BYTES);
        }
        return b;
    }

    /**
     * Gives back a buffer from {@link #takeScratch()}.
     *
     * @param b the buffer
     */
    public static void returnScratch(ByteBuffer b) {
        b.clear();
        SCRATCH.offer(b);
    }
}
