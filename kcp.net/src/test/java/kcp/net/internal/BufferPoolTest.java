package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void shouldReuseReleasedArraysUpToCapacity() {
        BufferPool pool = new BufferPool(2);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer c = pool.acquire();
        assertEquals(BufferPool.BUFFER_SIZE, a.array().length);
        a.limit(10);
        pool.release(a);
        pool.release(b);
        pool.release(c);
        assertEquals(2, pool.pooled(), "the third array is dropped: the pool is bounded");
        assertSame(b, pool.acquire());
        assertSame(a, pool.acquire());
        assertEquals(BufferPool.BUFFER_SIZE, a.limit(), "acquire resets the limit");
        assertNotSame(a, pool.acquire());
    }

    @Test
    void shouldReleaseABatchUpToCapacityAndClearItsSlots() {
        BufferPool pool = new BufferPool(2);
        ByteBuffer[] batch = {pool.acquire(), null, pool.acquire(), pool.acquire()};
        ByteBuffer first = batch[0];
        pool.releaseAll(batch, 4);
        assertEquals(2, pool.pooled(), "the null slot is skipped and the third buffer dropped: the pool is bounded");
        for (ByteBuffer b : batch) {
            assertEquals(null, b, "every returned slot is cleared");
        }
        ByteBuffer[] foreign = {pool.acquire(), ByteBuffer.allocate(1400)};
        assertThrows(IllegalArgumentException.class, () -> pool.releaseAll(foreign, 2));
        assertEquals(1, pool.pooled(), "a batch with a foreign buffer returns nothing");
        assertSame(first, pool.acquire());
    }

    @Test
    void shouldRejectForeignArraysAndBadCapacity() {
        BufferPool pool = new BufferPool(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.release(ByteBuffer.allocate(1400)));
        assertTrue(e.getMessage().startsWith("only 1500-byte heap buffers belong to this pool"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.release(ByteBuffer.allocateDirect(1500)));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(0));
    }
}
