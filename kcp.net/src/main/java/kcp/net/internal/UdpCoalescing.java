package kcp.net.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /** Why not, from the checks that cost nothing; null if the foreign function code may be linked. */
    private static final String PRECHECK_FAILS_BECAUSE;
    private static final AtomicBoolean LINKING_STARTED = new AtomicBoolean();
    /** Set once {@link Linked} is initialised, successfully or not. */
    private static volatile boolean linked;
    /**
     * Reads the linking thread makes on a private socket pair before loops switch, so that C1 has compiled the native
     * read by then (after about 200 calls); interpreted, it is many times slower. 15,000, enough for C2 as well, cost
     * more than it saved (docs/decisions.md).
     */
    public static final int WARM_UP_READS = 2_000;
    /** Set once the linking thread has also run {@link #warmUp()}. */
    private static volatile boolean warmed;
    /** Reads the warm-up made, and how many of them returned a run of datagrams; written before {@link #warmed}. */
    private static int warmUpReads;
    private static int warmUpRuns;

    static {
        String why = null;
        if (!Boolean.parseBoolean(System.getProperty("kcp.net.gro", "true"))) {
            why = "-Dkcp.net.gro=false";
        } else if (!SocketInternals.open()) {
            why = SocketInternals.closedBecause();
        } else if (Runtime.version().feature() < 22) {
            why = "reading a socket's control messages needs the foreign function API of JDK 22 or later";
        }
        PRECHECK_FAILS_BECAUSE = why;
        if (why != null) {
            logOff(why);
        }
    }

    /**
     * The foreign function code, linked on first use: about 40 ms in a JVM that starts from an AOT cache and 130 ms in
     * one that does not (class loading, the linker, the downcall stubs), which a receive loop should not wait for.
     */
    private static final class Linked {
        static final MethodHandle OPEN;
        static final String UNAVAILABLE_BECAUSE;

        static {
            MethodHandle open = null;
            String why;
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
            OPEN = open;
            UNAVAILABLE_BECAUSE = why;
            if (why != null) {
                logOff(why);
            }
            linked = true;
        }
    }

    private UdpCoalescing() {
    }

    private static void logOff(String why) {
        System.getLogger(UdpCoalescing.class.getName()).log(System.Logger.Level.DEBUG,
                "UDP receive offload is off, datagrams are read one per system call: " + why);
    }

    /**
     * Returns true if this JVM can read sockets with receive offload. The first call links the foreign function code
     * if no loop has yet, and waits for it.
     *
     * @return whether {@link #open} can succeed
     */
    public static boolean available() {
        return PRECHECK_FAILS_BECAUSE == null && Linked.OPEN != null;
    }

    /** {@return why this JVM cannot read sockets with receive offload, or null if it can} (links like available) */
    public static String unavailableBecause() {
        return PRECHECK_FAILS_BECAUSE != null ? PRECHECK_FAILS_BECAUSE : Linked.UNAVAILABLE_BECAUSE;
    }

    /** {@return false if receive offload is off in this JVM for a reason that needs no linking to find} */
    public static boolean possible() {
        return PRECHECK_FAILS_BECAUSE == null;
    }

    /** {@return true once the foreign function code is linked (or failed to link): {@link #open} does not wait} */
    public static boolean linked() {
        return linked || PRECHECK_FAILS_BECAUSE != null;
    }

    /**
     * Returns true once the foreign function code is linked (or failed to link), so that {@link #open} returns at once,
     * and warmed up. The first call starts both on a background thread, {@code kcp-gro-link}, which ends when they are
     * done: a loop that switched to code the JIT had not compiled yet would read datagrams several times slower for
     * a while, long enough for its peer's retransmission timers to fire (docs/decisions.md).
     *
     * @return whether a loop may switch now
     */
    public static boolean linkedOrStart() {
        if (linked && warmed || PRECHECK_FAILS_BECAUSE != null) {
            return true;
        }
        if (LINKING_STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().name("kcp-gro-link").daemon(true).start(() -> {
                MethodHandle ignored = Linked.OPEN;
                warmUp();
                warmed = true;
            });
        }
        return false;
    }

    /**
     * Returns what the warm-up did, once {@link #linkedOrStart()} has returned true: the reads it made and how many of
     * them returned a run of datagrams (0 without segmentation offload).
     *
     * @return {reads, runs}
     */
    public static int[] warmUpCounts() {
        return new int[] {warmUpReads, warmUpRuns};
    }

    /**
     * Runs the native read {@link #WARM_UP_READS} times over a private loopback socket pair, single datagrams and
     * segmented runs in turn, as a loop uses it. Nothing if the code did not link; a failure is logged and ends it.
     */
    private static void warmUp() {
        if (Linked.OPEN == null) {
            return;
        }
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET).bind(loopback);
                DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET).bind(loopback)) {
            CoalescingReader reader = open(rx);
            if (reader == null) {
                return;
            }
            try {
                boolean runs = UdpSegmentation.available();
                if (runs) {
                    try {
                        UdpSegmentation.setSegmentSize(tx, 100);
                    } catch (IOException e) {
                        runs = false; // no segmentation in this kernel: single datagrams only
                    }
                }
                ByteBuffer datagram = ByteBuffer.allocateDirect(300);
                byte[] into = new byte[BufferPool.BUFFER_SIZE];
                SocketAddress to = rx.getLocalAddress();
                for (int i = 0; i < WARM_UP_READS; i++) {
                    datagram.clear().limit(runs && (i & 1) == 1 ? 300 : 100); // 300: three datagrams of 100 bytes
                    tx.send(datagram, to);
                    int n = reader.receive();
                    if (n > 0 && reader.sender() != null) {
                        int size = reader.segmentSize();
                        reader.copy(0, into, Math.min(n, size > 0 ? size : n));
                        warmUpRuns += size > 0 ? 1 : 0;
                    }
                    warmUpReads++;
                }
            } finally {
                reader.close();
            }
        } catch (IOException | RuntimeException e) {
            debug("warming up the receive offload code failed; loops switch to it all the same", e);
        }
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
        if (!available()) {
            return null;
        }
        CoalescingReader reader;
        try {
            reader = (CoalescingReader) Linked.OPEN.invokeExact(SocketInternals.descriptor(channel));
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
