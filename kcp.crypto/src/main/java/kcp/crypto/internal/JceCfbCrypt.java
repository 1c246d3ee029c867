package kcp.crypto.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.BlockCrypt;

/**
 * kcp-go's local CFB over JCE AES (AES-NI on HotSpot), with one bulk JCE call per packet in each
 * direction instead of one call per block.
 *
 * <p>With K<sub>1</sub> = E(IV), CFB is C<sub>i</sub> = P<sub>i</sub> ^ K<sub>i</sub>,
 * K<sub>i+1</sub> = E(C<sub>i</sub>). Two identities make the keystream one call:
 * <ul>
 * <li>Decryption: K<sub>2..n+1</sub> = E(C<sub>1..n</sub>) are independent, so a single ECB call
 *     over the ciphertext's full blocks produces them (parallel AES-NI/VAES on HotSpot).</li>
 * <li>Encryption: K<sub>i+1</sub> = E(P<sub>i</sub> ^ K<sub>i</sub>) is CBC encryption of the
 *     plaintext with chaining value K<sub>1</sub>, so one CBC call initialised with IV' = E(IV)
 *     produces K<sub>2..n+1</sub>; HotSpot runs CBC encryption as one intrinsic loop.</li>
 * </ul>
 * Then the datagram is XORed with K<sub>1..</sub>, the partial tail with the first bytes of
 * K<sub>n+1</sub>. {@code doFinal} resets the CBC cipher to IV', so nothing is re-initialised per
 * packet and nothing is allocated (the keystream array grows only for a longer packet than seen before).
 *
 * <p>The ECB cipher is made on the first decryption: a session's sealer only encrypts (its listener or its receive
 * path opens datagrams with a sealer of its own), so most instances never need it, and each JCE cipher holds its own
 * expanded key (about 0.6 KB per idle session). E(IV) comes from the CBC cipher, run once with a zero IV.
 *
 * <p>Thread-safety: NOT thread-safe (owns up to two {@link Cipher} objects and a keystream array).
 */
public final class JceCfbCrypt implements BlockCrypt {
    private final int blockSize;
    private final String algorithm;
    private final SecretKeySpec spec;
    /** Made on the first {@link #decrypt}. */
    private Cipher ecb;
    private final Cipher cbc;
    /** [0, blockSize) = E(IV) (constant); [blockSize, ...) = keystream of the current packet. */
    private byte[] keystream;

    private JceCfbCrypt(String algorithm, byte[] key, int blockSize) {
        this.blockSize = blockSize;
        this.algorithm = algorithm;
        try {
            spec = new SecretKeySpec(key, algorithm);
            cbc = JceCiphers.get(algorithm + "/CBC/NoPadding");
            // CBC of one block under a zero IV is E(block): E(IV), the first keystream block.
            cbc.init(Cipher.ENCRYPT_MODE, spec, new IvParameterSpec(new byte[blockSize]));
            keystream = new byte[KcpCfb.MTU_LIMIT + blockSize];
            cbc.doFinal(KcpCfb.iv(blockSize), 0, blockSize, keystream, 0);
            cbc.init(Cipher.ENCRYPT_MODE, spec, new IvParameterSpec(keystream, 0, blockSize));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("JCE rejected " + algorithm + " key of " + key.length + " bytes", e);
        }
    }

    /**
     * AES-128/192/256 by key length.
     *
     * @param key 16, 24 or 32 bytes
     * @return a new cipher
     */
    public static JceCfbCrypt aes(byte[] key) {
        return new JceCfbCrypt("AES", key, 16);
    }

    @Override
    public void encrypt(byte[] buf, int off, int len) {
        keystream(cbc, buf, off, len);
    }

    @Override
    public void decrypt(byte[] buf, int off, int len) {
        Cipher c = ecb;
        if (c == null) {
            c = newEcb();
        }
        keystream(c, buf, off, len);
    }

    private Cipher newEcb() {
        try {
            Cipher c = JceCiphers.get(algorithm + "/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, spec);
            ecb = c;
            return c;
        } catch (GeneralSecurityException e) {
            // The same key and provider already made the CBC cipher.
            throw new IllegalStateException("JCE " + algorithm + "/ECB/NoPadding failed to initialise", e);
        }
    }

    /** Keeps only E(IV): the keystream part grows back to the packet size on the next call. */
    @Override
    public void trim() {
        keystream = Arrays.copyOf(keystream, blockSize);
    }

    /** Computes K_2..K_{n+1} from the full blocks at buf[off..] with one call, then XORs the packet. */
    private void keystream(Cipher c, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int full = len - len % blockSize;
        byte[] ks = keystream;
        if (ks.length < full + blockSize) {
            ks = Arrays.copyOf(ks, Math.max(full, KcpCfb.MTU_LIMIT) + blockSize); // keeps E(IV)
            keystream = ks;
        }
        if (full > 0) {
            try {
                c.doFinal(buf, off, full, ks, blockSize);
            } catch (GeneralSecurityException e) {
                // NoPadding, whole blocks and a large enough output: JCE cannot fail here.
                throw new IllegalStateException("JCE " + c.getAlgorithm() + " failed on " + full + " bytes", e);
            }
        }
        KcpCfb.xor(buf, off, ks, len);
    }
}
