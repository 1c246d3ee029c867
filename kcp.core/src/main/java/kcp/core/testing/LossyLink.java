package kcp.core.testing;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One direction of a simulated datagram link in virtual time: seeded loss, uniform delay in
 * {@code [delayMinMs, delayMaxMs]}, duplication, optional reordering (without it, delivery stays FIFO) and a queue
 * cap (tail drop, like ikcp test.h's {@code nmax}). Every decision comes from one {@link SplittableRandom} seeded at
 * construction, so a run is exactly reproducible from its seed. Copies each datagram on {@link #send}. Not
 * thread-safe.
 */
public final class LossyLink {
    /** FNV-1a 64-bit parameters for {@link #sentDigest()}. */
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** A datagram in flight. */
    private record Packet(int deliverAtMs, long order, byte[] data) {
    }

    private final long seed;
    private final SplittableRandom random;
    private final int lossPct;
    private final int delayMinMs;
    private final int delayMaxMs;
    private final int dupPct;
    private final boolean reorder;
    private final int queueCap;
    private final PriorityQueue<Packet> queue = new PriorityQueue<>((a, b) -> {
        int d = a.deliverAtMs - b.deliverAtMs;
        return d != 0 ? Integer.signum(d) : Long.compare(a.order, b.order);
    });
    private long order;
    private int lastDeliverAtMs;
    private boolean anySent;
    private long sent;
    private long dropped;
    private long duplicated;
    private long delivered;
    private long digest = FNV_OFFSET;

    /**
     * Creates one direction of a link.
     *
     * @param seed       RNG seed (print it when a test fails)
     * @param lossPct    percent of datagrams dropped, 0..100
     * @param delayMinMs minimum one-way delay
     * @param delayMaxMs maximum one-way delay
     * @param dupPct     percent of datagrams delivered twice, 0..100
     * @param reorder    allow later datagrams to overtake earlier ones (otherwise FIFO)
     * @param queueCap   maximum datagrams in flight; more are dropped
     * @throws IllegalArgumentException on out-of-range parameters
     */
    public LossyLink(long seed, int lossPct, int delayMinMs, int delayMaxMs, int dupPct, boolean reorder,
                     int queueCap) {
        if (lossPct < 0 || lossPct > 100 || dupPct < 0 || dupPct > 100) {
            throw new IllegalArgumentException("lossPct/dupPct outside 0..100: " + lossPct + "/" + dupPct);
        }
        if (delayMinMs < 0 || delayMaxMs < delayMinMs) {
            throw new IllegalArgumentException("need 0 <= delayMinMs <= delayMaxMs: " + delayMinMs + ".." + delayMaxMs);
        }
        if (queueCap <= 0) {
            throw new IllegalArgumentException("queueCap <= 0: " + queueCap);
        }
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.lossPct = lossPct;
        this.delayMinMs = delayMinMs;
        this.delayMaxMs = delayMaxMs;
        this.dupPct = dupPct;
        this.reorder = reorder;
        this.queueCap = queueCap;
    }

    /**
     * Creates a link that delivers every datagram, in order, after a fixed delay.
     *
     * @param delayMs one-way delay in ms
     * @return a lossless link with a fixed delay
     */
    public static LossyLink perfect(int delayMs) {
        return new LossyLink(0, 0, delayMs, delayMs, 0, false, Integer.MAX_VALUE);
    }

    /**
     * Offers {@code buf[0, len)} to the link; the bytes are copied.
     *
     * @param buf   the datagram
     * @param len   its length
     * @param nowMs virtual send time
     */
    public void send(byte[] buf, int len, int nowMs) {
        sent++;
        long h = (digest ^ len) * FNV_PRIME;
        for (int i = 0; i < len; i++) {
            h = (h ^ (buf[i] & 0xFF)) * FNV_PRIME;
        }
        digest = (h ^ nowMs) * FNV_PRIME;
        if (lossPct > 0 && random.nextInt(100) < lossPct) {
            dropped++;
            return;
        }
        enqueue(buf, len, nowMs);
        if (dupPct > 0 && random.nextInt(100) < dupPct) {
            duplicated++;
            enqueue(buf, len, nowMs);
        }
    }

    private void enqueue(byte[] buf, int len, int nowMs) {
        if (queue.size() >= queueCap) {
            dropped++;
            return;
        }
        int delay = delayMinMs == delayMaxMs ? delayMinMs : delayMinMs + random.nextInt(delayMaxMs - delayMinMs + 1);
        int at = nowMs + delay;
        if (!reorder && anySent && at - lastDeliverAtMs < 0) {
            at = lastDeliverAtMs;
        }
        anySent = true;
        lastDeliverAtMs = at;
        byte[] copy = new byte[len];
        System.arraycopy(buf, 0, copy, 0, len);
        queue.add(new Packet(at, order++, copy));
    }

    /** {@return true if a datagram is in flight} */
    public boolean hasPending() {
        return !queue.isEmpty();
    }

    /** {@return the delivery time of the next datagram; only meaningful if {@link #hasPending()}} */
    public int nextDeliveryMs() {
        return queue.peek().deliverAtMs;
    }

    /**
     * Removes and returns the next datagram if it is due.
     *
     * @param nowMs the current virtual time
     * @return the datagram (the caller owns the array), or null if none is due at {@code nowMs}
     */
    public byte[] poll(int nowMs) {
        Packet p = queue.peek();
        if (p == null || p.deliverAtMs - nowMs > 0) {
            return null;
        }
        queue.poll();
        delivered++;
        return p.data;
    }

    /** {@return the seed this link was built with} */
    public long seed() {
        return seed;
    }

    /** {@return the number of datagrams offered so far} */
    public long sent() {
        return sent;
    }

    /**
     * Returns an FNV-1a hash over every datagram offered so far (length, bytes and send time, in order): two runs
     * that put the same datagrams on the link at the same times have the same digest.
     *
     * @return the digest
     */
    public long sentDigest() {
        return digest;
    }

    /** {@return the number of datagrams dropped by loss or the queue cap} */
    public long dropped() {
        return dropped;
    }

    /** {@return the number of extra copies injected by duplication} */
    public long duplicated() {
        return duplicated;
    }

    /** {@return the number of datagrams handed out by {@link #poll}} */
    public long delivered() {
        return delivered;
    }

    @Override
    public String toString() {
        return "LossyLink[seed=" + seed + ", loss=" + lossPct + "%, delay=" + delayMinMs + ".." + delayMaxMs
                + "ms, dup=" + dupPct + "%, reorder=" + reorder + ", cap=" + queueCap + ", sent=" + sent
                + ", dropped=" + dropped + "]";
    }
}
