package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void shouldReuseReleasedArraysUpToCapacity() {
        BufferPool pool = new BufferPool(2);
        byte[] a = pool.acquire();
        byte[] b = pool.acquire();
        byte[] c = pool.acquire();
        assertEquals(BufferPool.BUFFER_SIZE, a.length);
        pool.release(a);
        pool.release(b);
        pool.release(c);
        assertEquals(2, pool.pooled(), "the third array is dropped: the pool is bounded");
        assertSame(b, pool.acquire());
        assertSame(a, pool.acquire());
        assertNotSame(a, pool.acquire());
    }

    @Test
    void shouldRejectForeignArraysAndBadCapacity() {
        BufferPool pool = new BufferPool(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(new byte[1400]));
        assertEquals("only 1500-byte arrays belong to this pool: 1400", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0));
    }
}
