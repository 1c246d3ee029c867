package kcp.crypto.internal;

import java.util.Objects;
import kcp.crypto.BlockCrypt;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.TwofishEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * kcp-go's local CFB over a Bouncy Castle lightweight block engine (Twofish), driven block by block
 * through {@link BlockCipher#processBlock} with two preallocated feedback registers, like
 * kcp-go's {@code encrypt}/{@code decrypt} helpers. Thread-safety: NOT thread-safe (feedback registers).
 */
public final class EngineCfbCrypt implements BlockCrypt {
    private final BlockCipher engine;
    private final int blockSize;
    /** E(IV), the first keystream block of every packet. */
    private final byte[] k1;
    private byte[] tbl;
    private byte[] next;

    private EngineCfbCrypt(BlockCipher engine, byte[] key) {
        this.engine = engine;
        engine.init(true, new KeyParameter(key));
        blockSize = engine.getBlockSize();
        k1 = new byte[blockSize];
        engine.processBlock(KcpCfb.iv(blockSize), 0, k1, 0);
        tbl = new byte[blockSize];
        next = new byte[blockSize];
    }

    /**
     * Twofish, 128-bit blocks.
     *
     * @param key 16, 24 or 32 bytes
     * @return a new cipher
     */
    public static EngineCfbCrypt twofish(byte[] key) {
        return new EngineCfbCrypt(new TwofishEngine(), key);
    }

    @Override
    public void encrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int b = blockSize;
        byte[] k = tbl;
        System.arraycopy(k1, 0, k, 0, b);
        int end = off + len;
        int p = off;
        for (; p + b <= end; p += b) {
            for (int j = 0; j < b; j++) {
                buf[p + j] ^= k[j];
            }
            engine.processBlock(buf, p, k, 0);
        }
        for (int j = 0; p < end; p++, j++) {
            buf[p] ^= k[j];
        }
    }

    @Override
    public void decrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int b = blockSize;
        byte[] k = tbl;
        byte[] n = next;
        System.arraycopy(k1, 0, k, 0, b);
        int end = off + len;
        int p = off;
        for (; p + b <= end; p += b) {
            engine.processBlock(buf, p, n, 0);
            for (int j = 0; j < b; j++) {
                buf[p + j] ^= k[j];
            }
            byte[] t = k;
            k = n;
            n = t;
        }
        for (int j = 0; p < end; p++, j++) {
            buf[p] ^= k[j];
        }
        tbl = k;
        next = n;
    }
}
