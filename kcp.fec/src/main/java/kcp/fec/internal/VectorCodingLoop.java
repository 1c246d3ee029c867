package kcp.fec.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD coding loop on the JDK Vector API ({@code jdk.incubator.vector}) with split-nibble tables, the technique
 * of klauspost's AVX2 assembly and of ISA-L: {@code c * x = LO_c[x & 15] ^ HI_c[x >>> 4]}, each 16-entry table
 * looked up for a whole vector at once by a byte permutation ({@code selectFrom}).
 *
 * <p>Loop order: for each vector-sized chunk, up to four output accumulators stay in registers while every input
 * chunk is loaded and split into nibbles once and then multiplied into all of them (klauspost's "several parity
 * rows per input load"). The last chunk of a range that is not a multiple of the vector length is recomputed
 * over the final full vector (overlapping the previous chunk); that is correct because outputs are written, not
 * accumulated, and outputs never alias inputs. Ranges shorter than one vector go to the scalar loop.
 *
 * <p>The vector width is fixed at class initialisation: 256 bits unless the system property
 * {@code kcp.fec.vectorBits} says 128 or 512. Measured with JMH on an AVX-512 VBMI Xeon, JDK 25, 10+3 x 1400 B:
 * 128-bit ~2x slower than 256-bit, 512-bit 1.1-1.5x faster. 256 stays the default because 32-lane byte
 * permutes are native on every AVX2 CPU, while 64-lane ones need AVX-512 VBMI to be a single instruction.
 * Only load this class when {@link CodingLoops#vectorModulePresent()}.
 * Stateless and thread-safe; allocates nothing per call once compiled (vectors are scalar-replaced by C2).
 */
public final class VectorCodingLoop implements CodingLoop {
    private static final VectorSpecies<Byte> SPECIES = species(Integer.getInteger("kcp.fec.vectorBits", 256));
    private static final int VLEN = SPECIES.length();
    /** Bytes per coefficient in the table array: a low-nibble and a high-nibble table, each VLEN long. */
    private static final int STRIDE = 2 * VLEN;
    private static final int BLOCK = 4;

    private static VectorSpecies<Byte> species(int bits) {
        return switch (bits) {
            case 128 -> ByteVector.SPECIES_128;
            case 512 -> ByteVector.SPECIES_512;
            default -> ByteVector.SPECIES_256;
        };
    }

    /** Creates the loop; fails with NoClassDefFoundError when jdk.incubator.vector is not resolved. */
    public VectorCodingLoop() {
        if (VLEN < 16) {
            throw new IllegalStateException("vector species too small for 16-entry tables: " + VLEN);
        }
    }

    @Override
    public String name() {
        return "vector" + SPECIES.vectorBitSize();
    }

    @Override
    public CodingMatrix prepare(int rows, int cols, byte[] coefficients) {
        byte[] tables = new byte[rows * cols * STRIDE];
        for (int i = 0; i < rows * cols; i++) {
            int c = coefficients[i] & 0xFF;
            int base = i * STRIDE;
            for (int x = 0; x < VLEN; x++) {
                tables[base + x] = (byte) Galois.multiply(c, x & 15);
                tables[base + VLEN + x] = (byte) Galois.multiply(c, (x & 15) << 4);
            }
        }
        return new CodingMatrix(rows, cols, coefficients, tables, null);
    }

    @Override
    public void code(CodingMatrix m, byte[][] inputs, byte[][] outputs, int offset, int length) {
        if (length < VLEN) {
            ScalarCodingLoop.codeRange(m, inputs, outputs, offset, length, false);
            return;
        }
        int rows = m.rows();
        int r = 0;
        for (; rows - r >= BLOCK; r += BLOCK) {
            code4(m, r, inputs, outputs[r], outputs[r + 1], outputs[r + 2], outputs[r + 3], offset, length);
        }
        switch (rows - r) {
            case 3 -> code3(m, r, inputs, outputs[r], outputs[r + 1], outputs[r + 2], offset, length);
            case 2 -> code2(m, r, inputs, outputs[r], outputs[r + 1], offset, length);
            case 1 -> code1(m, r, inputs, outputs[r], offset, length);
            default -> { }
        }
    }

    private static ByteVector mul(byte[] tables, int t, ByteVector lo, ByteVector hi) {
        ByteVector tl = ByteVector.fromArray(SPECIES, tables, t);
        ByteVector th = ByteVector.fromArray(SPECIES, tables, t + VLEN);
        return lo.selectFrom(tl).lanewise(VectorOperators.XOR, hi.selectFrom(th));
    }

    private static ByteVector low(ByteVector x) {
        return x.lanewise(VectorOperators.AND, (byte) 0x0F);
    }

    private static ByteVector high(ByteVector x) {
        return x.lanewise(VectorOperators.LSHR, 4);
    }

    private static void code4(CodingMatrix m, int r, byte[][] in, byte[] o0, byte[] o1, byte[] o2, byte[] o3,
                              int off, int len) {
        int cols = m.cols();
        byte[] tables = m.tables();
        int rowStride = cols * STRIDE;
        int last = off + len - VLEN;
        for (int pos = off; ; pos = Math.min(pos + VLEN, last)) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector a2 = a0;
            ByteVector a3 = a0;
            int t = r * rowStride;
            for (int c = 0; c < cols; c++, t += STRIDE) {
                ByteVector x = ByteVector.fromArray(SPECIES, in[c], pos);
                ByteVector lo = low(x);
                ByteVector hi = high(x);
                a0 = a0.lanewise(VectorOperators.XOR, mul(tables, t, lo, hi));
                a1 = a1.lanewise(VectorOperators.XOR, mul(tables, t + rowStride, lo, hi));
                a2 = a2.lanewise(VectorOperators.XOR, mul(tables, t + 2 * rowStride, lo, hi));
                a3 = a3.lanewise(VectorOperators.XOR, mul(tables, t + 3 * rowStride, lo, hi));
            }
            a0.intoArray(o0, pos);
            a1.intoArray(o1, pos);
            a2.intoArray(o2, pos);
            a3.intoArray(o3, pos);
            if (pos == last) {
                return;
            }
        }
    }

    private static void code3(CodingMatrix m, int r, byte[][] in, byte[] o0, byte[] o1, byte[] o2,
                              int off, int len) {
        int cols = m.cols();
        byte[] tables = m.tables();
        int rowStride = cols * STRIDE;
        int last = off + len - VLEN;
        for (int pos = off; ; pos = Math.min(pos + VLEN, last)) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector a2 = a0;
            int t = r * rowStride;
            for (int c = 0; c < cols; c++, t += STRIDE) {
                ByteVector x = ByteVector.fromArray(SPECIES, in[c], pos);
                ByteVector lo = low(x);
                ByteVector hi = high(x);
                a0 = a0.lanewise(VectorOperators.XOR, mul(tables, t, lo, hi));
                a1 = a1.lanewise(VectorOperators.XOR, mul(tables, t + rowStride, lo, hi));
                a2 = a2.lanewise(VectorOperators.XOR, mul(tables, t + 2 * rowStride, lo, hi));
            }
            a0.intoArray(o0, pos);
            a1.intoArray(o1, pos);
            a2.intoArray(o2, pos);
            if (pos == last) {
                return;
            }
        }
    }

    private static void code2(CodingMatrix m, int r, byte[][] in, byte[] o0, byte[] o1, int off, int len) {
        int cols = m.cols();
        byte[] tables = m.tables();
        int rowStride = cols * STRIDE;
        int last = off + len - VLEN;
        for (int pos = off; ; pos = Math.min(pos + VLEN, last)) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            int t = r * rowStride;
            for (int c = 0; c < cols; c++, t += STRIDE) {
                ByteVector x = ByteVector.fromArray(SPECIES, in[c], pos);
                ByteVector lo = low(x);
                ByteVector hi = high(x);
                a0 = a0.lanewise(VectorOperators.XOR, mul(tables, t, lo, hi));
                a1 = a1.lanewise(VectorOperators.XOR, mul(tables, t + rowStride, lo, hi));
            }
            a0.intoArray(o0, pos);
            a1.intoArray(o1, pos);
            if (pos == last) {
                return;
            }
        }
    }

    private static void code1(CodingMatrix m, int r, byte[][] in, byte[] o0, int off, int len) {
        int cols = m.cols();
        byte[] tables = m.tables();
        int last = off + len - VLEN;
        for (int pos = off; ; pos = Math.min(pos + VLEN, last)) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            int t = r * cols * STRIDE;
            for (int c = 0; c < cols; c++, t += STRIDE) {
                ByteVector x = ByteVector.fromArray(SPECIES, in[c], pos);
                a0 = a0.lanewise(VectorOperators.XOR, mul(tables, t, low(x), high(x)));
            }
            a0.intoArray(o0, pos);
            if (pos == last) {
                return;
            }
        }
    }
}
