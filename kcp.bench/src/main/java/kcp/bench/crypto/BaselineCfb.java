package kcp.bench.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.BlockCrypt;

/**
 * The AES local-CFB cipher as kcp.crypto had it until 7 Dec 2026 (one JCE ECB or CBC call per packet for the
 * keystream, then a plain byte loop for the XOR), kept here only so benchmarks can compare it with the current
 * cipher in the same JMH run. Same bytes as {@code Ciphers.create("aes-128", key)}.
 * Thread-safety: NOT thread-safe.
 */
final class BaselineCfb implements BlockCrypt {
    private static final byte[] IV = {
        (byte) 167, 115, 79, (byte) 156, 18, (byte) 172, 27, 1,
        (byte) 164, 21, (byte) 242, (byte) 193, (byte) 252, 120, (byte) 230, 107};
    private static final int BLOCK = 16;
    private final Cipher ecb;
    private final Cipher cbc;
    private byte[] keystream = new byte[1500 + BLOCK];

    BaselineCfb(byte[] key) {
        try {
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, spec);
            ecb.doFinal(IV, 0, BLOCK, keystream, 0);
            cbc = Cipher.getInstance("AES/CBC/NoPadding");
            cbc.init(Cipher.ENCRYPT_MODE, spec, new IvParameterSpec(keystream, 0, BLOCK));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void encrypt(byte[] buf, int off, int len) {
        keystream(cbc, buf, off, len);
    }

    @Override
    public void decrypt(byte[] buf, int off, int len) {
        keystream(ecb, buf, off, len);
    }

    private void keystream(Cipher c, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int full = len - len % BLOCK;
        byte[] ks = keystream;
        if (ks.length < full + BLOCK) {
            ks = Arrays.copyOf(ks, full + BLOCK);
            keystream = ks;
        }
        if (full > 0) {
            try {
                c.doFinal(buf, off, full, ks, BLOCK);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        xor(buf, off, ks, len);
    }

    /** The old plain byte loop. */
    static void xor(byte[] buf, int off, byte[] ks, int len) {
        for (int i = 0; i < len; i++) {
            buf[off + i] ^= ks[i];
        }
    }
}
