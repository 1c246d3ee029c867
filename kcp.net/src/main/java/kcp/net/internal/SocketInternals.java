package kcp.net.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.DatagramChannel;
import java.util.Locale;

/**
 * The two things kcp.net needs from a JDK {@link DatagramChannel} that the JDK does not offer: setting a Linux socket
 * option it does not know ({@code UDP_SEGMENT}, {@code UDP_GRO}) and the socket's file descriptor number. Both come
 * from the JDK's internals by reflection, which works only when the application opens them:
 * {@code --add-opens java.base/sun.nio.ch=kcp.net} ({@code =ALL-UNNAMED} on the class path). Without that, or on
 * another OS, {@link #open()} is false and kcp.net sends and receives one datagram per system call.
 */
public final class SocketInternals {
    private static final Method SET_INT_OPTION;
    private static final Method GET_FD;
    private static final Method GET_FD_VAL;
    private static final String CLOSED_BECAUSE;

    static {
        Method set = null;
        Method fd = null;
        Method fdVal = null;
        String why = null;
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            why = "UDP_SEGMENT and UDP_GRO are Linux-only";
        } else {
            try {
                Class<?> net = Class.forName("sun.nio.ch.Net");
                set = net.getDeclaredMethod("setIntOption0", FileDescriptor.class, boolean.class, int.class,
                        int.class, int.class, boolean.class);
                set.setAccessible(true);
                Class<?> impl = Class.forName("sun.nio.ch.DatagramChannelImpl");
                fd = impl.getDeclaredMethod("getFD");
                fd.setAccessible(true);
                fdVal = impl.getDeclaredMethod("getFDVal");
                fdVal.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                set = null;
                fd = null;
                fdVal = null;
                why = closedMessage(e);
            }
        }
        SET_INT_OPTION = set;
        GET_FD = fd;
        GET_FD_VAL = fdVal;
        CLOSED_BECAUSE = why;
    }

    private SocketInternals() {
    }

    /**
     * Says that reflection into {@code sun.nio.ch} failed, and which flag opens it.
     *
     * @param e what the reflection threw
     * @return the reason, for a debug log or an exception
     */
    static String closedMessage(Throwable e) {
        return "the JDK's socket internals are closed to " + SocketInternals.class.getModule()
                + " (run with --add-opens java.base/sun.nio.ch=" + flagTarget() + "): " + e;
    }

    /** {@return how a JVM flag names kcp.net: {@code kcp.net}, or {@code ALL-UNNAMED} on the class path} */
    static String flagTarget() {
        return SocketInternals.class.getModule().isNamed() ? "kcp.net" : "ALL-UNNAMED";
    }

    /** {@return true if this JVM lets kcp.net set socket options and read descriptors of JDK channels} */
    public static boolean open() {
        return SET_INT_OPTION != null;
    }

    /** {@return why {@link #open()} is false, or null if it is true} */
    public static String closedBecause() {
        return CLOSED_BECAUSE;
    }

    /**
     * Calls {@code setsockopt} with an int value on the channel's socket.
     *
     * @param channel a JDK datagram channel
     * @param level   the option's level, such as {@code SOL_UDP} (17)
     * @param name    the option
     * @param value   its value
     * @throws IOException if the kernel rejects it, or this JVM cannot reach the JDK's internals
     */
    public static void setIntOption(DatagramChannel channel, int level, int name, int value) throws IOException {
        if (SET_INT_OPTION == null) {
            throw new IOException("cannot set socket options the JDK does not know: " + CLOSED_BECAUSE);
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

    /**
     * Returns the number of the channel's file descriptor. It is valid only while the channel is open: a caller that
     * keeps using the socket must take its own descriptor ({@code dup}) before the channel can close.
     *
     * @param channel a JDK datagram channel
     * @return the descriptor number
     * @throws IOException if this JVM cannot reach the JDK's internals
     */
    public static int descriptor(DatagramChannel channel) throws IOException {
        if (GET_FD_VAL == null) {
            throw new IOException("cannot read the channel's descriptor: " + CLOSED_BECAUSE);
        }
        try {
            return (int) GET_FD_VAL.invoke(channel);
        } catch (InvocationTargetException e) {
            throw new IOException("reading the channel's descriptor failed", e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IOException("reading the channel's descriptor failed", e);
        }
    }
}
