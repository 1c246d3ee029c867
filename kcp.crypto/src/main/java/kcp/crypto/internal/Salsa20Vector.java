package kcp.crypto.internal;

import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Salsa20/20 keystream for many 64-byte blocks at once with the (incubator) Vector API: lane i of every
 * state word belongs to block {@code counter + i}, so one pass of the 20 rounds produces
 * {@link #lanes()} blocks (8 with AVX2 or AVX-512); golang.org/x/crypto's amd64 assembly likewise computes
 * several blocks per pass with SIMD. The sixteen state words are sixteen vector locals, and one double round is
 * written out and looped ten times: C2 keeps the vectors in registers. Written out in full, the 20 rounds exceeded
 * C2's inlining budget and the vectors were boxed (tens of KB per packet); driven by a table of quarter-round steps
 * over an int array, every step went through memory and the kernel ran at half the speed (docs/decisions.md).
 * Loaded only when {@code jdk.incubator.vector} is in the boot layer (see {@link Salsa20Crypt}).
 * Thread-safety: NOT thread-safe (initial state and keystream scratch).
 */
final class Salsa20Vector {
    /**
     * At most 8 lanes (256 bits). A datagram of up to 1,500 bytes needs up to 24 blocks: three passes of 8 lanes
     * compute 24, two passes of 16 lanes compute 32, a third of them thrown away. On this machine (AMD EPYC,
     * AVX-512) 256-bit lanes ran kcp-go's 1,500-byte encrypt + decrypt 1.15x faster (docs/decisions.md).
     */
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED.length() > 8
            ? IntVector.SPECIES_256 : IntVector.SPECIES_PREFERRED;
    /** Bytes of one vector of {@link #SPECIES}: the data side of the XOR. */
    private static final VectorSpecies<Byte> BYTES = SPECIES.withLanes(byte.class);
    /**
     * Whether the XOR can gather each block's words into vectors: reinterpreting the data's bytes as ints follows
     * the platform's byte order, and Salsa20's keystream is little-endian. (A block's 16 words always split into
     * whole vectors: {@link #SPECIES} has 2, 4 or 8 lanes.)
     */
    static final boolean GATHER_SUPPORTED = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int lanes = SPECIES.length();
    /** Initial state, word-major: word w of lane (block) b at [w * lanes + b]. */
    private final int[] init = new int[16 * lanes];
    /** Keystream of the last pass, same layout. */
    private final int[] ks = new int[16 * lanes];
    private final int[] laneIndex = new int[lanes];
    /** Gather map: word j of a block at {@code ks[j * lanes + block]}, for the first {@link #lanes} words. */
    private final int[] wordIndex = new int[lanes];
    private final boolean gather;

    /**
     * Creates the kernel.
     *
     * @param key the eight little-endian key words
     */
    Salsa20Vector(int[] key) {
        this(key, GATHER_SUPPORTED);
    }

    /**
     * Creates the kernel, choosing how the keystream is XORed into the data (tests cover both ways).
     *
     * @param key    the eight little-endian key words
     * @param gather whether to XOR a block's words with vector gathers (needs {@link #GATHER_SUPPORTED}) or word
     *               by word
     */
    Salsa20Vector(int[] key, boolean gather) {
        if (gather && !GATHER_SUPPORTED) {
            throw new IllegalArgumentException("vector gathers need a little-endian platform");
        }
        this.gather = gather;
        int[] fixed = {0x61707865, key[0], key[1], key[2], key[3], 0x3320646e, 0, 0,
            0, 0, 0x79622d32, key[4], key[5], key[6], key[7], 0x6b206574};
        for (int w = 0; w < 16; w++) {
            Arrays.fill(init, w * lanes, (w + 1) * lanes, fixed[w]);
        }
        for (int i = 0; i < lanes; i++) {
            laneIndex[i] = i;
            wordIndex[i] = i * lanes;
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
        VectorSpecies<Integer> sp = SPECIES;
        IntVector x0 = IntVector.fromArray(sp, in, 0);
        IntVector x1 = IntVector.fromArray(sp, in, l);
        IntVector x2 = IntVector.fromArray(sp, in, 2 * l);
        IntVector x3 = IntVector.fromArray(sp, in, 3 * l);
        IntVector x4 = IntVector.fromArray(sp, in, 4 * l);
        IntVector x5 = IntVector.fromArray(sp, in, 5 * l);
        IntVector x6 = IntVector.fromArray(sp, in, 6 * l);
        IntVector x7 = IntVector.fromArray(sp, in, 7 * l);
        IntVector x8 = IntVector.fromArray(sp, in, 8 * l);
        IntVector x9 = IntVector.fromArray(sp, in, 9 * l);
        IntVector x10 = IntVector.fromArray(sp, in, 10 * l);
        IntVector x11 = IntVector.fromArray(sp, in, 11 * l);
        IntVector x12 = IntVector.fromArray(sp, in, 12 * l);
        IntVector x13 = IntVector.fromArray(sp, in, 13 * l);
        IntVector x14 = IntVector.fromArray(sp, in, 14 * l);
        IntVector x15 = IntVector.fromArray(sp, in, 15 * l);
        for (int round = 0; round < 10; round++) {
            x4 = x4.lanewise(XOR, x0.add(x12).lanewise(ROL, 7));
            x9 = x9.lanewise(XOR, x5.add(x1).lanewise(ROL, 7));
            x14 = x14.lanewise(XOR, x10.add(x6).lanewise(ROL, 7));
            x3 = x3.lanewise(XOR, x15.add(x11).lanewise(ROL, 7));
            x8 = x8.lanewise(XOR, x4.add(x0).lanewise(ROL, 9));
            x13 = x13.lanewise(XOR, x9.add(x5).lanewise(ROL, 9));
            x2 = x2.lanewise(XOR, x14.add(x10).lanewise(ROL, 9));
            x7 = x7.lanewise(XOR, x3.add(x15).lanewise(ROL, 9));
            x12 = x12.lanewise(XOR, x8.add(x4).lanewise(ROL, 13));
            x1 = x1.lanewise(XOR, x13.add(x9).lanewise(ROL, 13));
            x6 = x6.lanewise(XOR, x2.add(x14).lanewise(ROL, 13));
            x11 = x11.lanewise(XOR, x7.add(x3).lanewise(ROL, 13));
            x0 = x0.lanewise(XOR, x12.add(x8).lanewise(ROL, 18));
            x5 = x5.lanewise(XOR, x1.add(x13).lanewise(ROL, 18));
            x10 = x10.lanewise(XOR, x6.add(x2).lanewise(ROL, 18));
            x15 = x15.lanewise(XOR, x11.add(x7).lanewise(ROL, 18));

            x1 = x1.lanewise(XOR, x0.add(x3).lanewise(ROL, 7));
            x6 = x6.lanewise(XOR, x5.add(x4).lanewise(ROL, 7));
            x11 = x11.lanewise(XOR, x10.add(x9).lanewise(ROL, 7));
            x12 = x12.lanewise(XOR, x15.add(x14).lanewise(ROL, 7));
            x2 = x2.lanewise(XOR, x1.add(x0).lanewise(ROL, 9));
            x7 = x7.lanewise(XOR, x6.add(x5).lanewise(ROL, 9));
            x8 = x8.lanewise(XOR, x11.add(x10).lanewise(ROL, 9));
            x13 = x13.lanewise(XOR, x12.add(x15).lanewise(ROL, 9));
            x3 = x3.lanewise(XOR, x2.add(x1).lanewise(ROL, 13));
            x4 = x4.lanewise(XOR, x7.add(x6).lanewise(ROL, 13));
            x9 = x9.lanewise(XOR, x8.add(x11).lanewise(ROL, 13));
            x14 = x14.lanewise(XOR, x13.add(x12).lanewise(ROL, 13));
            x0 = x0.lanewise(XOR, x3.add(x2).lanewise(ROL, 18));
            x5 = x5.lanewise(XOR, x4.add(x7).lanewise(ROL, 18));
            x10 = x10.lanewise(XOR, x9.add(x8).lanewise(ROL, 18));
            x15 = x15.lanewise(XOR, x14.add(x13).lanewise(ROL, 18));
        }
        int[] out = ks;
        x0.add(IntVector.fromArray(sp, in, 0)).intoArray(out, 0);
        x1.add(IntVector.fromArray(sp, in, l)).intoArray(out, l);
        x2.add(IntVector.fromArray(sp, in, 2 * l)).intoArray(out, 2 * l);
        x3.add(IntVector.fromArray(sp, in, 3 * l)).intoArray(out, 3 * l);
        x4.add(IntVector.fromArray(sp, in, 4 * l)).intoArray(out, 4 * l);
        x5.add(IntVector.fromArray(sp, in, 5 * l)).intoArray(out, 5 * l);
        x6.add(IntVector.fromArray(sp, in, 6 * l)).intoArray(out, 6 * l);
        x7.add(IntVector.fromArray(sp, in, 7 * l)).intoArray(out, 7 * l);
        x8.add(IntVector.fromArray(sp, in, 8 * l)).intoArray(out, 8 * l);
        x9.add(IntVector.fromArray(sp, in, 9 * l)).intoArray(out, 9 * l);
        x10.add(IntVector.fromArray(sp, in, 10 * l)).intoArray(out, 10 * l);
        x11.add(IntVector.fromArray(sp, in, 11 * l)).intoArray(out, 11 * l);
        x12.add(IntVector.fromArray(sp, in, 12 * l)).intoArray(out, 12 * l);
        x13.add(IntVector.fromArray(sp, in, 13 * l)).intoArray(out, 13 * l);
        x14.add(IntVector.fromArray(sp, in, 14 * l)).intoArray(out, 14 * l);
        x15.add(IntVector.fromArray(sp, in, 15 * l)).intoArray(out, 15 * l);
    }

    private void xor(byte[] buf, int p, int n) {
        int[] k = ks;
        int l = lanes;
        int full = n >>> 6;
        if (gather) {
            // Block b's word w sits at ks[w * l + b]: gather l of its words into a vector, XOR them with 4 * l bytes
            // of data. Word by word, the XOR had almost as many samples as the keystream in the echo's profile
            // (CipherBench salsa20: 1.10-1.14x faster with gathers, docs/decisions.md).
            VectorSpecies<Integer> sp = SPECIES;
            int[] idx = wordIndex;
            for (int b = 0; b < full; b++) {
                int q = p + 64 * b;
                for (int j = 0; j < 16; j += l) {
                    int at = q + 4 * j;
                    IntVector data = ByteVector.fromArray(BYTES, buf, at).reinterpretAsInts();
                    data.lanewise(XOR, IntVector.fromArray(sp, k, j * l + b, idx, 0))
                            .reinterpretAsBytes().intoArray(buf, at);
                }
            }
        } else {
            for (int b = 0; b < full; b++) {
                int q = p + 64 * b;
                for (int w = 0; w < 16; w++) {
                    INT_LE.set(buf, q + 4 * w, (int) INT_LE.get(buf, q + 4 * w) ^ k[w * l + b]);
                }
            }
        }
        for (int i = full * 64; i < n; i++) {
            buf[p + i] ^= (byte) (k[((i & 63) >>> 2) * l + full] >>> ((i & 3) << 3));
        }
    }
}
