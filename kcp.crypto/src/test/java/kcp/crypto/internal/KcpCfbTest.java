package kcp.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 8-bytes-per-step XOR equals the byte-by-byte definition for every length, offset and tail. */
class KcpCfbTest {
    @Test
    void shouldXorLikeTheByteLoopForEveryLengthAndOffset() {
        SplittableRandom rnd = new SplittableRandom(13);
        byte[] ks = new byte[1600];
        rnd.nextBytes(ks);
        for (int off = 0; off < 11; off++) {
            for (int len = 0; len < 70; len++) {
                check(rnd, ks, off, len);
            }
            check(rnd, ks, off, 1500);
            check(rnd, ks, off, 1589);
        }
    }

    private static void check(SplittableRandom rnd, byte[] ks, int off, int len) {
        byte[] buf = new byte[off + len + 9];
        rnd.nextBytes(buf);
        byte[] expected = buf.clone();
        for (int i = 0; i < len; i++) {
            expected[off + i] ^= ks[i];
        }
        KcpCfb.xor(buf, off, ks, len);
        assertArrayEquals(expected, buf, "off " + off + " len " + len);
    }
}
