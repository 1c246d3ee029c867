package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default nonce source: never repeats, serves any length, instances independent. */
class NonceSourceTest {
    @Test
    void shouldNeverRepeatA16ByteNonceAcrossManyRefills() {
        NonceSource s = NonceSource.secureDefault();
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            byte[] n = new byte[16];
            s.fill(n, 0, 16);
            assertTrue(seen.add(ByteBuffer.wrap(n)), "nonce repeated after " + i + " calls");
        }
    }

    @Test
    void shouldFillArbitraryLengthsAndOffsets() {
        NonceSource s = NonceSource.secureDefault();
        byte[] big = new byte[5000];
        s.fill(big, 3, 4990);
        assertEquals(0, big[0]);
        assertEquals(0, big[4999]);
        int zeros = 0;
        for (int i = 3; i < 4993; i++) {
            zeros += big[i] == 0 ? 1 : 0;
        }
        assertTrue(zeros < 60, "output looks non-random: " + zeros + " zero bytes of 4990");
        byte[] a = new byte[12];
        byte[] b = new byte[12];
        s.fill(a, 0, 12);
        s.fill(b, 0, 12);
        assertFalse(java.util.Arrays.equals(a, b));
        byte[] c = new byte[12];
        NonceSource.secureDefault().fill(c, 0, 12);
        assertFalse(java.util.Arrays.equals(a, c), "two sources must be keyed independently");
    }
}
