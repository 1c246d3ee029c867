package kcp.smux.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;

/**
 * One smux stream: the implementation behind {@code kcp.smux.SmuxStream}. All fields are guarded by the
 * session's lock. Reads take bytes from the stream's {@link ByteRing}; a write hands its buffer to the session
 * writer and waits until every byte is in the underlying channel (as smux's {@code Write} waits for its
 * frames' write results).
 */
public final class MuxStream {
    final Mux mux;
    final int id;
    final ByteRing ring = new ByteRing();
    // The first thread to wait parks (no allocation); a second one at the same time uses the condition.
    private final Condition readable;
    private final Condition writable;
    private Thread readWaiter;
    private Thread writeWaiter;

    boolean finReceived;
    boolean closedLocally;
    boolean outputShut;

    // writing: the caller's buffer while the writer copies it into frames
    ByteBuffer wsrc;
    boolean inDataQueue;
    boolean windowBlocked;
    long doneRound = -1;

    // control frames waiting for the writer
    boolean ctrlQueued;
    boolean synPending;
    boolean updPending;
    boolean finPending;
    int updConsumed;

    // version 2 flow control, modulo 2^32 as in smux
    int numWritten;
    int peerConsumed;
    int peerWindow = Frames.INITIAL_PEER_WINDOW;
    int numRead;
    int incr;
    int windowWaits;

    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;

    MuxStream(Mux mux, int id) {
        this.mux = mux;
        this.id = id;
        this.readable = mux.lock.newCondition();
        this.writable = mux.lock.newCondition();
    }

    /** @return the stream id (unsigned 32-bit) */
    public int id() {
        return id;
    }

    /** @return how often a write to this stream found the peer's window full (version 2) */
    public int windowWaits() {
        mux.lock.lock();
        try {
            return windowWaits;
        } finally {
            mux.lock.unlock();
        }
    }

    /** @return the window the peer last announced (version 2; 262144 until its first UPD) */
    public int peerWindow() {
        mux.lock.lock();
        try {
            return peerWindow;
        } finally {
            mux.lock.unlock();
        }
    }

    /** smux writeV2: the peer's window minus what is in flight, as a signed 32-bit value. */
    int window() {
        return peerWindow - (numWritten - peerConsumed);
    }

    /**
     * Sets the read timeout.
     *
     * @param t null or zero for none
     */
    public void setReadTimeout(Duration t) {
        readTimeoutNanos = nanos(t, "read timeout");
        wake();
    }

    /**
     * Sets the write timeout.
     *
     * @param t null or zero for none
     */
    public void setWriteTimeout(Duration t) {
        writeTimeoutNanos = nanos(t, "write timeout");
        wake();
    }

    private static long nanos(Duration t, String what) {
        if (t == null || t.isZero()) {
            return 0;
        }
        if (t.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative (use null or zero for none): " + t);
        }
        return Math.max(1, t.toNanos());
    }

    private void wake() {
        mux.lock.lock();
        try {
            wakeReaders();
            wakeWriters();
        } finally {
            mux.lock.unlock();
        }
    }

    void wakeReaders() {
        if (readWaiter != null) {
            LockSupport.unpark(readWaiter);
        }
        readable.signalAll();
    }

    void wakeWriters() {
        if (writeWaiter != null) {
            LockSupport.unpark(writeWaiter);
        }
        writable.signalAll();
    }

    private void awaitRead(long deadline) throws IOException {
        if (readWaiter == null) {
            readWaiter = Thread.currentThread();
            try {
                mux.park(deadline, "read");
            } finally {
                readWaiter = null;
            }
        } else {
            mux.await(readable, deadline, "read");
        }
    }

    private void awaitWrite(long deadline) throws IOException {
        if (writeWaiter == null) {
            writeWaiter = Thread.currentThread();
            try {
                mux.park(deadline, "write");
            } finally {
                writeWaiter = null;
            }
        } else {
            mux.await(writable, deadline, "write");
        }
    }

    /**
     * Reads into {@code dst}: blocks until data, the peer's FIN, the timeout, or the session's end.
     *
     * @return bytes read, 0 if {@code dst} is full, -1 after the peer's FIN and all buffered data
     * @throws IOException the session's close reason, a timeout, or this stream's close
     */
    public int read(ByteBuffer dst) throws IOException {
        long t = readTimeoutNanos;
        long deadline = t > 0 ? System.nanoTime() + t : 0;
        boolean waited = false;
        mux.lockInterruptibly();
        try {
            while (true) {
                if (closedLocally) {
                    throw waited ? new AsynchronousCloseException() : new ClosedChannelException();
                }
                if (!dst.hasRemaining()) {
                    return 0;
                }
                if (ring.size() > 0) {
                    int n = ring.read(dst, mux.spares);
                    mux.consumed(this, n);
                    return n;
                }
                if (finReceived) {
                    return -1;
                }
                if (mux.closedLocked()) {
                    throw mux.closedException();
                }
                waited = true;
                try {
                    awaitRead(deadline);
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException("read on smux stream " + Integer.toUnsignedString(id)
                            + " timed out after " + Duration.ofNanos(t));
                }
            }
        } finally {
            mux.lock.unlock();
        }
    }

    /**
     * Writes all of {@code src}, split into frames of at most {@code maxFrameSize} (and, in version 2, no more
     * than the peer's window), and returns once they are in the underlying channel.
     *
     * @return bytes written: all of them, or fewer if the write timeout passed after some were sent
     * @throws IOException the session's close reason, a timeout before any byte, or this stream's close
     */
    public int write(ByteBuffer src) throws IOException {
        long t = writeTimeoutNanos;
        long deadline = t > 0 ? System.nanoTime() + t : 0;
        int start = src.position();
        boolean mine = false;
        mux.lockInterruptibly();
        try {
            while (true) {
                if (closedLocally) {
                    throw mine ? new AsynchronousCloseException() : new ClosedChannelException();
                }
                if (mux.closedLocked()) {
                    throw mux.closedException();
                }
                if (outputShut) {
                    throw new IOException("smux stream " + Integer.toUnsignedString(id)
                            + ": output was shut down (FIN sent)");
                }
                if (!mine) {
                    if (!src.hasRemaining()) {
                        return 0;
                    }
                    if (wsrc == null && doneRound < 0) {
                        // our turn (another thread's write to this stream has finished)
                        mine = true;
                        wsrc = src;
                        mux.queueData(this);
                        continue;
                    }
                } else if (wsrc == null && doneRound < mux.flushedRounds()) {
                    doneRound = -1;
                    wakeWriters();
                    return src.position() - start;
                } else if (windowBlocked && finReceived) {
                    throw new IOException("smux stream " + Integer.toUnsignedString(id)
                            + ": the peer closed it (FIN) while this write waited for window (smux returns EOF)");
                }
                try {
                    awaitWrite(deadline);
                } catch (SocketTimeoutException e) {
                    if (!mine) {
                        throw new SocketTimeoutException("write on smux stream " + Integer.toUnsignedString(id)
                                + " timed out after " + Duration.ofNanos(t) + " behind another write");
                    }
                    int sent = src.position() - start;
                    abortWrite();
                    if (sent > 0) {
                        return sent;
                    }
                    throw new SocketTimeoutException("write on smux stream " + Integer.toUnsignedString(id)
                            + " timed out after " + Duration.ofNanos(t)
                            + (mux.version == 2 ? " (the peer's window is full)" : ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (mine) {
                abortWrite();
            }
            throw e;
        } finally {
            mux.lock.unlock();
        }
    }

    /** Withdraws this stream's pending write (lock held). */
    private void abortWrite() {
        mux.unqueueData(this);
        wsrc = null;
        windowBlocked = false;
        doneRound = -1;
        wakeWriters();
    }

    /** @return false once closed locally */
    public boolean isOpen() {
        mux.lock.lock();
        try {
            return !closedLocally;
        } finally {
            mux.lock.unlock();
        }
    }

    /** @return bytes received and not yet read */
    public int buffered() {
        mux.lock.lock();
        try {
            return ring.size();
        } finally {
            mux.lock.unlock();
        }
    }

    /** @return bytes of array held for received data (0 while empty) */
    public int bufferCapacity() {
        mux.lock.lock();
        try {
            return ring.capacity();
        } finally {
            mux.lock.unlock();
        }
    }

    /**
     * Half-closes the stream (smux 1.5.57+ {@code CloseWrite}): queues its FIN, after which writes fail and
     * reads go on until the peer's FIN. Idempotent; {@link #close()} later sends no second FIN.
     */
    public void shutdownOutput() {
        mux.lock.lock();
        try {
            if (closedLocally || outputShut) {
                return;
            }
            outputShut = true;
            if (wsrc != null) {
                abortWrite();
            }
            if (!mux.closedLocked()) {
                finPending = true;
                mux.queueControl(this);
            }
            wakeWriters();
        } finally {
            mux.lock.unlock();
        }
    }

    /**
     * Closes the stream: queues its FIN (unless the session is closed), drops unread data, fails blocked calls.
     * Idempotent.
     */
    public void close() {
        mux.lock.lock();
        try {
            if (closedLocally) {
                return;
            }
            closedLocally = true;
            if (wsrc != null) {
                abortWrite();
            }
            if (!mux.closedLocked() && !outputShut) {
                finPending = true;
                mux.queueControl(this);
            }
            outputShut = true;
            mux.forget(this, ring.clear(mux.spares));
            wakeReaders();
            wakeWriters();
        } finally {
            mux.lock.unlock();
        }
    }

    void finReceivedLocked() {
        finReceived = true;
        wakeReaders();
        wakeWriters();
    }

    void sessionClosedLocked() {
        wakeReaders();
        wakeWriters();
    }
}
