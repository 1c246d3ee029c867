package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Codec properties, run on both coding loops (scalar always; SIMD when the Vector API module is present). */
class ReedSolomonTest {

    static ReedSolomon codec(int d, int p, boolean simd) {
        if (simd && !ReedSolomon.simdAvailable()) {
            String msg = "SIMD coding loop unavailable: run the JVM with --add-modules jdk.incubator.vector";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true requires both coding loops to be tested: " + msg);
            }
            Assumptions.abort(msg);
        }
        return ReedSolomon.create(d, p, simd);
    }

    static byte[][] randomShards(SplittableRandom rnd, int total, int len, int d) {
        byte[][] shards = new byte[total][len];
        for (int i = 0; i < d; i++) {
            rnd.nextBytes(shards[i]);
        }
        return shards;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReproduceSpecParityVectors(boolean simd) {
        // spec 13.3: data shard k, byte i = (31k + 7i + 1) mod 256, 37 bytes; parity concatenated.
        String[][] vectors = {
            {"10", "3", "0b174524e32a0ebca0f27dca46110a3b15c8da8573e8d193304882d55f8109e4a2854a2bec8cb464cec271ef8e"
                + "41bf1c5d678264e4740bbb555206f012d17663821812287b65a62b818d8c3b832af68e57702286a6dd6026a588a4330b"
                + "1e668e1fe6b294d3d57ab657c0b5049b32ee"},
            {"3", "2", "1e696c777a0508131661a4afb2bd404b4e595ce7eaf5f8838691949f222d303bfec9ccd7da90d48b8281b2959caf"
                + "3ce4fdeed78e97d4cd921211381f0c3fb609107e477069845d020b08"},
            {"1", "1", "01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd"},
        };
        for (String[] v : vectors) {
            int d = Integer.parseInt(v[0]);
            int p = Integer.parseInt(v[1]);
            byte[][] shards = new byte[d + p][37];
            for (int k = 0; k < d; k++) {
                for (int i = 0; i < 37; i++) {
                    shards[k][i] = (byte) (31 * k + 7 * i + 1);
                }
            }
            ReedSolomon rs = codec(d, p, simd);
            rs.encodeParity(shards, 0, 37);
            StringBuilder parity = new StringBuilder();
            for (int j = 0; j < p; j++) {
                parity.append(HexFormat.of().formatHex(shards[d + j]));
            }
            assertEquals(v[2], parity.toString(), "parity for d=" + d + " p=" + p);
            assertTrue(rs.isParityCorrect(shards, 0, 37));
        }
    }

    static Stream<Arguments> smallCodes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (boolean simd : new boolean[] {false, true}) {
            for (int d = 1; d <= 10; d++) {
                for (int p = 1; p <= 3; p++) {
                    b.add(Arguments.of(d, p, simd));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "d={0} p={1} simd={2}")
    @MethodSource("smallCodes")
    void shouldRecoverEveryErasurePatternUpToParityCount(int d, int p, boolean simd) {
        ReedSolomon rs = codec(d, p, simd);
        int total = d + p;
        long seed = 31L * d + p;
        SplittableRandom rnd = new SplittableRandom(seed);
        int len = 77; // two 32-byte vectors plus a 13-byte tail, and at offset 3
        int off = 3;
        byte[][] original = randomShards(rnd, total, off + len, d);
        rs.encodeParity(original, off, len);
        assertTrue(rs.isParityCorrect(original, off, len));
        byte[][] work = new byte[total][off + len];
        boolean[] present = new boolean[total];
        int patterns = 0;
        for (int mask = 0; mask < (1 << total); mask++) {
            if (Integer.bitCount(mask) > p) {
                continue;
            }
            for (int i = 0; i < total; i++) {
                present[i] = (mask & (1 << i)) == 0;
                System.arraycopy(original[i], 0, work[i], 0, off + len);
                if (!present[i]) {
                    java.util.Arrays.fill(work[i], (byte) 0x5A);
                }
            }
            rs.decodeMissing(work, present, off, len);
            for (int i = 0; i < total; i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(original[i], off, off + len),
                        java.util.Arrays.copyOfRange(work[i], off, off + len),
                        "shard " + i + " erasure mask " + Integer.toBinaryString(mask) + " seed " + seed);
            }
            patterns++;
        }
        assertTrue(patterns > 1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRecoverRandomPatternsForLargeCodes(boolean simd) {
        int[][] codes = {{20, 10}, {50, 20}, {128, 128}, {200, 56}, {255, 1}, {1, 255}};
        SplittableRandom rnd = new SplittableRandom(20261129);
        for (int[] code : codes) {
            int d = code[0];
            int p = code[1];
            ReedSolomon rs = codec(d, p, simd);
            int len = 1 + rnd.nextInt(300);
            byte[][] original = randomShards(rnd, d + p, len, d);
            rs.encodeParity(original, 0, len);
            for (int round = 0; round < 8; round++) {
                byte[][] work = new byte[d + p][];
                boolean[] present = new boolean[d + p];
                java.util.Arrays.fill(present, true);
                int erase = 1 + rnd.nextInt(p);
                for (int k = 0; k < erase; k++) {
                    present[rnd.nextInt(d + p)] = false;
                }
                for (int i = 0; i < d + p; i++) {
                    work[i] = present[i] ? original[i].clone() : new byte[len];
                }
                rs.decodeMissing(work, present, 0, len);
                for (int i = 0; i < d + p; i++) {
                    assertArrayEquals(original[i], work[i], "d=" + d + " p=" + p + " shard " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRebuildOnlyDataWhenAskedAndCacheThePattern(boolean simd) {
        ReedSolomon rs = codec(10, 3, simd);
        SplittableRandom rnd = new SplittableRandom(7);
        byte[][] original = randomShards(rnd, 13, 1400, 10);
        rs.encodeParity(original, 0, 1400);
        boolean[] present = new boolean[13];
        java.util.Arrays.fill(present, true);
        present[2] = false;
        present[11] = false;
        for (int round = 0; round < 3; round++) {
            byte[][] work = new byte[13][];
            for (int i = 0; i < 13; i++) {
                work[i] = present[i] ? original[i].clone() : new byte[1400];
            }
            rs.decodeMissingData(work, present, 0, 1400);
            assertArrayEquals(original[2], work[2]);
            assertArrayEquals(new byte[1400], work[11], "parity is left alone by decodeMissingData");
        }
        assertEquals(1, rs.inversions(), "one inversion for one pattern seen three times");
    }

    /** Codecs of one shape share their matrices; past the cache's 64 shapes they build their own. */
    @org.junit.jupiter.api.Test
    void shouldCodeAlikeWhetherACodecSharesItsMatricesOrNot() {
        SplittableRandom rnd = new SplittableRandom(70);
        for (int d = 1; d <= 40; d++) {
            for (int p = 1; p <= 3; p++) {
                int total = d + p;
                ReedSolomon first = ReedSolomon.create(d, p, false);
                ReedSolomon second = ReedSolomon.create(d, p, false);
                byte[][] a = randomShards(rnd, total, 40, d);
                byte[][] b = new byte[total][];
                for (int i = 0; i < total; i++) {
                    b[i] = a[i].clone();
                }
                first.encodeParity(a, 0, 40);
                second.encodeParity(b, 0, 40);
                boolean[] present = new boolean[total];
                java.util.Arrays.fill(present, true);
                for (int i = 0; i < p; i++) { // as many data shards lost as there are parity shards
                    present[i % d] = false;
                    java.util.Arrays.fill(b[i % d], (byte) 0);
                }
                second.decodeMissing(b, present, 0, 40);
                for (int i = 0; i < total; i++) {
                    assertArrayEquals(a[i], b[i], "d=" + d + " p=" + p + ": shard " + i);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void shouldAgreeAcrossLoopsForEveryLengthUpTo130() {
        ReedSolomon scalar = codec(7, 4, false);
        ReedSolomon vector = codec(7, 4, true);
        SplittableRandom rnd = new SplittableRandom(99);
        for (int len = 0; len <= 130; len++) {
            byte[][] a = randomShards(rnd, 11, len + 5, 7);
            byte[][] b = new byte[11][];
            for (int i = 0; i < 11; i++) {
                b[i] = a[i].clone();
            }
            scalar.encodeParity(a, 5, len);
            vector.encodeParity(b, 5, len);
            for (int i = 0; i < 11; i++) {
                assertArrayEquals(a[i], b[i], "len " + len + " shard " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldDetectCorruptedParity(boolean simd) {
        ReedSolomon rs = codec(4, 2, simd);
        byte[][] shards = randomShards(new SplittableRandom(3), 6, 100, 4);
        rs.encodeParity(shards, 0, 100);
        assertTrue(rs.isParityCorrect(shards, 0, 100));
        shards[5][42] ^= 1;
        assertFalse(rs.isParityCorrect(shards, 0, 100));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldKeepDataShardsUnchangedBecauseTheCodeIsSystematic(boolean simd) {
        ReedSolomon rs = codec(5, 3, simd);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(r == c ? 1 : 0, rs.encodingMatrix(r, c));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void shouldRejectMisuseWithMessagesNamingTheValue() {
        boolean simd = false;
        assertEquals("dataShards <= 0: 0",
                assertThrows(IllegalArgumentException.class, () -> ReedSolomon.create(0, 1, simd)).getMessage());
        assertEquals("parityShards <= 0: -1",
                assertThrows(IllegalArgumentException.class, () -> ReedSolomon.create(1, -1, simd)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReedSolomon.create(200, 57, simd))
                .getMessage().startsWith("dataShards + parityShards > 256: 257"));
        ReedSolomon rs = ReedSolomon.create(3, 2, simd);
        byte[][] shards = new byte[5][10];
        IllegalArgumentException shortShard = assertThrows(IllegalArgumentException.class,
                () -> rs.encodeParity(shards, 4, 7));
        assertEquals("shard 0 shorter than offset + byteCount = 11: 10", shortShard.getMessage());
        boolean[] present = {true, false, false, false, true};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rs.decodeMissing(shards, present, 0, 10))
                .getMessage().startsWith("not enough shards present: 2 < 3"));
    }
}
