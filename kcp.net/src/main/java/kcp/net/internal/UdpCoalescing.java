package kcp.net.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.DatagramChannel;

/**
 * Linux UDP receive offload ({@code UDP_GRO}, kernel 5.0+) for a JDK {@link DatagramChannel}: the kernel delivers a
 * run of datagrams from one sender as one read, with the size of each, and the receive path's per-datagram cost is
 * paid about once per run. A peer that sends runs with one call (segmentation offload, {@link UdpSegmentation}) has
 * them delivered whole over loopback; a network card that coalesces received datagrams does the same for any peer.
 *
 * <p>The JDK reads a datagram without its control messages, so kcp.net reads such a socket itself, through the
 * foreign function API ({@code recvmsg}, JDK 22 and later), from a duplicate of the channel's descriptor
 * ({@link CoalescingReader}). That needs the JDK's socket internals opened to kcp.net (as {@link SocketInternals}
 * says) and native access enabled for it ({@code --enable-native-access=kcp.net}, {@code =ALL-UNNAMED} on the class
 * path). Without either, on JDK 21, on another OS, or with {@code -Dkcp.net.gro=false}, {@link #available()} is false
 * and sockets are read one datagram per system call. Measurements: docs/decisions.md, "UDP receive offload".
 */
public final class UdpCoalescing {
    /** {@code UDP_GRO} (linux/udp.h). */
    public static final int UDP_GRO = 104;
    /** The class with the foreign-function code, compiled alone for JDK 22 (kcp.net/pom.xml). */
    private static final String NATIVE_READER = "kcp.net.internal.NativeCoalescingReader";

    private static final MethodHandle OPEN;
    private static final String UNAVAILABLE_BECAUSE;

    static {
        MethodHandle open = null;
        String why;
        if (!Boolean.parseBoolean(System.getProperty("kcp.net.gro", "true"))) {
            why = "-Dkcp.net.gro=false";
        } else if (!SocketInternals.open()) {
            why = SocketInternals.closedBecause();
        } else if (Runtime.version().feature() < 22) {
            why = "reading a socket's control messages needs the foreign function API of JDK 22 or later";
        } else {
            try {
                Class<?> c = Class.forName(NATIVE_READER);
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                why = (String) lookup.findStatic(c, "unavailableBecause", MethodType.methodType(String.class))
                        .invoke();
                if (why == null) {
                    open = lookup.findStatic(c, "open", MethodType.methodType(CoalescingReader.class, int.class));
                }
            } catch (Throwable t) {
                why = NATIVE_READER + " could not be loaded: " + t;
            }
        }
        OPEN = open;
        UNAVAILABLE_BECAUSE = why;
        if (why != null) {
            System.getLogger(UdpCoalescing.class.getName()).log(System.Logger.Level.DEBUG,
                    "UDP receive offload is off, datagrams are read one per system call: " + why);
        }
    }

    private UdpCoalescing() {
    }

    /** {@return true if this JVM can read sockets with receive offload} */
    public static boolean available() {
        return OPEN != null;
    }

    /** {@return why this JVM cannot read sockets with receive offload, or null if it can} */
    public static String unavailableBecause() {
        return UNAVAILABLE_BECAUSE;
    }

    /**
     * Turns on {@code UDP_GRO} for the channel's socket and opens a reader on a duplicate of its descriptor. From
     * then on the channel itself must not be read: a coalesced run would reach it truncated to its first datagram.
     *
     * @param channel an open channel that nothing else reads
     * @return the reader, or null if this JVM cannot read with receive offload or the kernel refused it (the channel
     *         is then unchanged)
     */
    public static CoalescingReader open(DatagramChannel channel) {
        if (OPEN == null) {
            return null;
        }
        CoalescingReader reader;
        try {
            reader = (CoalescingReader) OPEN.invokeExact(SocketInternals.descriptor(channel));
        } catch (Throwable t) {
            debug("cannot read " + channel + " with receive offload", t);
            return null;
        }
        try {
            SocketInternals.setIntOption(channel, UdpSegmentation.SOL_UDP, UDP_GRO, 1);
            return reader;
        } catch (IOException e) {
            reader.close();
            debug("the kernel refused UDP_GRO on " + channel, e);
            return null;
        }
    }

    private static void debug(String what, Throwable t) {
        System.getLogger(UdpCoalescing.class.getName()).log(System.Logger.Level.DEBUG, what, t);
    }
}
