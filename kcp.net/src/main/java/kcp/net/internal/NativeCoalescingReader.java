package kcp.net.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link CoalescingReader} through the foreign function API (JDK 22 and later): {@code recvmsg} on a duplicate of a
 * UDP socket's descriptor, into one 64 KiB native buffer, with the {@code UDP_GRO} control message that says the size
 * of each coalesced datagram. Linux on a 64-bit CPU only (the {@code msghdr} offsets below are LP64's). Loaded by
 * {@link UdpCoalescing} by name, so that JDK 21 never sees this class (the build compiles it alone, for 22).
 *
 * <p>The duplicate is what makes a blocking native read safe: the JDK closes the channel's own descriptor whenever
 * any thread closes the channel, and a number the JDK has closed may be reused for another file at once. The
 * duplicate stays ours until {@link #close()}. {@link #wake()} shuts the socket's receive side down, which ends a
 * blocked {@code recvmsg} with 0 and a blocked {@code poll} with the socket readable.
 */
final class NativeCoalescingReader implements CoalescingReader {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SHUT_RD = 0;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final short POLLIN = 1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ECONNREFUSED = 111;
    /** Room for the largest UDP payload, so that a coalesced run is never cut. */
    private static final int DATA_BYTES = 65_536;
    private static final int NAME_BYTES = 128;
    private static final int CONTROL_BYTES = 64;
    // struct msghdr and struct iovec on LP64 Linux.
    private static final long MSG_NAME = 0;
    private static final long MSG_NAMELEN = 8;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSGHDR_BYTES = 56;
    private static final long IOV_BYTES = 16;
    /** struct cmsghdr: {@code size_t cmsg_len; int cmsg_level; int cmsg_type;} then the data. */
    private static final long CMSG_HEADER = 16;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private static final MethodHandle RECVMSG;
    private static final MethodHandle POLL;
    private static final MethodHandle SHUTDOWN;
    private static final MethodHandle FCNTL;
    private static final MethodHandle CLOSE;
    private static final VarHandle ERRNO;
    private static final String UNAVAILABLE_BECAUSE;

    static {
        MethodHandle recvmsg = null;
        MethodHandle poll = null;
        MethodHandle shutdown = null;
        MethodHandle fcntl = null;
        MethodHandle close = null;
        VarHandle errno = null;
        String why = null;
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        // Linux and JDK 22+ are given: UdpCoalescing loads this class only after its own checks.
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            why = "the recvmsg layout is known for x86-64 and AArch64 Linux only, not " + arch;
        } else if (!NativeCoalescingReader.class.getModule().isNativeAccessEnabled()) {
            why = "native access is not enabled for " + NativeCoalescingReader.class.getModule()
                    + " (run with --enable-native-access=" + SocketInternals.flagTarget() + ")";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                recvmsg = linker.downcallHandle(libc.find("recvmsg").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_INT), errnoOption);
                poll = linker.downcallHandle(libc.find("poll").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT), errnoOption);
                shutdown = linker.downcallHandle(libc.find("shutdown").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                fcntl = linker.downcallHandle(libc.find("fcntl").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT), errnoOption, Linker.Option.firstVariadicArg(2));
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                errno = Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
            } catch (RuntimeException e) {
                why = "the C library's socket calls could not be linked: " + e;
            }
        }
        RECVMSG = recvmsg;
        POLL = poll;
        SHUTDOWN = shutdown;
        FCNTL = fcntl;
        CLOSE = close;
        ERRNO = errno;
        UNAVAILABLE_BECAUSE = why;
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment data = arena.allocate(DATA_BYTES, 64);
    private final MemorySegment name = arena.allocate(NAME_BYTES, 8);
    private final MemorySegment lastName = arena.allocate(NAME_BYTES, 8);
    private final MemorySegment control = arena.allocate(CONTROL_BYTES, 8);
    private final MemorySegment msg = arena.allocate(MSGHDR_BYTES, 8);
    private final MemorySegment pollFd = arena.allocate(8, 4);
    private final MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
    /** Guards {@link #fd} between {@link #wake()} on any thread and {@link #close()} on the loop's. */
    private final ReentrantLock fdLock = new ReentrantLock();
    private int fd;
    /** Set by {@link #wake()} before it shuts the socket down: a non-blocking socket then keeps reporting EAGAIN. */
    private volatile boolean woken;
    private int segmentSize;
    private int lastNameLength = -1;
    private InetSocketAddress lastSender;

    private NativeCoalescingReader(int fd) {
        this.fd = fd;
        MemorySegment iov = arena.allocate(IOV_BYTES, 8);
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(ValueLayout.JAVA_LONG, 8, DATA_BYTES);
        msg.set(ValueLayout.ADDRESS, MSG_NAME, name);
        msg.set(ValueLayout.ADDRESS, MSG_IOV, iov);
        msg.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1);
        msg.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
        pollFd.set(ValueLayout.JAVA_INT, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
    }

    /** {@return why this JVM cannot use this class, or null if it can} (called by {@link UdpCoalescing}) */
    static String unavailableBecause() {
        return UNAVAILABLE_BECAUSE;
    }

    /**
     * Opens a reader on a duplicate of {@code fd}.
     *
     * @param fd an open UDP socket's descriptor
     * @return the reader
     * @throws IOException if the descriptor cannot be duplicated
     */
    static CoalescingReader open(int fd) throws IOException {
        int own;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(Linker.Option.captureStateLayout());
            own = (int) FCNTL.invokeExact(state, fd, F_DUPFD_CLOEXEC, 0);
            if (own < 0) {
                throw new IOException("fcntl(F_DUPFD_CLOEXEC) failed: errno " + (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("fcntl(F_DUPFD_CLOEXEC) failed", t);
        }
        try {
            return new NativeCoalescingReader(own);
        } catch (RuntimeException | Error e) {
            closeQuietly(own);
            throw e;
        }
    }

    private static void closeQuietly(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            System.getLogger(NativeCoalescingReader.class.getName()).log(System.Logger.Level.DEBUG,
                    "close of a duplicate descriptor failed", t);
        }
    }

    @Override
    public int receive() throws IOException {
        for (;;) {
            msg.set(ValueLayout.JAVA_INT, MSG_NAMELEN, NAME_BYTES);
            msg.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, CONTROL_BYTES);
            long n;
            try {
                n = (long) RECVMSG.invokeExact(callState, fd, msg, 0);
            } catch (Throwable t) {
                throw new IOException("recvmsg failed", t);
            }
            if (n >= 0) {
                segmentSize = groSize();
                return (int) n;
            }
            int errno = (int) ERRNO.get(callState, 0L);
            if (errno == ECONNREFUSED) {
                return -1;
            } else if (errno == EAGAIN) {
                // A virtual thread that sent on the channel made the JDK switch its socket to non-blocking mode,
                // which the duplicate shares: wait until it is readable or woken. A shut-down socket polls readable
                // but a non-blocking read of it still finds nothing, so a woken reader returns here.
                if (woken) {
                    return 0;
                }
                awaitReadable();
            } else if (errno != EINTR) {
                throw new IOException("recvmsg failed: errno " + errno);
            }
        }
    }

    private void awaitReadable() throws IOException {
        int r;
        try {
            r = (int) POLL.invokeExact(callState, pollFd, 1L, -1);
        } catch (Throwable t) {
            throw new IOException("poll failed", t);
        }
        if (r < 0) {
            int errno = (int) ERRNO.get(callState, 0L);
            if (errno != EINTR) {
                throw new IOException("poll failed: errno " + errno);
            }
        }
    }

    /** The {@code UDP_GRO} control message's size, or 0 if the read has none (one datagram). */
    private int groSize() {
        long length = msg.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN);
        long at = 0;
        while (at + CMSG_HEADER <= length) {
            long cmsgLength = control.get(ValueLayout.JAVA_LONG, at);
            if (cmsgLength < CMSG_HEADER || at + cmsgLength > length) {
                return 0;
            }
            if (control.get(ValueLayout.JAVA_INT, at + 8) == UdpSegmentation.SOL_UDP
                    && control.get(ValueLayout.JAVA_INT, at + 12) == UdpCoalescing.UDP_GRO
                    && cmsgLength >= CMSG_HEADER + 4) {
                return control.get(ValueLayout.JAVA_INT, at + CMSG_HEADER);
            }
            at += (cmsgLength + 7) & ~7L;
        }
        return 0;
    }

    @Override
    public int segmentSize() {
        return segmentSize;
    }

    @Override
    public InetSocketAddress sender() {
        int length = msg.get(ValueLayout.JAVA_INT, MSG_NAMELEN);
        if (length == lastNameLength && length > 0
                && MemorySegment.mismatch(name, 0, length, lastName, 0, length) < 0) {
            return lastSender;
        }
        InetSocketAddress sender = decode(length);
        if (sender != null) {
            MemorySegment.copy(name, 0, lastName, 0, length);
            lastNameLength = length;
            lastSender = sender;
        }
        return sender;
    }

    /** A {@code sockaddr_in} or {@code sockaddr_in6}, as the JDK decodes it: IPv4-mapped IPv6 as IPv4. */
    private InetSocketAddress decode(int length) {
        try {
            int family = name.get(ValueLayout.JAVA_SHORT, 0);
            int port = Short.toUnsignedInt(name.get(PORT, 2));
            if (family == AF_INET && length >= 8) {
                return new InetSocketAddress(InetAddress.getByAddress(bytes(4, 4)), port);
            }
            if (family == AF_INET6 && length >= 28) {
                byte[] a = bytes(8, 16);
                if (v4Mapped(a)) {
                    return new InetSocketAddress(InetAddress.getByAddress(bytes(20, 4)), port);
                }
                int scope = name.get(ValueLayout.JAVA_INT, 24);
                return new InetSocketAddress(scope != 0 ? Inet6Address.getByAddress(null, a, scope)
                        : InetAddress.getByAddress(a), port);
            }
        } catch (UnknownHostException e) {
            // Not for 4 or 16 bytes: the sender is then unusable, as an unknown family is.
        }
        return null;
    }

    private byte[] bytes(long offset, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(name, ValueLayout.JAVA_BYTE, offset, b, 0, length);
        return b;
    }

    private static boolean v4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public void copy(int offset, byte[] dst, int length) {
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, dst, 0, length);
    }

    @Override
    public void wake() {
        woken = true;
        fdLock.lock();
        try {
            if (fd >= 0) {
                // On an unconnected socket this returns ENOTCONN, yet it marks the receive side shut and wakes readers.
                int ignored = (int) SHUTDOWN.invokeExact(fd, SHUT_RD);
            }
        } catch (Throwable t) {
            System.getLogger(NativeCoalescingReader.class.getName()).log(System.Logger.Level.DEBUG,
                    "shutdown(SHUT_RD) failed", t);
        } finally {
            fdLock.unlock();
        }
    }

    @Override
    public void close() {
        fdLock.lock();
        try {
            if (fd >= 0) {
                closeQuietly(fd);
                fd = -1;
            }
        } finally {
            fdLock.unlock();
        }
        arena.close();
    }
}
