package kcp.fec;

/**
 * kcp-go v5.6.72's datagram arithmetic as pure functions: how many bytes a session MTU leaves to KCP, the
 * smallest MTU a session accepts, and the largest OOB payload. A datagram is
 * {@code crypto header | FEC header (8, when FEC is on) | KCP bytes or OOB packet | crypto trailer}:
 *
 * <pre>{@code
 *  |<------------------------------- mtu (at most 1500) -------------------------------->|
 *  | crypto header   | FEC 8 | KCP: 24-byte segment header + data (kcp mtu)  | AEAD tag  |
 *  | 0 / 20 / nonce  |       | OOB: conv 4 + payload (oobMaxSize)            | 0 / 16    |
 * }</pre>
 *
 * <p>Sources: v5.6.72 sess.go lines 208-225 (headerSize: crypto header, plus fecHeaderSizePlus2 with FEC),
 * 537-549 ({@code SetMtu}: {@code min(mtuLimit, mtu) - headerSize - aead.Overhead()}), kcp.go lines 1080-1083
 * ({@code KCP.SetMtu} refuses {@code mtu <= IKCP_OVERHEAD}, lowered from 50 by kcp-go PR #337, commit 8a84a05) and
 * sess.go lines 872-878 ({@code GetOOBMaxSize}: 0 without FEC, else {@code kcp.mtu - convSize}).
 *
 * <p>{@code cryptoBytes} is everything the crypto layer adds: {@code PacketSealer.headerSize() + trailerSize()},
 * i.e. 0 without crypto, 20 for the CFB family and "none", 28 for AES-GCM and ChaCha20-Poly1305, 40 for
 * XChaCha20-Poly1305. Stateless, thread-safe.
 */
public final class DatagramLayout {
    /** kcp-go IKCP_OVERHEAD: the KCP segment header. */
    public static final int KCP_OVERHEAD = 24;
    /** Smallest KCP mtu kcp-go v5.6.72 accepts: the segment header plus one data byte (PR #337). */
    public static final int MIN_KCP_MTU = KCP_OVERHEAD + 1;

    private DatagramLayout() {
    }

    /**
     * The smallest session MTU kcp-go v5.6.72's {@code UDPSession.SetMtu} accepts: header overhead + 25.
     *
     * @param cryptoBytes crypto header + trailer bytes (see the class comment)
     * @param fecEnabled true when FEC is on (8 more header bytes)
     * @return {@code cryptoBytes + (fec ? 8 : 0) + 25}: 25 plain, 33 with FEC, 53 with CFB + FEC, 61 with
     *     AES-GCM + FEC
     * @throws IllegalArgumentException if {@code cryptoBytes} is negative
     */
    public static int minMtu(int cryptoBytes, boolean fecEnabled) {
        return overhead(cryptoBytes, fecEnabled) + MIN_KCP_MTU;
    }

    /**
     * The KCP mtu a session MTU leaves, as kcp-go's {@code SetMtu} computes it (values above 1500 are clamped to
     * 1500 the way kcp-go does).
     *
     * @param mtu session MTU (whole datagram, UDP payload)
     * @param cryptoBytes crypto header + trailer bytes
     * @param fecEnabled true when FEC is on
     * @return {@code min(1500, mtu) - cryptoBytes - (fec ? 8 : 0)}, at least 25
     * @throws IllegalArgumentException if {@code mtu < minMtu(cryptoBytes, fecEnabled)} (kcp-go's SetMtu returns
     *     false and keeps the old MTU); the message names the floor
     */
    public static int kcpMtu(int mtu, int cryptoBytes, boolean fecEnabled) {
        int kcp = Math.min(FecHeader.MTU_LIMIT, mtu) - overhead(cryptoBytes, fecEnabled);
        if (kcp < MIN_KCP_MTU) {
            throw new IllegalArgumentException("mtu " + mtu + " leaves " + kcp + " bytes to KCP after "
                    + overhead(cryptoBytes, fecEnabled) + " bytes of crypto/FEC overhead; kcp-go v5.6.72 needs mtu >= "
                    + minMtu(cryptoBytes, fecEnabled) + " (overhead + 24-byte KCP header + 1 data byte)");
        }
        return kcp;
    }

    /**
     * The largest OOB payload, as kcp-go's {@code GetOOBMaxSize}: 0 without FEC (OOB unsupported), else the KCP
     * mtu minus the 4-byte conv.
     *
     * @param mtu session MTU
     * @param cryptoBytes crypto header + trailer bytes
     * @param fecEnabled true when FEC is on
     * @return the payload limit in bytes; payloads of 0 up to and including it are valid
     * @throws IllegalArgumentException as {@link #kcpMtu}
     */
    public static int oobMaxSize(int mtu, int cryptoBytes, boolean fecEnabled) {
        int kcp = kcpMtu(mtu, cryptoBytes, fecEnabled);
        return fecEnabled ? kcp - OobPacket.CONV_SIZE : 0;
    }

    private static int overhead(int cryptoBytes, boolean fecEnabled) {
        if (cryptoBytes < 0) {
            throw new IllegalArgumentException("cryptoBytes < 0: " + cryptoBytes
                    + " (pass PacketSealer.headerSize() + trailerSize(), or 0 without crypto)");
        }
        return cryptoBytes + (fecEnabled ? FecHeader.HEADER_SIZE_PLUS2 : 0);
    }
}
