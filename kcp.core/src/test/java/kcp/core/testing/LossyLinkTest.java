package kcp.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The simulator itself: reproducible from the seed, loss/dup rates, FIFO vs reordering, queue cap, clock. */
class LossyLinkTest {
    private static List<Integer> run(LossyLink link) {
        byte[] b = new byte[4];
        for (int i = 0; i < 2000; i++) {
            b[0] = (byte) i;
            b[1] = (byte) (i >> 8);
            link.send(b, 4, i);
        }
        List<Integer> order = new ArrayList<>();
        byte[] p;
        int lastTime = Integer.MIN_VALUE;
        for (int t = 0; t < 3000; t++) {
            while ((p = link.poll(t)) != null) {
                order.add((p[0] & 0xFF) | (p[1] & 0xFF) << 8);
                assertTrue(t >= lastTime);
                lastTime = t;
            }
        }
        return order;
    }

    @Test
    void shouldReplayExactlyFromTheSeed() {
        assertEquals(run(new LossyLink(5, 20, 10, 90, 10, true, 10_000)),
                run(new LossyLink(5, 20, 10, 90, 10, true, 10_000)));
        assertFalse(run(new LossyLink(5, 20, 10, 90, 10, true, 10_000))
                .equals(run(new LossyLink(6, 20, 10, 90, 10, true, 10_000))));
    }

    @Test
    void shouldDropDuplicateAndReorderAtTheConfiguredRates() {
        LossyLink link = new LossyLink(1, 20, 10, 90, 10, true, 10_000);
        List<Integer> got = run(link);
        assertEquals(2000, link.sent());
        assertTrue(link.dropped() > 300 && link.dropped() < 500, "dropped " + link.dropped());
        assertTrue(link.duplicated() > 100 && link.duplicated() < 220, "duplicated " + link.duplicated());
        assertEquals(2000 - link.dropped() + link.duplicated(), got.size());
        int inversions = 0;
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i) < got.get(i - 1)) {
                inversions++;
            }
        }
        assertTrue(inversions > 100, "reordered: " + inversions);
    }

    @Test
    void shouldKeepFifoOrderWithoutReordering() {
        List<Integer> got = run(new LossyLink(2, 10, 10, 90, 0, false, 10_000));
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i) > got.get(i - 1), "FIFO at " + i);
        }
    }

    @Test
    void shouldTailDropBeyondTheQueueCap() {
        LossyLink link = new LossyLink(3, 0, 100, 100, 0, false, 10);
        for (int i = 0; i < 15; i++) {
            link.send(new byte[1], 1, 0);
        }
        assertEquals(5, link.dropped());
        assertNull(link.poll(99));
        assertEquals(100, link.nextDeliveryMs());
        int n = 0;
        while (link.poll(100) != null) {
            n++;
        }
        assertEquals(10, n);
        assertThrows(IllegalArgumentException.class, () -> new LossyLink(0, 101, 0, 0, 0, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new LossyLink(0, 0, 5, 4, 0, false, 1));
    }

    @Test
    void shouldMoveTheVirtualClockOnlyForward() {
        VirtualClock clock = new VirtualClock(Integer.MAX_VALUE - 5);
        clock.advance(10);
        assertEquals(Integer.MIN_VALUE + 4, clock.nowMs(), "wraps like KCP time");
        clock.advanceTo(Integer.MIN_VALUE);
        assertEquals(Integer.MIN_VALUE + 4, clock.nowMs(), "earlier time ignored");
        assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
    }
}
