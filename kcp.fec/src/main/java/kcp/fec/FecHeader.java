package kcp.fec;

/**
 * kcp-go's FEC header ({@code fec.go}: {@code fecHeaderSize}, {@code typeData}, {@code typeParity}), all
 * little-endian:
 *
 * <pre>{@code
 *  0               4       6       8
 *  +---------------+-------+-------+------------------------------+
 *  |  seqid (u32)  | flag  | size  | KCP segment(s) ...           |  data packet, flag 0x00F1
 *  +---------------+-------+-------+------------------------------+
 *  |  seqid (u32)  | flag  | Reed-Solomon parity ...              |  parity packet, flag 0x00F2
 *  +---------------+-------+--------------------------------------+
 *   size = 2 + number of KCP bytes (it counts itself); parity covers [size][KCP bytes][zero padding] of the
 *   group's data packets, so bytes 6..7 of a parity packet are parity, not a size.
 * }</pre>
 *
 * <p>Stateless static helpers; offsets are relative to the start of the FEC header (after any crypto header).
 */
public final class FecHeader {
    /** Offset of the u32 sequence id. */
    public static final int SEQID_OFFSET = 0;
    /** Offset of the u16 packet type. */
    public static final int FLAG_OFFSET = 4;
    /** Offset of the u16 size field of data packets. */
    public static final int SIZE_OFFSET = 6;
    /** kcp-go fecHeaderSize: seqid + flag. */
    public static final int HEADER_SIZE = 6;
    /** kcp-go fecHeaderSizePlus2: seqid + flag + size. */
    public static final int HEADER_SIZE_PLUS2 = 8;
    /** Type field of a data packet, which also carries KCP bytes (kcp-go {@code typeData}). */
    public static final int TYPE_DATA = 0xF1;
    /** Type field of a parity packet (kcp-go {@code typeParity}). */
    public static final int TYPE_PARITY = 0xF2;
    /** kcp-go mtuLimit: the largest datagram kcp-go sends or receives, and the largest shard we accept. */
    public static final int MTU_LIMIT = 1500;

    private FecHeader() {
    }

    /**
     * Reads the packet's sequence id (bytes 0..3 of the FEC header, little-endian), which orders data and parity
     * packets into groups of d + p.
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @return the u32 LE seqid as an int (negative above 2^31 - 1)
     */
    public static int seqid(byte[] buf, int off) {
        return LittleEndian.getInt(buf, off + SEQID_OFFSET);
    }

    /**
     * Reads the packet type.
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @return the u16 LE flag at {@code off + 4}, 0..65535
     */
    public static int flag(byte[] buf, int off) {
        return LittleEndian.getShort(buf, off + FLAG_OFFSET) & 0xFFFF;
    }

    /**
     * Reads the size field of a data packet.
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @return the u16 LE size at {@code off + 6}, 0..65535 (2 + KCP length on a well-formed data packet)
     */
    public static int size(byte[] buf, int off) {
        return LittleEndian.getShort(buf, off + SIZE_OFFSET) & 0xFFFF;
    }

    /**
     * Applies kcp-go's demultiplexing rule ({@code sess.go packetInput}: FEC flags first, then KCP).
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @return true when the u16 at {@code off + 4} is {@link #TYPE_DATA} or {@link #TYPE_PARITY}
     */
    public static boolean isFec(byte[] buf, int off) {
        int flag = flag(buf, off);
        return flag == TYPE_DATA || flag == TYPE_PARITY;
    }

    /**
     * Writes the 6-byte header.
     *
     * @param buf packet buffer
     * @param off start of the FEC header
     * @param seqid u32 sequence id (as an int)
     * @param flag packet type, {@link #TYPE_DATA} or {@link #TYPE_PARITY}
     */
    public static void put(byte[] buf, int off, int seqid, int flag) {
        LittleEndian.putInt(buf, off + SEQID_OFFSET, seqid);
        LittleEndian.putShort(buf, off + FLAG_OFFSET, (short) flag);
    }
}
