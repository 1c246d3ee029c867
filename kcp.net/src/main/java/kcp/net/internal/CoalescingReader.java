package kcp.net.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Reads a UDP socket with Linux's receive offload ({@code UDP_GRO}): one read may return a run of datagrams of one
 * size from one sender, coalesced by the kernel (the last may be shorter), with the size of each. The JDK's
 * {@code DatagramChannel} cannot do this: it returns neither the size nor any other control message, so kcp.net reads
 * the socket through its own descriptor ({@link UdpCoalescing}).
 *
 * <p>Thread-safety: {@link #receive()}, the accessors and {@link #close()} belong to one receive loop's thread;
 * {@link #wake()} may be called from any thread.
 */
public interface CoalescingReader {
    /**
     * Blocks until datagrams arrive or {@link #wake()} is called.
     *
     * @return the bytes read, 0 for an empty datagram or once woken, -1 for an ICMP error reported on a connected
     *         socket (nothing was read)
     * @throws IOException if the socket failed
     */
    int receive() throws IOException;

    /**
     * Returns the size of each datagram of the last read, all but the last of which have it.
     *
     * @return the size, or 0 when the read returned one datagram
     */
    int segmentSize();

    /**
     * Returns the last read's sender, the same object while the sender repeats.
     *
     * @return its address, or null if the socket reported none this process can use
     */
    InetSocketAddress sender();

    /**
     * Copies bytes of the last read.
     *
     * @param offset where in the read to start
     * @param dst    where to
     * @param length how many
     */
    void copy(int offset, byte[] dst, int length);

    /**
     * Makes a blocked {@link #receive()} return 0, and every later one at once: the socket stops receiving. Any
     * thread; nothing happens after {@link #close()}.
     */
    void wake();

    /** Releases the reader's descriptor and memory; the loop's thread, after its last {@link #receive()}. */
    void close();
}
