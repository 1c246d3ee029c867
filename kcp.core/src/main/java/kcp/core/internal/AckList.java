package kcp.core.internal;

/**
 * kcp-go {@code acklist}: (sn, ts) pairs to acknowledge at the next flush, in arrival order, stored flat in an
 * {@code int[]}. Grows by doubling (warm-up only). Not thread-safe.
 */
public final class AckList {
    private static final int INITIAL_INTS = 16;

    private int[] pairs = new int[INITIAL_INTS];
    private int size;

    /** Appends one (sn, ts) pair. */
    public void add(int sn, int ts) {
        if (size * 2 == pairs.length) {
            int[] bigger = new int[pairs.length * 2];
            System.arraycopy(pairs, 0, bigger, 0, pairs.length);
            pairs = bigger;
        }
        pairs[size * 2] = sn;
        pairs[size * 2 + 1] = ts;
        size++;
    }

    /** Number of pending pairs. */
    public int size() {
        return size;
    }

    /** sn of entry i. */
    public int sn(int i) {
        return pairs[i * 2];
    }

    /** ts of entry i. */
    public int ts(int i) {
        return pairs[i * 2 + 1];
    }

    /** Forgets every entry. */
    public void clear() {
        size = 0;
    }

    /** Shrinks the array back to its initial size if the list is empty and has grown (idle memory). */
    public void trim() {
        if (size == 0 && pairs.length > INITIAL_INTS) {
            pairs = new int[INITIAL_INTS];
        }
    }
}
