package kcp.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import kcp.crypto.NonceSource;

/**
 * The default {@link NonceSource}: AES-128 in counter mode under a key and initial counter drawn from
 * {@link SecureRandom}, generated a pool at a time with one JCE call (the CTR intrinsic) and re-keyed after
 * 2^24 AES blocks (kcp-go v5.6.72 re-keys its AES chain every 2^24 reads). A call of up to 16 bytes consumes
 * one whole AES output block, and distinct counter values give distinct blocks under one key, so 16-byte
 * nonces never repeat within a key epoch.
 *
 * <p>The pool is allocated on first use at {@value #MIN_POOL} bytes (16 nonces: every session holds one,
 * so idle sessions stay small) and doubles on each refill up to {@value #MAX_POOL} bytes (256 nonces per JCE
 * call), so a busy sender pays the JCE call's fixed cost once per 256 datagrams; {@link #trim()} (called when
 * a session hibernates) drops it. Allocation-free in steady state. Thread-safety: NOT thread-safe.
 */
public final class AesCtrNonceSource implements NonceSource {
    private static final int BLOCK = 16;
    /** First pool: 16 nonces per JCE call. */
    static final int MIN_POOL = 256;
    /** Largest pool: 256 nonces per JCE call. */
    static final int MAX_POOL = 4096;
    /** CTR input: the keystream itself is the output. Shared and never written. */
    private static final byte[] ZEROS = new byte[MAX_POOL];
    /** Re-key after this many AES blocks (2^24, as kcp-go v5.6.72). */
    private static final long REKEY_BLOCKS = 1L << 24;

    /** Thread-safe, and shared: one per source cost a provider look-up for every new session. */
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Cipher ctr;
    private static final byte[] EMPTY = {};

    /** Allocated on the first fill and after {@link #trim()}; {@code pos == pool.length} means used up. */
    private byte[] pool = EMPTY;
    private int pos;
    private long blocks;

    /** Creates a source with a fresh random key. */
    public AesCtrNonceSource() {
        try {
            ctr = JceCiphers.get("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR/NoPadding unavailable in this JDK", e);
        }
        rekey();
    }

    @Override
    public void fill(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        while (len > 0) {
            if (pos >= pool.length) {
                refill();
            }
            int n = Math.min(len, pool.length - pos);
            System.arraycopy(pool, pos, buf, off, n);
            off += n;
            len -= n;
            // start the next request on a fresh AES block
            pos += (n + BLOCK - 1) & -BLOCK;
        }
    }

    /** Drops the pool (the next fill allocates {@value #MIN_POOL} bytes again and it grows with use); keeps the key. */
    public void trim() {
        pool = EMPTY;
        pos = 0;
    }

    /** Current pool size in bytes (tests). */
    int poolBytes() {
        return pool.length;
    }

    private void refill() {
        byte[] p = pool;
        if (p.length < MAX_POOL) {
            p = new byte[Math.max(MIN_POOL, p.length * 2)];
            pool = p;
        }
        blocks += p.length / BLOCK;
        if (blocks > REKEY_BLOCKS) {
            rekey();
            blocks = p.length / BLOCK;
        }
        try {
            ctr.update(ZEROS, 0, p.length, p, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
        pos = 0;
    }

    private void rekey() {
        byte[] key = new byte[16];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(iv);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR init failed", e);
        }
    }
}
