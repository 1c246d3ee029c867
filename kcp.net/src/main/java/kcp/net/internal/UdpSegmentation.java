package kcp.net.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linux UDP segmentation offload (GSO, the {@code UDP_SEGMENT} socket option, kernel 4.18+) for a JDK
 * {@link DatagramChannel}: while the option is S, one send of k * S bytes (the last piece may be shorter) leaves as
 * k datagrams, and the send path's per-datagram cost in the kernel is paid about once per call.
 *
 * <p>The JDK has no public way to set this option, so this calls two JDK internals by reflection, which works only
 * when the application opens them: {@code --add-opens java.base/sun.nio.ch=kcp.net} (or {@code =ALL-UNNAMED} on the
 * class path). Without that, with {@code -Dkcp.net.gso=false}, or on another OS, {@link #available()} is false and
 * {@code UdpTransport} sends one datagram per call. Measurements: docs/decisions.md, "UDP segmentation offload".
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

    private static final Method SET_INT_OPTION;
    private static final Method GET_FD;
    private static final String UNAVAILABLE_BECAUSE;
    private static final ArrayBlockingQueue<ByteBuffer> SCRATCH = new ArrayBlockingQueue<>(SCRATCH_MAX);
    private static final AtomicInteger SCRATCH_MADE = new AtomicInteger();

    static {
        Method set = null;
        Method fd = null;
        String why = null;
        if (!Boolean.parseBoolean(System.getProperty("kcp.net.gso", "true"))) {
            why = "-Dkcp.net.gso=false";
        } else if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            why = "UDP_SEGMENT is Linux-only";
        } else {
            try {
                Class<?> net = Class.forName("sun.nio.ch.Net");
                set = net.getDeclaredMethod("setIntOption0", FileDescriptor.class, boolean.class, int.class,
                        int.class, int.class, boolean.class);
                set.setAccessible(true);
                fd = Class.forName("sun.nio.ch.DatagramChannelImpl").getDeclaredMethod("getFD");
                fd.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                set = null;
                fd = null;
                why = "the JDK's socket internals are closed to " + UdpSegmentation.class.getModule()
                        + " (run with --add-opens java.base/sun.nio.ch="
                        + (UdpSegmentation.class.getModule().isNamed() ? "kcp.net" : "ALL-UNNAMED") + "): " + e;
            }
        }
        SET_INT_OPTION = set;
        GET_FD = fd;
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
        return SET_INT_OPTION != null;
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
        setIntOption(channel, SOL_UDP, UDP_SEGMENT, size);
    }

    /**
     * Calls {@code setsockopt} with an int value on the channel's socket.
     *
     * @param channel a JDK datagram channel
     * @param level   the option's level, such as {@link #SOL_UDP}
     * @param name    the option
     * @param value   its value
     * @throws IOException if the kernel rejects it, or this JVM cannot reach the JDK's internals
     */
    public static void setIntOption(DatagramChannel channel, int level, int name, int value) throws IOException {
        if (SET_INT_OPTION == null) {
            throw new IOException("cannot set socket options the JDK does not know: " + UNAVAILABLE_BECAUSE);
        }
        try {
            FileDescriptor fd = (FileDescriptor) GET_FD.invoke(channel);
            SET_INT_OPTION.invoke(null, fd, false, level, name, value, false);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("setsockopt(" + level + ", " + name + ") failed", e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IOException("setsockopt(" + level + ", " + name + ") failed", e);
        }
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
