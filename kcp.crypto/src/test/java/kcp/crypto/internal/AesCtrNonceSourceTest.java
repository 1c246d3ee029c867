package kcp.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The nonce pool grows with use, is dropped by trim, and nonces stay unique across both. */
class AesCtrNonceSourceTest {
    @Test
    void shouldGrowThePoolToMaxAndDropItOnTrimWithoutRepeatingANonce() {
        AesCtrNonceSource s = new AesCtrNonceSource();
        assertEquals(0, s.poolBytes(), "no pool before the first nonce");
        Set<ByteBuffer> seen = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2_000; i++) {
                byte[] n = new byte[16];
                s.fill(n, 0, 16);
                assertTrue(seen.add(ByteBuffer.wrap(n)), "nonce repeated in round " + round + " after " + i);
            }
            assertEquals(AesCtrNonceSource.MAX_POOL, s.poolBytes(), "a busy source refills with the largest pool");
            s.trim();
            assertEquals(0, s.poolBytes(), "trim drops the pool");
        }
        byte[] n = new byte[16];
        s.fill(n, 0, 16);
        assertEquals(AesCtrNonceSource.MIN_POOL, s.poolBytes(), "after trim the pool starts small again");
    }

    @Test
    void shouldServeARequestLongerThanThePool() {
        AesCtrNonceSource s = new AesCtrNonceSource();
        byte[] big = new byte[3 * AesCtrNonceSource.MAX_POOL + 5];
        s.fill(big, 0, big.length);
        int zeros = 0;
        for (byte b : big) {
            zeros += b == 0 ? 1 : 0;
        }
        assertTrue(zeros < 120, "output looks non-random: " + zeros + " zero bytes of " + big.length);
    }
}
