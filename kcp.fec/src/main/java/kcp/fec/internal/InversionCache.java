package kcp.fec.internal;

import java.util.Arrays;

/**
 * Cache of {@link DecodePlan}s keyed by the erasure pattern (the set of present shards, up to 256 bits), so that a
 * pattern seen before costs one hash probe instead of a matrix inversion: the role of klauspost's inversion tree
 * and kcp-go's reliance on it. Backblaze inverts on every decode; we do not.
 *
 * <p>Open addressing with linear probing. The table is allocated on the first miss with {@link #INITIAL_CAPACITY}
 * slots (a codec that only encodes, or never sees a loss, holds no table) and doubles when three-quarters full up to
 * {@link #CAPACITY} slots; a full-size table is cleared instead, which bounds memory under adversarial patterns at
 * {@link #CAPACITY} * 3 / 4 plans. A lookup allocates nothing; a miss allocates the new plan (and, while the table
 * grows, a bigger table). Not thread-safe: one per codec, used by its single owner.
 */
public final class InversionCache {
    /** Maximum number of slots (a power of two). */
    public static final int CAPACITY = 1024;
    /** Slots allocated on the first miss (a power of two). */
    public static final int INITIAL_CAPACITY = 16;
    private static final int WORDS = 4;
    private static final long[] NO_KEYS = new long[0];
    private static final DecodePlan[] NO_PLANS = new DecodePlan[0];

    private long[] keys = NO_KEYS;
    private DecodePlan[] plans = NO_PLANS;
    private int size;
    private long misses;

    /** Returns the plan stored for the present-mask {@code key} (4 longs, bit i = shard i present), or null. */
    public DecodePlan get(long[] key) {
        if (plans.length == 0) {
            return null;
        }
        int mask = plans.length - 1;
        int slot = slot(key, mask);
        while (plans[slot] != null) {
            if (matches(slot, key)) {
                return plans[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /** Stores a plan for {@code key} (copied); clears the cache first when it is too full. */
    public void put(long[] key, DecodePlan plan) {
        misses++;
        if (plans.length == 0) {
            keys = new long[INITIAL_CAPACITY * WORDS];
            plans = new DecodePlan[INITIAL_CAPACITY];
        } else if (size >= plans.length * 3 / 4) {
            if (plans.length < CAPACITY) {
                grow();
            } else {
                Arrays.fill(plans, null);
                size = 0;
            }
        }
        insert(key, 0, plan);
    }

    /** Current number of slots (0 until the first miss). */
    public int capacity() {
        return plans.length;
    }

    private void insert(long[] key, int keyOff, DecodePlan plan) {
        int mask = plans.length - 1;
        int slot = slot(key, keyOff, mask);
        while (plans[slot] != null && !matches(slot, key, keyOff)) {
            slot = (slot + 1) & mask;
        }
        if (plans[slot] == null) {
            size++;
        }
        System.arraycopy(key, keyOff, keys, slot * WORDS, WORDS);
        plans[slot] = plan;
    }

    private void grow() {
        long[] oldKeys = keys;
        DecodePlan[] oldPlans = plans;
        keys = new long[oldPlans.length * 2 * WORDS];
        plans = new DecodePlan[oldPlans.length * 2];
        size = 0;
        for (int i = 0; i < oldPlans.length; i++) {
            if (oldPlans[i] != null) {
                insert(oldKeys, i * WORDS, oldPlans[i]);
            }
        }
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
        return matches(slot, key, 0);
    }

    private boolean matches(int slot, long[] key, int o) {
        int b = slot * WORDS;
        return keys[b] == key[o] && keys[b + 1] == key[o + 1] && keys[b + 2] == key[o + 2]
                && keys[b + 3] == key[o + 3];
    }

    private static int slot(long[] key, int mask) {
        return slot(key, 0, mask);
    }

    private static int slot(long[] key, int o, int mask) {
        long h = key[o] * 0x9E3779B97F4A7C15L;
        h = (h ^ key[o + 1]) * 0x9E3779B97F4A7C15L;
        h = (h ^ key[o + 2]) * 0x9E3779B97F4A7C15L;
        h = (h ^ key[o + 3]) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
