package kcp.crypto.internal;

import java.util.Objects;
import kcp.crypto.BlockCrypt;

/**
 * kcp-go's {@code NewNoneBlockCrypt}: the identity. Used with a {@link kcp.crypto.PacketSealer} it still
 * adds and checks the nonce + CRC32 header. Thread-safe (stateless).
 */
public final class NoneCrypt implements BlockCrypt {
    @Override
    public void encrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
    }

    @Override
    public void decrypt(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
    }
}
