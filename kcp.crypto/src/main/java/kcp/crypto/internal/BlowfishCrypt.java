package kcp.crypto.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Blowfish (B. Schneier, 1993) in kcp-go's local CFB-64, with any key of 1..56 bytes cycled over the
 * P-array exactly as golang.org/x/crypto/blowfish {@code ExpandKey} does. Hand-written because the
 * JDK's and Bouncy Castle's Blowfish pay per-block byte/array overhead that the long-based CFB loop
 * avoids. The initial P-array and S-boxes are, by definition, the fractional hexadecimal digits of pi;
 * they are read once per JVM from {@value #RESOURCE} (4,168 bytes, big-endian words), which
 * {@code BlowfishPiTest} recomputes with Machin's formula and the kcp-go golden vectors prove. Computing them
 * at run time took a fresh JVM 260 ms at the first blowfish session.
 *
 * <p>Thread-safety: NOT thread-safe by contract (immutable after construction).
 */
public final class BlowfishCrypt extends Cfb64Crypt {
    /** The digits of pi, a resource of this package. */
    static final String RESOURCE = "blowfish-pi.bin";
    private static final int ROUNDS = 16;
    private final int[] p = new int[ROUNDS + 2];
    private final int[] s0 = new int[256];
    private final int[] s1 = new int[256];
    private final int[] s2 = new int[256];
    private final int[] s3 = new int[256];

    /**
     * Expands the key.
     *
     * @param key 1..56 bytes (checked by the factory)
     */
    public BlowfishCrypt(byte[] key) {
        int[] pi = PiDigits.WORDS;
        System.arraycopy(pi, 0, p, 0, 18);
        System.arraycopy(pi, 18, s0, 0, 256);
        System.arraycopy(pi, 18 + 256, s1, 0, 256);
        System.arraycopy(pi, 18 + 512, s2, 0, 256);
        System.arraycopy(pi, 18 + 768, s3, 0, 256);
        for (int i = 0, j = 0; i < 18; i++) {
            int d = 0;
            for (int k = 0; k < 4; k++) {
                d = d << 8 | (key[j] & 0xff);
                j = j + 1 == key.length ? 0 : j + 1;
            }
            p[i] ^= d;
        }
        long lr = 0;
        for (int i = 0; i < 18; i += 2) {
            lr = encryptBlock(lr);
            p[i] = (int) (lr >>> 32);
            p[i + 1] = (int) lr;
        }
        for (int[] s : new int[][] {s0, s1, s2, s3}) {
            for (int i = 0; i < 256; i += 2) {
                lr = encryptBlock(lr);
                s[i] = (int) (lr >>> 32);
                s[i + 1] = (int) lr;
            }
        }
        initFeedback();
    }

    @Override
    long encryptBlock(long block) {
        int[] pp = p;
        int[] a = s0;
        int[] b = s1;
        int[] c = s2;
        int[] d = s3;
        int xl = (int) (block >>> 32) ^ pp[0];
        int xr = (int) block;
        for (int i = 1; i < ROUNDS; i += 2) {
            xr ^= (((a[xl >>> 24] + b[(xl >>> 16) & 0xff]) ^ c[(xl >>> 8) & 0xff]) + d[xl & 0xff]) ^ pp[i];
            xl ^= (((a[xr >>> 24] + b[(xr >>> 16) & 0xff]) ^ c[(xr >>> 8) & 0xff]) + d[xr & 0xff]) ^ pp[i + 1];
        }
        xr ^= pp[17];
        return ((long) xr << 32) | (xl & 0xFFFF_FFFFL);
    }

    /** The first 18 + 4 * 256 32-bit words of pi's fractional part (Blowfish's initial state). */
    private static final class PiDigits {
        static final int[] WORDS = load(18 + 4 * 256);

        private PiDigits() {
        }

        private static int[] load(int words) {
            byte[] bytes;
            try (InputStream in = BlowfishCrypt.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from kcp.crypto's jar");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
            }
            if (bytes.length != words * 4) {
                throw new IllegalStateException(RESOURCE + " holds " + bytes.length + " bytes, not " + words * 4);
            }
            int[] out = new int[words];
            ByteBuffer.wrap(bytes).asIntBuffer().get(out);
            if (out[0] != 0x243F6A88 || out[17] != 0x8979FB1B || out[words - 1] != 0x3AC372E6) {
                throw new IllegalStateException(RESOURCE + " does not hold pi's digits");
            }
            return out;
        }
    }
}
