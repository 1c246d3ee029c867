package kcp.smux.internal;

import java.nio.ByteBuffer;

/**
 * smux's wire format (xtaci/smux {@code frame.go}): every frame starts with an 8-byte header, all integers
 * little-endian.
 *
 * <pre>
 *   0        1        2                 4                                  8
 *  +--------+--------+--------+--------+--------+--------+--------+--------+
 *  |version |  cmd   |  length (u16)   |        stream id (u32)            |  then length bytes of data
 *  +--------+--------+--------+--------+--------+--------+--------+--------+
 *
 *  UPD (version 2 only), length 8:  | consumed (u32) | window (u32) |
 * </pre>
 *
 * <p>Receive rules are those of smux 1.5.57 and later (stricter than 1.5.16, which accepts anything it can
 * skip): the version byte must be the session's, SYN/FIN/NOP carry no data, UPD exists only in version 2 and
 * carries exactly 8 bytes, and no other cmd exists. Everything 1.5.16 sends passes these rules, and
 * everything we send is accepted by 1.5.16.
 */
public final class Frames {
    /** Opens a stream. */
    public static final int SYN = 0;
    /** Closes the sender's half of a stream (EOF mark). */
    public static final int FIN = 1;
    /** Carries stream data. */
    public static final int PSH = 2;
    /** Keepalive; carries nothing. */
    public static final int NOP = 3;
    /** Version 2: the receiver's consumed byte count and window. */
    public static final int UPD = 4;
    /** Bytes in a frame header. */
    public static final int HEADER_SIZE = 8;
    /** Bytes of data in an UPD frame. */
    public static final int UPD_SIZE = 8;
    /** What a version 2 sender assumes its peer's window is until the first UPD arrives (smux initialPeerWindow). */
    public static final int INITIAL_PEER_WINDOW = 262144;
    /** Largest length a header can carry. */
    public static final int MAX_LENGTH = 65535;

    private Frames() {
    }

    /**
     * Writes a header at {@code b}'s position and advances it.
     *
     * @param b destination with at least 8 bytes remaining
     * @param version protocol version byte
     * @param cmd frame cmd
     * @param length data length, 0 to 65535
     * @param sid stream id (an unsigned 32-bit value)
     */
    public static void putHeader(ByteBuffer b, int version, int cmd, int length, int sid) {
        int p = b.position();
        b.put(p, (byte) version);
        b.put(p + 1, (byte) cmd);
        b.put(p + 2, (byte) length);
        b.put(p + 3, (byte) (length >>> 8));
        putIntLe(b, p + 4, sid);
        b.position(p + HEADER_SIZE);
    }

    /**
     * Writes a whole UPD frame (header and data) at {@code b}'s position and advances it.
     *
     * @param b destination with at least 16 bytes remaining
     * @param version protocol version byte (2)
     * @param sid stream id
     * @param consumed bytes the receiver has read from the stream so far (modulo 2^32)
     * @param window the receiver's stream buffer size
     */
    public static void putUpd(ByteBuffer b, int version, int sid, int consumed, int window) {
        putHeader(b, version, UPD, UPD_SIZE, sid);
        int p = b.position();
        putIntLe(b, p, consumed);
        putIntLe(b, p + 4, window);
        b.position(p + UPD_SIZE);
    }

    /** @return the version byte of the header at {@code off} */
    public static int version(ByteBuffer b, int off) {
        return b.get(off) & 0xff;
    }

    /** @return the cmd byte of the header at {@code off} */
    public static int cmd(ByteBuffer b, int off) {
        return b.get(off + 1) & 0xff;
    }

    /** @return the data length of the header at {@code off}, 0 to 65535 */
    public static int length(ByteBuffer b, int off) {
        return (b.get(off + 2) & 0xff) | (b.get(off + 3) & 0xff) << 8;
    }

    /** @return the stream id of the header at {@code off} (unsigned 32-bit, held in an int) */
    public static int streamId(ByteBuffer b, int off) {
        return getIntLe(b, off + 4);
    }

    /** @return the little-endian 32-bit value at {@code off} */
    public static int getIntLe(ByteBuffer b, int off) {
        return (b.get(off) & 0xff) | (b.get(off + 1) & 0xff) << 8 | (b.get(off + 2) & 0xff) << 16
                | (b.get(off + 3) & 0xff) << 24;
    }

    private static void putIntLe(ByteBuffer b, int off, int v) {
        b.put(off, (byte) v);
        b.put(off + 1, (byte) (v >>> 8));
        b.put(off + 2, (byte) (v >>> 16));
        b.put(off + 3, (byte) (v >>> 24));
    }

    /**
     * Checks a received header against smux's receive rules.
     *
     * @param sessionVersion the version this session speaks
     * @param version the header's version byte
     * @param cmd the header's cmd
     * @param length the header's length
     * @return null if the header is acceptable, else the violation in words (the session closes with it)
     */
    public static String violation(int sessionVersion, int version, int cmd, int length) {
        if (version != sessionVersion) {
            return "invalid protocol: version byte " + version + ", this session speaks smux version "
                    + sessionVersion;
        }
        switch (cmd) {
            case SYN, FIN, NOP -> {
                if (length != 0) {
                    return "invalid protocol: " + name(cmd) + " frame with " + length + " bytes of data (must be 0)";
                }
            }
            case PSH -> {
                // any length 0..65535; an empty PSH is skipped
            }
            case UPD -> {
                if (sessionVersion != 2) {
                    return "invalid protocol: UPD frame in a version 1 session";
                }
                if (length != UPD_SIZE) {
                    return "invalid protocol: UPD frame with " + length + " bytes of data (must be 8)";
                }
            }
            default -> {
                return "invalid protocol: unknown cmd " + cmd;
            }
        }
        return null;
    }

    /**
     * Names a cmd for messages.
     *
     * @param cmd a cmd byte
     * @return SYN, FIN, PSH, NOP, UPD or "cmd N"
     */
    public static String name(int cmd) {
        return switch (cmd) {
            case SYN -> "SYN";
            case FIN -> "FIN";
            case PSH -> "PSH";
            case NOP -> "NOP";
            case UPD -> "UPD";
            default -> "cmd " + cmd;
        };
    }
}
