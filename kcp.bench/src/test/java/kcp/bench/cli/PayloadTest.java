package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PayloadTest {
    @Test
    void shouldGenerateTheSameBytesWhateverTheChunking() {
        long seed = 42;
        byte[] whole = new byte[10_000];
        Payload.fill(seed, 0, whole, 0, whole.length);
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] pieces = new byte[whole.length];
        for (int pos = 0; pos < pieces.length; ) {
            int n = Math.min(1 + rnd.nextInt(37), pieces.length - pos);
            Payload.fill(seed, pos, pieces, pos, n);
            pos += n;
        }
        assertArrayEquals(whole, pieces);
        assertEquals(-1, Payload.firstMismatch(seed, 0, whole, 0, whole.length));
        assertEquals(-1, Payload.firstMismatch(seed, 1234, whole, 1234, 999));
    }

    @Test
    void shouldFindTheFirstFlippedByte() {
        byte[] buf = new byte[4096];
        Payload.fill(3, 100, buf, 0, buf.length);
        buf[2049] ^= 0x10;
        buf[3000] ^= 0x01;
        assertEquals(2049, Payload.firstMismatch(3, 100, buf, 0, buf.length));
        assertEquals(2049 - 1000, Payload.firstMismatch(3, 1100, buf, 1000, 3096));
    }

    @Test
    void shouldFindEveryFlippedPositionAtEveryAlignment() {
        byte[] buf = new byte[64];
        for (int start = 0; start < 16; start++) {
            for (int flip = 0; flip < 40; flip++) {
                Payload.fill(9, start, buf, 3, 40);
                buf[3 + flip] ^= (byte) 0x80;
                assertEquals(flip, Payload.firstMismatch(9, start, buf, 3, 40), "start " + start + " flip " + flip);
            }
        }
    }

    @Test
    void shouldDependOnTheSeed() {
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        Payload.fill(1, 0, a, 0, 64);
        Payload.fill(2, 0, b, 0, 64);
        assertNotEquals(Arrays.toString(a), Arrays.toString(b));
    }

    @Test
    void shouldMatchSplitMix64ReferenceOutput() {
        // splitmix64 with state 0: the first output is mix(0x9E3779B97F4A7C15) = 0xE220A8397B1DCDAF
        // (the reference value from Vigna's splitmix64.c); our stream word 1 of seed 0 is exactly that.
        byte[] buf = new byte[16];
        Payload.fill(0, 0, buf, 0, 16);
        long word1 = 0;
        for (int i = 15; i >= 8; i--) {
            word1 = word1 << 8 | (buf[i] & 0xFF);
        }
        assertEquals(0xE220A8397B1DCDAFL, word1);
    }
}
