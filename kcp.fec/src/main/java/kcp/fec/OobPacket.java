package kcp.fec;

import java.util.Objects;

/**
 * kcp-go v5.6.72's out-of-band packet ({@code SendOOB}, {@code SetOOBHandler}): an unreliable datagram that
 * bypasses KCP and reuses the FEC header with type {@code 0xF3}, all little-endian:
 *
 * <pre>{@code
 *  0               4       6       8               12
 *  +---------------+-------+-------+---------------+---------------------------+
 *  | seqid         | type  | size  | conv          | payload (0..oobMaxSize)   |
 *  | FF FF FF FF   | F3 00 | u16   | u32           |                           |
 *  +---------------+-------+-------+---------------+---------------------------+
 *   size = 2 + 4 + payload length (it counts itself, like a data packet's size)
 * }</pre>
 *
 * <p>Offsets are relative to the FEC header, i.e. after the crypto header; the whole packet is then sealed like
 * any other datagram (CFB + CRC or AEAD). Sources: v5.6.72 fec.go lines 54-57 (constants) and 497-507
 * ({@code encodeOOB}, {@code sealOOB}), sess.go lines 893-917 ({@code SendOOB}) and 1094-1102 ({@code kcpInput}).
 * OOB needs FEC on both ends: a peer without FEC would feed the packet to KCP as a segment and count an error.
 *
 * <p>{@link #check} is stricter than kcp-go's receiver, which looks only at the type (and, in its listener, the
 * conv) and hands everything after byte 12 to the handler; every packet a kcp-go sender makes passes it.
 * Stateless static helpers, thread-safe, allocation-free.
 */
public final class OobPacket {
    /** kcp-go typeOOB. */
    public static final int TYPE_OOB = 0xF3;
    /** kcp-go's OOB seqid, the max u32 (fec.go line 505), as an int. */
    public static final int SEQID = 0xFFFFFFFF;
    /** kcp-go convSize. */
    public static final int CONV_SIZE = 4;
    /** Offset of the conv, and of the payload after it: FEC header (8) + conv (4). */
    public static final int CONV_OFFSET = FecHeader.HEADER_SIZE_PLUS2;
    /** Bytes in front of the payload: 12. */
    public static final int HEADER_SIZE = FecHeader.HEADER_SIZE_PLUS2 + CONV_SIZE;

    /** What {@link #check} found; everything but {@link #OK} means: drop the packet and count the reason. */
    public enum Verdict {
        /** A well-formed OOB packet of the expected conversation. */
        OK,
        /** The type field is not 0xF3 (not an OOB packet at all; route it elsewhere). */
        NOT_OOB,
        /** Shorter than the 12-byte header (kcp-go drops these and counts KCPInErrors). */
        TRUNCATED,
        /** Longer than kcp-go's 1500-byte datagram limit. */
        OVERSIZED,
        /** The seqid is not 0xFFFFFFFF. */
        BAD_SEQID,
        /** The size field disagrees with the packet length (truncated or padded in transit, or forged). */
        BAD_SIZE,
        /** The conv is not the session's. */
        WRONG_CONV
    }

    private OobPacket() {
    }

    /**
     * Writes the 12-byte header in front of a payload already placed at {@code off + HEADER_SIZE} (zero copy, as
     * kcp-go's SendOOB reserves the header room).
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @param conv the session's conversation id
     * @param payloadLen payload bytes at {@code off + 12}
     * @return the packet length, {@code 12 + payloadLen}
     * @throws IllegalArgumentException if {@code payloadLen} is negative or the packet would exceed 1500 bytes
     *     (check against {@link DatagramLayout#oobMaxSize} first)
     */
    public static int encode(byte[] buf, int off, int conv, int payloadLen) {
        if (payloadLen < 0 || HEADER_SIZE + payloadLen > FecHeader.MTU_LIMIT) {
            throw new IllegalArgumentException("OOB payload of " + payloadLen + " bytes: needs 0.."
                    + (FecHeader.MTU_LIMIT - HEADER_SIZE) + ", and at most DatagramLayout.oobMaxSize(...) for the"
                    + " session's MTU");
        }
        Objects.checkFromIndexSize(off, HEADER_SIZE + payloadLen, buf.length);
        FecHeader.put(buf, off, SEQID, TYPE_OOB);
        LittleEndian.putShort(buf, off + FecHeader.SIZE_OFFSET, (short) (2 + CONV_SIZE + payloadLen));
        LittleEndian.putInt(buf, off + CONV_OFFSET, conv);
        return HEADER_SIZE + payloadLen;
    }

    /**
     * Copies a payload behind a fresh header.
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @param conv the session's conversation id
     * @param payload payload source
     * @param payloadOff first payload byte
     * @param payloadLen payload length
     * @return the packet length, {@code 12 + payloadLen}
     * @throws IllegalArgumentException as {@link #encode(byte[], int, int, int)}
     */
    public static int encode(byte[] buf, int off, int conv, byte[] payload, int payloadOff, int payloadLen) {
        Objects.checkFromIndexSize(payloadOff, payloadLen, payload.length);
        int n = encode(buf, off, conv, payloadLen);
        System.arraycopy(payload, payloadOff, buf, off + HEADER_SIZE, payloadLen);
        return n;
    }

    /**
     * Tells whether a decrypted packet is an OOB packet (kcp-go's demultiplexing on the u16 at offset 4).
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @param len packet length
     * @return true when at least 6 bytes long with type 0xF3
     */
    public static boolean isOob(byte[] buf, int off, int len) {
        return len >= FecHeader.HEADER_SIZE && FecHeader.flag(buf, off) == TYPE_OOB;
    }

    /**
     * Validates a decrypted packet: type, length, seqid, size field and conv, in that order.
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @param len packet length (from the FEC header to the end of the datagram)
     * @param conv the receiving session's conversation id
     * @return {@link Verdict#OK}, or the first reason to drop it
     */
    public static Verdict check(byte[] buf, int off, int len, int conv) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < FecHeader.HEADER_SIZE || FecHeader.flag(buf, off) != TYPE_OOB) {
            return Verdict.NOT_OOB;
        }
        if (len < HEADER_SIZE) {
            return Verdict.TRUNCATED;
        }
        if (len > FecHeader.MTU_LIMIT) {
            return Verdict.OVERSIZED;
        }
        if (FecHeader.seqid(buf, off) != SEQID) {
            return Verdict.BAD_SEQID;
        }
        if (FecHeader.size(buf, off) != len - FecHeader.HEADER_SIZE) {
            return Verdict.BAD_SIZE;
        }
        if (conv(buf, off) != conv) {
            return Verdict.WRONG_CONV;
        }
        return Verdict.OK;
    }

    /**
     * Reads the conv of an OOB packet (kcp-go's listener routes on it).
     *
     * @param buf packet buffer
     * @param off start of the FEC header (the packet must be at least 12 bytes)
     * @return the u32 LE conv as an int
     */
    public static int conv(byte[] buf, int off) {
        return LittleEndian.getInt(buf, off + CONV_OFFSET);
    }

    /**
     * The payload length of a packet that passed {@link #check}.
     *
     * @param len packet length
     * @return {@code len - 12}; the payload starts at {@code off + 12}
     */
    public static int payloadLength(int len) {
        return len - HEADER_SIZE;
    }
}
