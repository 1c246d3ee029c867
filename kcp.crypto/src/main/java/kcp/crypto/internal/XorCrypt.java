package kcp.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import kcp.crypto.BlockCrypt;
import kcp.crypto.KeyDerivation;

/**
 * kcp-go's SimpleXOR: XOR with a 1500-byte table PBKDF2-HMAC-SHA1(key, "sH3CIVoF#rWLtJo6", 32
 * iterations). Bytes past 1500 are left unchanged, as in kcp-go. Not a real cipher. Thread-safety: NOT
 * thread-safe by contract (immutable in practice).
 */
public final class XorCrypt implements BlockCrypt {
    private final byte[] table;

    /**
     * Creates the cipher.
     *
     * @param key any bytes (the PBKDF2 password)
     */
    public XorCrypt(byte[] key) {
        table = KeyDerivation.pbkdf2HmacSha1(key, KcpCfb.SALT_XOR.getBytes(StandardCharsets.US_ASCII), 32,
                KcpCfb.MTU_LIMIT);
    }

    @Override
    public void encrypt(byte[] buf, int off, int len) {
        xor(buf, off, len);
    }

    @Override
    public void decrypt(byte[] buf, int off, int len) {
        xor(buf, off, len);
    }

    private void xor(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        byte[] t = table;
        KcpCfb.xor(buf, off, t, Math.min(len, t.length));
    }
}
