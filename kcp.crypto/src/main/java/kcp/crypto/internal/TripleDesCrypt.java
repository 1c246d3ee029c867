package kcp.crypto.internal;

/**
 * 3DES EDE3 (FIPS 46-3; kcp-go {@code NewTripleDESBlockCrypt}: three independent 8-byte keys, parity
 * bits ignored) in kcp-go's local CFB-64. Hand-written like Go's crypto/des: the final permutation of
 * one DES stage and the initial permutation of the next cancel, so a block costs one IP, 48 Feistel
 * rounds (eight 64-entry S-box/P tables, two rotations per round) and one FP, with no per-block byte
 * conversions and no allocation. The JDK's DESede and Bouncy Castle's {@code DESedeEngine} (which allocates a scratch
 * block per call) are slower. All tables are derived at class initialisation from the FIPS 46-3 tables
 * below (numbered from 1 = most significant bit, as in the standard).
 *
 * <p>Thread-safety: NOT thread-safe by contract (immutable after construction).
 */
public final class TripleDesCrypt extends Cfb64Crypt {
    private static final int[] IP = new int[64];
    private static final int[] P = {16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
        2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25};
    private static final int[] PC1 = {57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
        10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
        63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
        14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4};
    private static final int[] PC2 = {14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
        23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
        41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
        44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32};
    private static final int[] SHIFTS = {1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1};
    /** S1..S8, each as its four rows of sixteen 4-bit entries. */
    private static final String[] SBOXES = {
        "e4d12fb83a6c59070f74e2d1a6cb953841e8d62bfc973a50fc8249175b3ea06d",
        "f18e6b34972dc05a3d47f28ec01a69b50e7ba4d158c6932fd8a13f42b67c05e9",
        "a09e63f51dc7b428d709346a285ecbf1d6498f30b12c5ae71ad069874fe3b52c",
        "7de3069a1285bc4fd8b56f03472c1ae9a690cb7df13e52843f06a1d8945bc72e",
        "2c417ab6853fd0e9eb2c47d150fa3986421bad78f9c5630eb8c71e2d6f09a453",
        "c1af92680d34e75baf427c9561de0b389ef528c3704a1db6432c95fabe17608d",
        "4b2ef08d3c975a61d0b7491ae35c2f8614bdc37eaf6805926bd814a7950fe23c",
        "d2846fb1a93e50c71fd8a374c56b0e927b419ce206adf35821e74a8dfc90356b"};

    private static final int[] SP0 = new int[64];
    private static final int[] SP1 = new int[64];
    private static final int[] SP2 = new int[64];
    private static final int[] SP3 = new int[64];
    private static final int[] SP4 = new int[64];
    private static final int[] SP5 = new int[64];
    private static final int[] SP6 = new int[64];
    private static final int[] SP7 = new int[64];
    /** IP and FP as eight byte-indexed tables each: permute(x) = OR of TABLE[j][byte j of x]. */
    private static final long[][] IP_T = new long[8][256];
    private static final long[][] FP_T = new long[8][256];

    static {
        int[] starts = {58, 60, 62, 64, 57, 59, 61, 63};
        for (int row = 0; row < 8; row++) {
            for (int k = 0; k < 8; k++) {
                IP[row * 8 + k] = starts[row] - 8 * k;
            }
        }
        int[] fp = new int[64];
        for (int i = 0; i < 64; i++) {
            fp[IP[i] - 1] = i + 1;
        }
        int[][] sp = {SP0, SP1, SP2, SP3, SP4, SP5, SP6, SP7};
        for (int s = 0; s < 8; s++) {
            for (int v = 0; v < 64; v++) {
                int row = (v >>> 4 & 2) | (v & 1);
                int col = (v >>> 1) & 0xf;
                int nibble = Character.digit(SBOXES[s].charAt(row * 16 + col), 16);
                sp[s][v] = (int) permute((long) nibble << (28 - 4 * s), P, 32);
            }
        }
        for (int j = 0; j < 8; j++) {
            for (int b = 0; b < 256; b++) {
                IP_T[j][b] = permute((long) b << (56 - 8 * j), IP, 64);
                FP_T[j][b] = permute((long) b << (56 - 8 * j), fp, 64);
            }
        }
    }

    /** Round keys per DES key: 16 rounds x (even groups, odd groups), see {@link #f}. */
    private final int[] k1;
    private final int[] k2;
    private final int[] k3;

    /**
     * Expands the three DES keys.
     *
     * @param key 24 bytes (checked by the factory)
     */
    public TripleDesCrypt(byte[] key) {
        k1 = schedule(key, 0);
        k2 = schedule(key, 8);
        k3 = schedule(key, 16);
        initFeedback();
    }

    /** Bit permutation: output bit k (from the MSB) = input bit table[k] (1-based from the MSB of inBits). */
    private static long permute(long in, int[] table, int inBits) {
        long out = 0;
        for (int t : table) {
            out = out << 1 | ((in >>> (inBits - t)) & 1);
        }
        return out;
    }

    private static long permuteBytes(long x, long[][] t) {
        return t[0][(int) (x >>> 56)] | t[1][(int) (x >>> 48) & 0xff] | t[2][(int) (x >>> 40) & 0xff]
                | t[3][(int) (x >>> 32) & 0xff] | t[4][(int) (x >>> 24) & 0xff] | t[5][(int) (x >>> 16) & 0xff]
                | t[6][(int) (x >>> 8) & 0xff] | t[7][(int) x & 0xff];
    }

    private static int[] schedule(byte[] key, int off) {
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = k << 8 | (key[off + i] & 0xff);
        }
        long cd = permute(k, PC1, 64);
        int c = (int) (cd >>> 28) & 0xFFFFFFF;
        int d = (int) cd & 0xFFFFFFF;
        int[] ks = new int[32];
        for (int r = 0; r < 16; r++) {
            int s = SHIFTS[r];
            c = ((c << s) | (c >>> (28 - s))) & 0xFFFFFFF;
            d = ((d << s) | (d >>> (28 - s))) & 0xFFFFFFF;
            long sub = permute(((long) c << 28) | d, PC2, 56);
            int even = 0;
            int odd = 0;
            for (int g = 0; g < 8; g += 2) {
                even = even << 8 | (int) (sub >>> (42 - 6 * g)) & 0x3f;
                odd = odd << 8 | (int) (sub >>> (36 - 6 * g)) & 0x3f;
            }
            ks[2 * r] = even;
            ks[2 * r + 1] = odd;
        }
        return ks;
    }

    /**
     * DES round function f(R, K). Expansion E as rotations: six-bit group g of E(R) is
     * {@code rotr(R, 27 - 4g) & 0x3f}, so the even groups are the bytes of {@code rotr(R, 3)} and the odd
     * groups the bytes of {@code rotl(R, 1)}; the round key is stored the same way (two ints per round,
     * one six-bit group per byte), so a round is two rotations, two key XORs and eight lookups.
     */
    private static int f(int r, int[] ks, int i) {
        int w = Integer.rotateRight(r, 3) ^ ks[i];
        int u = Integer.rotateLeft(r, 1) ^ ks[i + 1];
        return SP0[(w >>> 24) & 0x3f] ^ SP2[(w >>> 16) & 0x3f] ^ SP4[(w >>> 8) & 0x3f] ^ SP6[w & 0x3f]
                ^ SP1[(u >>> 24) & 0x3f] ^ SP3[(u >>> 16) & 0x3f] ^ SP5[(u >>> 8) & 0x3f] ^ SP7[u & 0x3f];
    }

    @Override
    long encryptBlock(long block) {
        long x = permuteBytes(block, IP_T);
        int l = (int) (x >>> 32);
        int r = (int) x;
        int[] a = k1;
        int[] b = k2;
        int[] c = k3;
        for (int i = 0; i < 32; i += 4) { // E(k1)
            l ^= f(r, a, i);
            r ^= f(l, a, i + 2);
        }
        for (int i = 30; i > 0; i -= 4) { // D(k2): halves swapped, round keys reversed
            r ^= f(l, b, i);
            l ^= f(r, b, i - 2);
        }
        for (int i = 0; i < 32; i += 4) { // E(k3)
            l ^= f(r, c, i);
            r ^= f(l, c, i + 2);
        }
        return permuteBytes(((long) r << 32) | (l & 0xFFFF_FFFFL), FP_T);
    }
}
