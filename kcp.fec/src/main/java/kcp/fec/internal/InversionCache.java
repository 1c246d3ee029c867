package kcp.fec.internal;

import java.util.Arrays;

/**
 * Cache of {@link DecodePlan}s keyed by the erasure pattern (the set of present shards, up to 256 bits), so that a
 * pattern seen before costs one hash probe instead of a matrix inversion: the role of klauspost's inversion tree
 * and kcp-go's reliance on it. Backblaze inverts on every decode; we do not.
 *
 * <p>Open addressing with linear probing over a fixed table; when it is three-quarters full it is cleared, which
 * bounds memory under adversarial patterns at {@link #CAPACITY} * 3 / 4 plans. A lookup allocates nothing; a miss
 * allocates the new plan. Not thread-safe: one per codec, used by its single owner.
 */
public final class InversionCache {
    /** Number of slots (a power of two). */
    public static final int CAPACITY = 1024;
    private static final int WORDS = 4;

    private final long[] keys = new long[CAPACITY * WORDS];
    private final DecodePlan[] plans = new DecodePlan[CAPACITY];
    private int size;
    private long misses;

    /** Returns the plan stored for the present-mask {@code key} (4 longs, bit i = shard i present), or null. */
    public DecodePlan get(long[] key) {
        int slot = slot(key);
        while (plans[slot] != null) {
            if (matches(slot, key)) {
                return plans[slot];
            }
            slot = (slot + 1) & (CAPACITY - 1);
        }
        return null;
    }

    /** Stores a plan for {@code key} (copied); clears the cache first when it is too full. */
    public void put(long[] key, DecodePlan plan) {
        misses++;
        if (size >= CAPACITY * 3 / 4) {
            Arrays.fill(plans, null);
            size = 0;
        }
        int slot = slot(key);
        while (plans[slot] != null && !matches(slot, key)) {
            slot = (slot + 1) & (CAPACITY - 1);
        }
        if (plans[slot] == null) {
            size++;
        }
        System.arraycopy(key, 0, keys, slot * WORDS, WORDS);
        plans[slot] = plan;
    }

    /** Number of cached plans. */
    public int size() {
        return size;
    }

    /** Number of plans computed (cache misses) since creation. */
    public long misses() {
        return misses;
    }

    private boolean matches(int slot, long[] key) {
        int b = slot * WORDS;
        return keys[b] == key[0] && keys[b + 1] == key[1] && keys[b + 2] == key[2] && keys[b + 3] == key[3];
    }

    private static int slot(long[] key) {
        long h = key[0] * 0x9E3779B97F4A7C15L;
        h = (h ^ key[1]) * 0x9E3779B97F4A7C15L;
        h = (h ^ key[2]) * 0x9E3779B97F4A7C15L;
        h = (h ^ key[3]) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (CAPACITY - 1);
    }
}
