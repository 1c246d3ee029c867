package kcp.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The allocation-free containers behind Kcp, checked against JDK collections as oracles. */
class RingsTest {
    private final SegmentPool pool = new SegmentPool();

    private Segment seg(int sn) {
        Segment s = pool.take(8);
        s.sn = sn;
        return s;
    }

    @Test
    void shouldBehaveLikeArrayDequeAcrossGrowthAndWrap() {
        SplittableRandom rnd = new SplittableRandom(1);
        SegmentQueue q = new SegmentQueue(4);
        ArrayDeque<Segment> oracle = new ArrayDeque<>();
        for (int i = 0; i < 100_000; i++) {
            if (rnd.nextInt(3) != 0) {
                Segment s = seg(i);
                q.addLast(s);
                oracle.addLast(s);
            } else {
                assertSame(oracle.pollFirst(), q.pollFirst());
            }
            assertEquals(oracle.size(), q.size());
            assertSame(oracle.peekFirst(), q.peekFirst());
            assertSame(oracle.peekLast(), q.peekLast());
            if (!oracle.isEmpty() && i % 97 == 0) {
                int k = 0;
                for (Segment s : oracle) {
                    assertSame(s, q.get(k++));
                }
            }
        }
    }

    @Test
    void shouldKeepOutOfOrderSegmentsAcrossSnWrapAndCapacityGrowth() {
        ReceiveWindow w = new ReceiveWindow(8);
        int base = 0xFFFF_FFFC;
        for (int i : new int[] {1, 3, 6, 7}) {
            w.put(seg(base + i));
        }
        assertEquals(4, w.size());
        w.ensureCapacity(100); // rehash while sn straddles 2^32
        for (int i = 0; i < 8; i++) {
            boolean present = i == 1 || i == 3 || i == 6 || i == 7;
            assertEquals(present, w.get(base + i) != null, "sn base+" + i);
        }
        w.put(seg(base + 50));
        assertNull(w.remove(base));
        assertEquals(base + 1, w.remove(base + 1).sn);
        assertEquals(4, w.size());
        assertNull(w.get(base + 1));
    }

    @Test
    void shouldStartSmallAndGrowOnlyWhenHeldSnsCollide() {
        ReceiveWindow w = new ReceiveWindow(1024);
        assertEquals(ReceiveWindow.INITIAL_CAPACITY, w.capacity(), "no window-sized table up front");
        int base = 0xFFFF_FF00;
        for (int i = 0; i < 1024; i += 64) {
            w.put(seg(base + i));
        }
        assertEquals(1024, w.capacity(), "sns 64 apart over a 1024 window collide until the table spans it");
        for (int i = 0; i < 1024; i++) {
            assertEquals(i % 64 == 0, w.get(base + i) != null, "sn base+" + i);
        }
        for (int i = 0; i < 1024; i += 64) {
            assertEquals(base + i, w.remove(base + i).sn);
        }
        assertEquals(0, w.size());
    }

    @Test
    void shouldReuseSegmentsAndGrowDataWhenAsked() {
        Segment s = pool.take(10);
        s.len = 5;
        s.xmit = 3;
        s.acked = true;
        pool.release(s);
        Segment again = pool.take(4);
        assertSame(s, again);
        assertEquals(0, again.len + again.xmit);
        assertTrue(!again.acked);
        pool.release(again);
        Segment bigger = pool.take(1000);
        assertSame(s, bigger);
        assertTrue(bigger.data.length >= 1000);
    }

    @Test
    void shouldKeepAckPairsInOrderAcrossGrowth() {
        AckList acks = new AckList();
        for (int i = 0; i < 1000; i++) {
            acks.add(i, -i);
        }
        assertEquals(1000, acks.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, acks.sn(i));
            assertEquals(-i, acks.ts(i));
        }
        acks.clear();
        assertEquals(0, acks.size());
    }

    @Test
    void shouldCompareAcrossTheWrap() {
        assertTrue(Seq.diff(5, 0xFFFF_FFFB) > 0);
        assertEquals(10, Seq.diff(5, 0xFFFF_FFFB));
        assertTrue(Seq.diff(0xFFFF_FFFB, 5) < 0);
        assertEquals(0, Seq.diff(7, 7));
    }
}
