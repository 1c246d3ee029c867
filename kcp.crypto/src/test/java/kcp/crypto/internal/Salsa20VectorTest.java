package kcp.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API Salsa20 kernel must equal the scalar code (itself checked against kcp-go) everywhere. */
class Salsa20VectorTest {
    @Test
    void shouldProduceTheScalarKeystreamForEveryLengthAndOffset() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "tests run with --add-modules jdk.incubator.vector (kcp.crypto/pom.xml) so the SIMD path is covered");
        long seed = 0x5a15a20L;
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] key = new byte[32];
        rnd.nextBytes(key);
        Salsa20Crypt simd = new Salsa20Crypt(key, true);
        Salsa20Crypt scalar = new Salsa20Crypt(key, false);
        assertTrue(simd.isVectorized());
        byte[] a = new byte[4096 + 16];
        byte[] b = new byte[a.length];
        for (int len = 0; len <= 4096; len += len < 600 ? 1 : 61) {
            int off = rnd.nextInt(16);
            rnd.nextBytes(a);
            System.arraycopy(a, 0, b, 0, a.length);
            simd.encrypt(a, off, len);
            scalar.encrypt(b, off, len);
            assertArrayEquals(b, a, "length " + len + " offset " + off + " (seed " + seed + ")");
        }
    }

    @Test
    void shouldXorTheSameKeystreamWithGathersAndWordByWord() {
        long seed = 0x6a7e4L;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] key = rnd.ints(8).toArray();
        assertTrue(Salsa20Vector.GATHER_SUPPORTED, "this test runs on a little-endian platform, where the gather "
                + "path is the default");
        Salsa20Vector gathers = new Salsa20Vector(key, true);
        Salsa20Vector words = new Salsa20Vector(key, false);
        byte[] a = new byte[4096 + 16];
        byte[] b = new byte[a.length];
        for (int len = 0; len <= 4096; len += len < 600 ? 1 : 61) {
            int off = rnd.nextInt(16);
            int n0 = rnd.nextInt();
            int n1 = rnd.nextInt();
            int counter = rnd.nextInt(1 << 20);
            rnd.nextBytes(a);
            System.arraycopy(a, 0, b, 0, a.length);
            gathers.xorKeyStream(a, off, len, n0, n1, counter);
            words.xorKeyStream(b, off, len, n0, n1, counter);
            assertArrayEquals(b, a, "length " + len + " offset " + off + " counter " + counter + " (seed " + seed
                    + ")");
        }
    }
}
