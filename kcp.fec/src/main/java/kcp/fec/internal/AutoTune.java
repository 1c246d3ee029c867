package kcp.fec.internal;

import java.util.Arrays;

/**
 * kcp-go v5.6.72's FEC auto-tuner ({@code autotune.go}): watches the (isData, seqid) stream of received FEC
 * packets and finds the sender's data and parity run lengths, so a receiver configured with other (d, p), or
 * none, can adapt. Spec 7.6.
 *
 * <pre>
 *   bit      1 1 1 0 0 1 1 1 0 0        data = 1, parity = 0; sorted by seqid, every step must be seqid + 1
 *                  ^   ^                findPeriod(false): left edge = first change to 0, right edge = first
 *                  left right           change away from 0 after it; period = right - left = 2
 * </pre>
 *
 * <p>Keeps the last {@link #MAX_SAMPLES} samples in a ring: seqids in an {@code int[]}, bits in a {@code long[]}
 * bitmap (about 1 KiB). {@link #findPeriod} sorts a copy by seqid in wrap-around (signed 32-bit difference) order
 * in a scratch array allocated by its first call; it is only called while the decoder suspects a parameter
 * mismatch. {@link #trim()} forgets the samples and releases both arrays (idle sessions); the next sample
 * allocates the ring again. Not thread-safe (one per decoder).
 */
public final class AutoTune {
    /** kcp-go maxAutoTuneSamples: 256 + 2 extra for edge detection. */
    public static final int MAX_SAMPLES = 258;

    private int[] seqs;
    private final long[] bits = new long[(MAX_SAMPLES + 63) >>> 6];
    private long[] sorted;
    private int head;
    private int count;

    /** Records one received packet: bit = true for a data packet, false for parity. */
    public void sample(boolean bit, int seq) {
        if (seqs == null) {
            seqs = new int[MAX_SAMPLES];
        }
        int tail = (head + count) % MAX_SAMPLES;
        seqs[tail] = seq;
        if (bit) {
            bits[tail >>> 6] |= 1L << tail;
        } else {
            bits[tail >>> 6] &= ~(1L << tail);
        }
        if (count < MAX_SAMPLES) {
            count++;
        } else {
            head = (head + 1) % MAX_SAMPLES;
        }
    }

    /** Number of samples held (at most {@link #MAX_SAMPLES}). */
    public int size() {
        return count;
    }

    /** Forgets all samples. */
    public void clear() {
        head = 0;
        count = 0;
    }

    /** Forgets all samples and releases the sample ring and sort scratch until the next {@link #sample}. */
    public void trim() {
        clear();
        seqs = null;
        sorted = null;
    }

    /**
     * Returns the length of the run of {@code bit} between its first rising and the following falling edge in the
     * sorted samples, or -1 when there are fewer than 3 samples, a gap or duplicate in the seqids before the right
     * edge, or a missing edge.
     */
    public int findPeriod(boolean bit) {
        if (count < 3) {
            return -1;
        }
        // Sort by the signed distance from the newest sample: that is the wrap-around order kcp-go's
        // _itimediff comparator gives for any window narrower than 2^31. The low bit carries the sample bit.
        if (sorted == null) {
            sorted = new long[MAX_SAMPLES];
        }
        int newest = seqs[(head + count - 1) % MAX_SAMPLES];
        for (int i = 0; i < count; i++) {
            int idx = (head + i) % MAX_SAMPLES;
            sorted[i] = ((long) (seqs[idx] - newest) << 1) | (bits[idx >>> 6] >>> idx & 1);
        }
        Arrays.sort(sorted, 0, count);
        int left = -1;
        for (int i = 1; i < count; i++) {
            if (!consecutive(i)) {
                return -1;
            }
            if (bitAt(i - 1) != bit && bitAt(i) == bit) {
                left = i;
                break;
            }
        }
        if (left == -1) {
            return -1;
        }
        for (int i = left + 1; i < count; i++) {
            if (!consecutive(i)) {
                return -1;
            }
            if (bitAt(i - 1) == bit && bitAt(i) != bit) {
                return i - left;
            }
        }
        return -1;
    }

    private boolean consecutive(int i) {
        return (sorted[i] >> 1) == (sorted[i - 1] >> 1) + 1;
    }

    private boolean bitAt(int i) {
        return (sorted[i] & 1) != 0;
    }
}
