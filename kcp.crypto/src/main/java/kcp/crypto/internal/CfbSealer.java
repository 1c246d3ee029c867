package kcp.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.CRC32;
import kcp.crypto.BlockCrypt;
import kcp.crypto.NonceSource;
import kcp.crypto.PacketSealer;

/**
 * kcp-go's CFB datagram framing (sess.go): 16-byte nonce, CRC-32/IEEE (little-endian) of the payload,
 * payload; the whole datagram encrypted in place. Opening decrypts and checks the CRC; a mismatch
 * (corruption, tampering, wrong key) returns -1. Thread-safety: NOT thread-safe (one per session per
 * direction); owns its cipher, nonce source and {@link CRC32}.
 */
public final class CfbSealer implements PacketSealer {
    /** kcp-go {@code nonceSize}. */
    static final int NONCE_SIZE = 16;
    /** kcp-go {@code cryptHeaderSize}: nonce + CRC32. */
    static final int HEADER_SIZE = 20;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final BlockCrypt crypt;
    private final NonceSource nonces;
    private final CRC32 crc = new CRC32();

    /**
     * Creates the sealer.
     *
     * @param crypt cipher (owned from now on)
     * @param nonces nonce source (owned from now on)
     */
    public CfbSealer(BlockCrypt crypt, NonceSource nonces) {
        this.crypt = Objects.requireNonNull(crypt, "crypt is null: use Ciphers.create(\"none\", null) for no cipher");
        this.nonces = Objects.requireNonNull(nonces, "nonces is null: use NonceSource.secureDefault()");
    }

    @Override
    public int headerSize() {
        return HEADER_SIZE;
    }

    @Override
    public int trailerSize() {
        return 0;
    }

    @Override
    public int seal(byte[] buf, int off, int payloadLen) {
        if (payloadLen < 0) {
            throw new IllegalArgumentException("payloadLen < 0: " + payloadLen);
        }
        int len = HEADER_SIZE + payloadLen;
        Objects.checkFromIndexSize(off, len, buf.length);
        nonces.fill(buf, off, NONCE_SIZE);
        INT_LE.set(buf, off + NONCE_SIZE, checksum(buf, off + HEADER_SIZE, payloadLen));
        crypt.encrypt(buf, off, len);
        return len;
    }

    @Override
    public int open(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < HEADER_SIZE) {
            return -1;
        }
        crypt.decrypt(buf, off, len);
        int payloadLen = len - HEADER_SIZE;
        if ((int) INT_LE.get(buf, off + NONCE_SIZE) != checksum(buf, off + HEADER_SIZE, payloadLen)) {
            return -1;
        }
        return payloadLen;
    }

    private int checksum(byte[] buf, int off, int len) {
        crc.reset();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }

    @Override
    public void trim() {
        crypt.trim();
        if (nonces instanceof AesCtrNonceSource ctr) {
            ctr.trim();
        }
    }
}
