package kcp.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 24-byte KCP segment header ({@code ikcp.c ikcp_encode_seg}, kcp-go {@code segment.encode}), little-endian:
 *
 * <pre>
 *  0               4       5       6               8
 *  +---------------+-------+-------+---------------+
 *  |     conv      |  cmd  |  frg  |      wnd      |
 *  +---------------+-------+-------+---------------+
 *  8                               12
 *  +-------------------------------+-------------------------------+
 *  |              ts               |              sn               |
 *  +-------------------------------+-------------------------------+
 *  16                              20                              24
 *  +-------------------------------+-------------------------------+
 *  |              una              |              len              |
 *  +-------------------------------+-------------------------------+
 *  |                      data (len bytes) ...                     |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A datagram is several such segments back to back, with no padding and no count field. All u32 fields are held
 * in Java {@code int}s (two's complement: compare sequence numbers and timestamps with a signed difference);
 * {@code cmd}/{@code frg} are u8 and {@code wnd} is u16, returned here as non-negative {@code int}s.
 *
 * <p>Stateless: thread-safe. The methods never keep a reference to the array they are given and do no range
 * checks beyond the JVM's own; callers validate lengths first (see {@code Kcp.input}).
 */
public final class SegmentHeader {
    /** ikcp: IKCP_OVERHEAD. Header length in bytes. */
    public static final int OVERHEAD = 24;
    /** Offset of the u32 conversation id. */
    public static final int CONV_OFFSET = 0;
    /** Offset of the u8 command. */
    public static final int CMD_OFFSET = 4;
    /** Offset of the u8 fragment countdown (message mode). */
    public static final int FRG_OFFSET = 5;
    /** Offset of the u16 free receive window of the sender. */
    public static final int WND_OFFSET = 6;
    /** Offset of the u32 timestamp (PUSH: send time; ACK: echoed ts). */
    public static final int TS_OFFSET = 8;
    /** ikcp: IKCP_SN_OFFSET. Offset of the u32 sequence number. */
    public static final int SN_OFFSET = 12;
    /** Offset of the u32 una (sender's rcv_nxt). */
    public static final int UNA_OFFSET = 16;
    /** Offset of the u32 data length. */
    public static final int LEN_OFFSET = 20;

    /** Command of a data segment (ikcp IKCP_CMD_PUSH). */
    public static final int CMD_PUSH = 81;
    /** ikcp: IKCP_CMD_ACK. Acknowledgement of one sn. */
    public static final int CMD_ACK = 82;
    /** ikcp: IKCP_CMD_WASK. Window probe (ask the peer for its window). */
    public static final int CMD_WASK = 83;
    /** ikcp: IKCP_CMD_WINS. Window size (tell the peer our window). */
    public static final int CMD_WINS = 84;

    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private SegmentHeader() {
    }

    /**
     * Tells whether a command byte is one KCP defines.
     *
     * @param cmd a command byte as read by {@link #cmd(byte[], int)}
     * @return true if {@code cmd} is one of the four KCP commands (81..84)
     */
    public static boolean isValidCmd(int cmd) {
        return cmd >= CMD_PUSH && cmd <= CMD_WINS;
    }

    /**
     * Reads a u32 little-endian.
     *
     * @param buf bytes
     * @param off offset of the first (least significant) byte
     * @return the value as an int (reinterpret as unsigned where it matters)
     */
    public static int getInt(byte[] buf, int off) {
        return (int) U32.get(buf, off);
    }

    /**
     * Writes a u32 little-endian.
     *
     * @param buf   bytes
     * @param off   offset of the first (least significant) byte
     * @param value the value; all 32 bits are written
     */
    public static void putInt(byte[] buf, int off, int value) {
        U32.set(buf, off, value);
    }

    /**
     * Reads the conversation id of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the conversation id (u32 as int), which routes a datagram to its session
     */
    public static int conv(byte[] buf, int off) {
        return getInt(buf, off + CONV_OFFSET);
    }

    /**
     * Reads the command (u8, 0..255) of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the command byte (u8, 0..255); a valid one passes {@link #isValidCmd(int)}
     */
    public static int cmd(byte[] buf, int off) {
        return buf[off + CMD_OFFSET] & 0xFF;
    }

    /**
     * Reads the fragment countdown (u8, 0..255) of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the fragment countdown (u8, 0..255): fragments still to come in this message, 0 on the last
     */
    public static int frg(byte[] buf, int off) {
        return buf[off + FRG_OFFSET] & 0xFF;
    }

    /**
     * Reads the window (u16, 0..65535) of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the sender's free receive window (u16, 0..65535) in segments
     */
    public static int wnd(byte[] buf, int off) {
        return ((short) U16.get(buf, off + WND_OFFSET)) & 0xFFFF;
    }

    /**
     * Reads the timestamp (u32 as int) of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the sender's timestamp in ms (u32 as int)
     */
    public static int ts(byte[] buf, int off) {
        return getInt(buf, off + TS_OFFSET);
    }

    /**
     * Reads the sequence number (u32 as int) of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the sequence number (u32 as int)
     */
    public static int sn(byte[] buf, int off) {
        return getInt(buf, off + SN_OFFSET);
    }

    /**
     * Reads una (u32 as int) of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the sender's una (u32 as int): every sn below it has arrived
     */
    public static int una(byte[] buf, int off) {
        return getInt(buf, off + UNA_OFFSET);
    }

    /**
     * Reads the data length (u32 as int; treat as unsigned) of the segment that starts at {@code buf[off]}.
     *
     * @param buf a datagram
     * @param off where the segment's 24-byte header starts
     * @return the data length in bytes (u32 as int; treat as unsigned)
     */
    public static int len(byte[] buf, int off) {
        return getInt(buf, off + LEN_OFFSET);
    }

    /**
     * Encodes a whole header at {@code off}; {@code frg}, {@code cmd} are truncated to u8 and {@code wnd} to u16
     * exactly as kcp-go's casts do.
     *
     * @param buf  destination, at least {@code off + OVERHEAD} bytes
     * @param off  where the header starts
     * @param conv conversation id
     * @param cmd  command ({@link #CMD_PUSH}, {@link #CMD_ACK}, {@link #CMD_WASK} or {@link #CMD_WINS})
     * @param frg  fragment countdown (0 on the last fragment of a message, and always in stream mode)
     * @param wnd  the sender's free receive window in segments
     * @param ts   timestamp in ms (for PUSH the send time; for ACK the acked segment's ts)
     * @param sn   sequence number
     * @param una  the sender's una: every sn below it has arrived
     * @param len  data length in bytes that follow the header
     * @return {@code off + OVERHEAD}, where the data (if any) goes
     */
    public static int put(byte[] buf, int off, int conv, int cmd, int frg, int wnd, int ts, int sn, int una,
                          int len) {
        U32.set(buf, off + CONV_OFFSET, conv);
        buf[off + CMD_OFFSET] = (byte) cmd;
        buf[off + FRG_OFFSET] = (byte) frg;
        U16.set(buf, off + WND_OFFSET, (short) wnd);
        U32.set(buf, off + TS_OFFSET, ts);
        U32.set(buf, off + SN_OFFSET, sn);
        U32.set(buf, off + UNA_OFFSET, una);
        U32.set(buf, off + LEN_OFFSET, len);
        return off + OVERHEAD;
    }
}
