package kcp.crypto.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Constants of kcp-go's "local CFB" mode ({@code crypt.go}): the fixed initial vector and the SimpleXOR
 * salt. Stateless.
 */
final class KcpCfb {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** crypt.go {@code initialVector}; 8-byte ciphers use the first 8 bytes. */
    private static final byte[] INITIAL_VECTOR = {
        (byte) 167, 115, 79, (byte) 156, 18, (byte) 172, 27, 1,
        (byte) 164, 21, (byte) 242, (byte) 193, (byte) 252, 120, (byte) 230, 107};

    /** crypt.go {@code saltxor}. */
    static final String SALT_XOR = "sH3CIVoF#rWLtJo6";

    /** kcp-go {@code mtuLimit}: size of the SimpleXOR table and of the largest datagram. */
    static final int MTU_LIMIT = 1500;

    private KcpCfb() {
    }

    /**
     * {@code buf[off + i] ^= ks[i]} for {@code i < len}, 8 bytes per step through little-endian {@code long}
     * views (unaligned loads and stores once C2 inlines the VarHandle), then the last 0..7 bytes one by one.
     * Not a plain byte loop: C2 vectorised that only in some compilation contexts (it cannot prove {@code buf}
     * and {@code ks} distinct when their offsets differ), and left scalar it made an AES decrypt cost 3x and a
     * seal + open 1.65x what it costs now (JMH {@code CipherContextBench}, CPU time, 7 Dec 2026).
     *
     * @param buf data, changed in place
     * @param off first data byte
     * @param ks keystream (at least {@code len} bytes)
     * @param len number of bytes
     */
    static void xor(byte[] buf, int off, byte[] ks, int len) {
        int i = 0;
        for (int end = len - 7; i < end; i += 8) {
            LONG_LE.set(buf, off + i, (long) LONG_LE.get(buf, off + i) ^ (long) LONG_LE.get(ks, i));
        }
        for (; i < len; i++) {
            buf[off + i] ^= ks[i];
        }
    }

    /**
     * The initial vector truncated to a block size.
     *
     * @param blockSize 8 or 16
     * @return a fresh copy
     */
    static byte[] iv(int blockSize) {
        return java.util.Arrays.copyOf(INITIAL_VECTOR, blockSize);
    }
}
