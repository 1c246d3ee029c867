package kcp.net.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;

/**
 * The sends of one UDP channel with segmentation offload ({@link UdpSegmentation}): runs of equal-sized datagrams go
 * with one system call, everything else one by one, through the owner's plain send.
 *
 * <p>The socket's {@code UDP_SEGMENT} value S splits every send longer than S into pieces of S bytes, so no datagram
 * longer than S may go alone while S is set, and no run may go out while another S is set. Every send therefore
 * holds a read stamp, and changing S takes the write stamp. S only rises: it is set to a run's size only if no
 * datagram sent alone so far was longer, and a longer one raises it before it goes. A refused segmented send clears
 * S and resends its run one by one; if that works the channel sends one by one from then on. Thread-safe.
 */
public final class SegmentingSender {
    /** A plain send of one datagram (the owner's, which may wait for room in the socket's buffer). */
    @FunctionalInterface
    public interface RawSend {
        /**
         * Sends one datagram.
         *
         * @param datagram the bytes in {@code [position, limit)}; the position is advanced
         * @param to       the destination
         * @throws IOException if the send fails
         */
        void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;
    }

    private final DatagramChannel channel;
    private final RawSend raw;
    private final Object owner;
    /** False once segmentation was refused on this channel, or when it was never on. */
    private volatile boolean segmenting;
    /** The socket's {@code UDP_SEGMENT} value: 0 until a run is first sent segmented; never lowered. */
    private volatile int segmentSize;
    /** The largest datagram sent alone so far: a smaller segment size would split a concurrent send like it. */
    private final AtomicInteger largestSent = new AtomicInteger();
    private final StampedLock segmentLock = new StampedLock();

    /**
     * Creates the sender of one channel.
     *
     * @param channel the channel whose {@code UDP_SEGMENT} option this sender sets
     * @param enabled whether to segment at all (the JVM can, and nothing else sends on the channel)
     * @param raw     the plain send of one datagram on that channel
     * @param owner   names the channel in log messages
     */
    public SegmentingSender(DatagramChannel channel, boolean enabled, RawSend raw, Object owner) {
        this.channel = channel;
        this.segmenting = enabled && UdpSegmentation.available();
        this.raw = raw;
        this.owner = owner;
    }

    /**
     * Sends one datagram; a datagram longer than the segment size raises the size first, so that it is not split.
     *
     * @param datagram the bytes in {@code [position, limit)}; the position is advanced
     * @param to       the destination
     * @throws IOException if the send fails
     */
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        if (!segmenting) {
            raw.send(datagram, to);
            return;
        }
        int len = datagram.remaining();
        if (len > largestSent.get()) {
            largestSent.accumulateAndGet(len, Math::max);
        }
        long stamp = segmentLock.readLock();
        try {
            int size = segmentSize;
            if (size != 0 && len > size) {
                segmentLock.unlockRead(stamp);
                stamp = 0;
                raiseSegmentSize(len);
                stamp = segmentLock.readLock();
            }
            raw.send(datagram, to);
        } finally {
            if (stamp != 0) {
                segmentLock.unlockRead(stamp);
            }
        }
    }

    /**
     * Sends each run of equal-sized datagrams (the last of a run may be shorter) with one system call where the
     * kernel can split it again, and the rest one by one. The peer receives the same datagrams in the same order
     * either way.
     *
     * @param datagrams each in {@code [position, limit)}; every position is advanced past what was sent
     * @param count     how many to send
     * @param to        the destination of all of them
     * @throws IOException if a send fails
     */
    public void sendAll(ByteBuffer[] datagrams, int count, InetSocketAddress to) throws IOException {
        int i = 0;
        while (i < count) {
            int len = datagrams[i].remaining();
            int end = i + 1;
            if (segmenting && len > 0) {
                int most = Math.min(UdpSegmentation.MAX_SEGMENTS, UdpSegmentation.MAX_BYTES / len);
                int limit = Math.min(count, i + most);
                while (end < limit && datagrams[end].remaining() == len) {
                    end++;
                }
                if (end < limit && datagrams[end].remaining() < len && datagrams[end].hasRemaining()) {
                    end++; // the last piece of a segmented send may be shorter
                }
            }
            if (end - i < 2 || !sendSegmented(datagrams, i, end, len, to)) {
                for (int k = i; k < end; k++) {
                    send(datagrams[k], to);
                }
            }
            i = end;
        }
    }

    /** {@return true while runs are sent segmented: available, and not turned off by a refusal} */
    public boolean segments() {
        return segmenting;
    }

    /** {@return the socket's segment size, 0 while none is set} */
    public int segmentSize() {
        return segmentSize;
    }

    /**
     * Sends {@code d[from, to)} ({@code size} bytes each, the last perhaps fewer) as one send if it can; returns false,
     * having sent nothing, if it cannot now (another segment size is set, or every scratch buffer is taken).
     */
    private boolean sendSegmented(ByteBuffer[] d, int from, int to, int size, InetSocketAddress dst)
            throws IOException {
        int current = segmentSize;
        if (current > size || size < largestSent.get()
                || current != size && !adoptSegmentSize(size)) {
            return false;
        }
        ByteBuffer scratch = UdpSegmentation.takeScratch();
        if (scratch == null) {
            return false;
        }
        long stamp = segmentLock.readLock();
        try {
            if (segmentSize != size || !segmenting) {
                return false;
            }
            int at = 0;
            for (int k = from; k < to; k++) {
                ByteBuffer b = d[k];
                scratch.put(at, b, b.position(), b.remaining());
                at += b.remaining();
            }
            scratch.limit(at);
            try {
                raw.send(scratch, dst);
            } catch (ClosedChannelException | PortUnreachableException e) {
                throw e;
            } catch (IOException e) {
                // Either the path refuses segmentation (no checksum offload, a device MTU below the segment size;
                // while a size is set the kernel then refuses every send, short ones too) or it takes no datagram
                // at all. The size is cleared and the run goes one by one: if that works, this socket sends one by
                // one from now on; if it fails too, the error was the path's, and segmentation may be tried again.
                segmentLock.unlockRead(stamp);
                stamp = 0;
                setSegmenting(false);
                try {
                    for (int k = from; k < to; k++) {
                        raw.send(d[k], dst);
                    }
                } catch (IOException again) {
                    setSegmenting(true);
                    throw again;
                }
                log("UDP segmentation refused on " + owner + "; sending datagrams one by one from now on", e);
                return true;
            }
            for (int k = from; k < to; k++) {
                d[k].position(d[k].limit());
            }
            return true;
        } finally {
            if (stamp != 0) {
                segmentLock.unlockRead(stamp);
            }
            UdpSegmentation.returnScratch(scratch);
        }
    }

    /** Makes {@code size} the socket's segment size unless a datagram sent alone was larger, or it is set higher. */
    private boolean adoptSegmentSize(int size) {
        long stamp = segmentLock.writeLock();
        try {
            if (!segmenting || size < segmentSize || size < largestSent.get()) {
                return segmenting && segmentSize == size;
            }
            if (segmentSize != size) {
                try {
                    UdpSegmentation.setSegmentSize(channel, size);
                } catch (IOException e) {
                    segmenting = false; // this kernel has no UDP_SEGMENT: the option was never set
                    log("UDP segmentation is not available on " + owner + "; sending datagrams one by one", e);
                    return false;
                }
                segmentSize = size;
            }
            return true;
        } finally {
            segmentLock.unlockWrite(stamp);
        }
    }

    /** A datagram longer than the segment size is about to go alone: raises the size, so that it is not split. */
    private void raiseSegmentSize(int len) throws IOException {
        long stamp = segmentLock.writeLock();
        try {
            if (segmenting && segmentSize != 0 && len > segmentSize) {
                try {
                    UdpSegmentation.setSegmentSize(channel, len);
                    segmentSize = len;
                } catch (IOException e) {
                    clearSegmentSize(); // if this fails too, the channel is gone and so is the session
                    segmenting = false;
                    log("UDP segmentation failed on " + owner + "; sending datagrams one by one from now on", e);
                }
            }
        } finally {
            segmentLock.unlockWrite(stamp);
        }
    }

    /** Turns segmentation off (the socket's size cleared) or back on (a later run sets a size again). */
    private void setSegmenting(boolean on) throws IOException {
        long stamp = segmentLock.writeLock();
        try {
            if (!on) {
                clearSegmentSize();
            }
            segmenting = on;
        } finally {
            segmentLock.unlockWrite(stamp);
        }
    }

    /** Clears the socket's segment size; caller holds the write lock. */
    private void clearSegmentSize() throws IOException {
        if (segmentSize != 0) {
            UdpSegmentation.setSegmentSize(channel, 0);
            segmentSize = 0;
        }
    }

    private static void log(String what, IOException why) {
        System.getLogger(SegmentingSender.class.getName()).log(System.Logger.Level.DEBUG, what, why);
    }
}
