package kcp.fec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The inversion cache holds no table until its first miss, grows on demand, and keeps every plan while growing. */
class InversionCacheTest {
    private static DecodePlan plan() {
        return new DecodePlan(new int[0], new int[0], null, new int[0], null);
    }

    private static long[] key(int i) {
        return new long[] {i, (long) i << 20, ~i, 7};
    }

    @Test
    void shouldAllocateNothingUntilTheFirstMissThenGrowKeepingEveryPlan() {
        InversionCache c = new InversionCache();
        assertEquals(0, c.capacity(), "an encode-only codec holds no table");
        assertNull(c.get(key(1)));
        List<DecodePlan> plans = new ArrayList<>();
        int n = InversionCache.CAPACITY * 3 / 4;
        for (int i = 0; i < n; i++) {
            DecodePlan p = plan();
            plans.add(p);
            c.put(key(i), p);
            if (i == 0) {
                assertEquals(InversionCache.INITIAL_CAPACITY, c.capacity());
            }
        }
        assertEquals(InversionCache.CAPACITY, c.capacity(), "grew to the maximum, not beyond");
        assertEquals(n, c.size());
        for (int i = 0; i < n; i++) {
            assertSame(plans.get(i), c.get(key(i)), "plan " + i + " survived every rehash");
        }
        assertNull(c.get(key(n)));
        c.put(key(n), plan());
        assertEquals(1, c.size(), "a full maximum-size table is cleared, bounding memory");
        assertEquals(InversionCache.CAPACITY, c.capacity());
        assertNull(c.get(key(0)));
    }
}
