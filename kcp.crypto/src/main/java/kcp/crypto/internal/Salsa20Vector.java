package kcp.crypto.internal;

import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Salsa20/20 keystream for many 64-byte blocks at once with the (incubator) Vector API: lane i of every
 * state word belongs to block {@code counter + i}, so one pass of the 20 rounds produces
 * {@link #lanes()} blocks (16 with AVX-512); golang.org/x/crypto's amd64 assembly likewise computes
 * several blocks per pass with SIMD. The state lives in an int array (word-major) and the rounds are
 * driven by a table of quarter-round steps: written out as straight-line Vector API code, the 20
 * rounds exceed C2's inlining budget and the vectors end up boxed (measured: tens of KB per packet).
 * Loaded only when {@code jdk.incubator.vector} is in the boot layer (see {@link Salsa20Crypt}).
 * Thread-safety: NOT thread-safe (state and keystream scratch).
 */
final class Salsa20Vector {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * The 32 quarter-round steps of a Salsa20 double round, {@code x[t] ^= rotl(x[a] + x[b], r)}, as
     * (t, a, b, r) rows in the scalar code's order.
     */
    private static final int[] STEPS = {
        4, 0, 12, 7, 9, 5, 1, 7, 14, 10, 6, 7, 3, 15, 11, 7,
        8, 4, 0, 9, 13, 9, 5, 9, 2, 14, 10, 9, 7, 3, 15, 9,
        12, 8, 4, 13, 1, 13, 9, 13, 6, 2, 14, 13, 11, 7, 3, 13,
        0, 12, 8, 18, 5, 1, 13, 18, 10, 6, 2, 18, 15, 11, 7, 18,
        1, 0, 3, 7, 6, 5, 4, 7, 11, 10, 9, 7, 12, 15, 14, 7,
        2, 1, 0, 9, 7, 6, 5, 9, 8, 11, 10, 9, 13, 12, 15, 9,
        3, 2, 1, 13, 4, 7, 6, 13, 9, 8, 11, 13, 14, 13, 12, 13,
        0, 3, 2, 18, 5, 4, 7, 18, 10, 9, 8, 18, 15, 14, 13, 18};

    private final int lanes = SPECIES.length();
    /** Initial state, word-major: word w of lane (block) b at [w * lanes + b]. */
    private final int[] init = new int[16 * lanes];
    /** Working state of the current pass, same layout. */
    private final int[] state = new int[16 * lanes];
    /** Keystream of the last pass, same layout. */
    private final int[] ks = new int[16 * lanes];
    private final int[] laneIndex = new int[lanes];

    /**
     * Creates the kernel.
     *
     * @param key the eight little-endian key words
     */
    Salsa20Vector(int[] key) {
        int[] fixed = {0x61707865, key[0], key[1], key[2], key[3], 0x3320646e, 0, 0,
            0, 0, 0x79622d32, key[4], key[5], key[6], key[7], 0x6b206574};
        for (int w = 0; w < 16; w++) {
            Arrays.fill(init, w * lanes, (w + 1) * lanes, fixed[w]);
        }
        for (int i = 0; i < lanes; i++) {
            laneIndex[i] = i;
        }
    }

    /**
     * Blocks per pass.
     *
     * @return the vector lane count
     */
    int lanes() {
        return lanes;
    }

    /**
     * XORs the keystream of (nonce n0 n1, blocks from {@code counter}) into {@code buf[p, p+n)}. Byte
     * arrays hold fewer than 2^25 blocks, so the counter's high word (x9) stays 0 and its low word never
     * wraps.
     */
    void xorKeyStream(byte[] buf, int p, int n, int n0, int n1, int counter) {
        int l = lanes;
        Arrays.fill(init, 6 * l, 7 * l, n0);
        Arrays.fill(init, 7 * l, 8 * l, n1);
        while (n > 0) {
            IntVector.fromArray(SPECIES, laneIndex, 0).add(counter).intoArray(init, 8 * l);
            keystream();
            int chunk = Math.min(n, 64 * l);
            xor(buf, p, chunk);
            p += chunk;
            n -= chunk;
            counter += l;
        }
    }

    private void keystream() {
        int l = lanes;
        int[] in = init;
        int[] x = state;
        System.arraycopy(in, 0, x, 0, 16 * l);
        int[] steps = STEPS;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < steps.length; i += 4) {
                int t = steps[i] * l;
                IntVector sum = IntVector.fromArray(SPECIES, x, steps[i + 1] * l)
                        .add(IntVector.fromArray(SPECIES, x, steps[i + 2] * l));
                IntVector.fromArray(SPECIES, x, t).lanewise(XOR, sum.lanewise(ROL, steps[i + 3])).intoArray(x, t);
            }
        }
        int[] out = ks;
        for (int w = 0; w < 16 * l; w += l) {
            IntVector.fromArray(SPECIES, x, w).add(IntVector.fromArray(SPECIES, in, w)).intoArray(out, w);
        }
    }

    private void xor(byte[] buf, int p, int n) {
        int[] k = ks;
        int l = lanes;
        int full = n >>> 6;
        for (int b = 0; b < full; b++) {
            int q = p + 64 * b;
            for (int w = 0; w < 16; w++) {
                INT_LE.set(buf, q + 4 * w, (int) INT_LE.get(buf, q + 4 * w) ^ k[w * l + b]);
            }
        }
        for (int i = full * 64; i < n; i++) {
            buf[p + i] ^= (byte) (k[((i & 63) >>> 2) * l + full] >>> ((i & 3) << 3));
        }
    }
}
