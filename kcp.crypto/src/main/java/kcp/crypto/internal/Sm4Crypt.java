package kcp.crypto.internal;

import java.util.HexFormat;

/**
 * SM4 (GB/T 32907-2016) in kcp-go's local CFB-128, hand-written with four 256-entry T-tables (S-box
 * followed by the linear transform L, as tjfoc/gmsm does) so a round is four lookups and XORs; Bouncy
 * Castle's {@code SM4Engine} applies the S-box byte by byte and is slower. Big-endian words.
 *
 * <p>Thread-safety: NOT thread-safe (inherits the result fields of {@link Cfb128Crypt}).
 */
public final class Sm4Crypt extends Cfb128Crypt {
    /** The SM4 S-box (GB/T 32907-2016, table 1). */
    private static final byte[] SBOX = HexFormat.of().parseHex(""
            + "d690e9fecce13db716b614c228fb2c05"
            + "2b679a762abe04c3aa44132649860699"
            + "9c4250f491ef987a33540b43edcfac62"
            + "e4b31ca9c908e89580df94fa758f3fa6"
            + "4707a7fcf37317ba83593c19e6854fa8"
            + "686b81b27164da8bf8eb0f4b70569d35"
            + "1e240e5e6358d1a225227c3b01217887"
            + "d40046579fd327524c3602e7a0c4c89e"
            + "eabf8ad240c738b5a3f7f2cef96115a1"
            + "e0ae5da49b341a55ad933230f58cb1e3"
            + "1df6e22e8266ca60c02923ab0d534e6f"
            + "d5db3745defd8e2f03ff6a726d6c5b51"
            + "8d1baf92bbddbc7f11d95c411f105ad8"
            + "0ac13188a5cd7bbd2d74d012b8e5b4b0"
            + "8969974a0c96777e65b9f109c56ec684"
            + "18f07dec3adc4d2079ee5f3ed7cb3948");
    private static final int[] FK = {0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc};
    private static final int[] T0 = new int[256];
    private static final int[] T1 = new int[256];
    private static final int[] T2 = new int[256];
    private static final int[] T3 = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int s = SBOX[b] & 0xff;
            T0[b] = l(s << 24);
            T1[b] = l(s << 16);
            T2[b] = l(s << 8);
            T3[b] = l(s);
        }
    }

    private final int[] rk = new int[32];

    /**
     * Expands the key.
     *
     * @param key 16 bytes (checked by the factory)
     */
    public Sm4Crypt(byte[] key) {
        int[] k = new int[36];
        for (int i = 0; i < 4; i++) {
            k[i] = ((key[4 * i] & 0xff) << 24 | (key[4 * i + 1] & 0xff) << 16
                    | (key[4 * i + 2] & 0xff) << 8 | (key[4 * i + 3] & 0xff)) ^ FK[i];
        }
        for (int i = 0; i < 32; i++) {
            // CK: byte j of word i is (4i + j) * 7 mod 256
            int ck = 0;
            for (int j = 0; j < 4; j++) {
                ck = ck << 8 | (((4 * i + j) * 7) & 0xff);
            }
            int a = tau(k[i + 1] ^ k[i + 2] ^ k[i + 3] ^ ck);
            k[i + 4] = k[i] ^ a ^ Integer.rotateLeft(a, 13) ^ Integer.rotateLeft(a, 23);
            rk[i] = k[i + 4];
        }
        initFeedback();
    }

    /** Linear transform L of the round function. */
    private static int l(int b) {
        return b ^ Integer.rotateLeft(b, 2) ^ Integer.rotateLeft(b, 10) ^ Integer.rotateLeft(b, 18)
                ^ Integer.rotateLeft(b, 24);
    }

    /** S-box applied to each byte. */
    private static int tau(int a) {
        return (SBOX[a >>> 24] & 0xff) << 24 | (SBOX[(a >>> 16) & 0xff] & 0xff) << 16
                | (SBOX[(a >>> 8) & 0xff] & 0xff) << 8 | (SBOX[a & 0xff] & 0xff);
    }

    private static int t(int a) {
        return T0[a >>> 24] ^ T1[(a >>> 16) & 0xff] ^ T2[(a >>> 8) & 0xff] ^ T3[a & 0xff];
    }

    @Override
    void encryptBlock(long hi, long lo) {
        int x0 = (int) (hi >>> 32);
        int x1 = (int) hi;
        int x2 = (int) (lo >>> 32);
        int x3 = (int) lo;
        int[] r = rk;
        for (int i = 0; i < 32; i += 4) {
            x0 ^= t(x1 ^ x2 ^ x3 ^ r[i]);
            x1 ^= t(x2 ^ x3 ^ x0 ^ r[i + 1]);
            x2 ^= t(x3 ^ x0 ^ x1 ^ r[i + 2]);
            x3 ^= t(x0 ^ x1 ^ x2 ^ r[i + 3]);
        }
        outHi = ((long) x3 << 32) | (x2 & 0xFFFF_FFFFL);
        outLo = ((long) x1 << 32) | (x0 & 0xFFFF_FFFFL);
    }
}
