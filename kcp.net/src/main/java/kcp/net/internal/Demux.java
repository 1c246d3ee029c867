package kcp.net.internal;

import kcp.core.wire.SegmentHeader;
import kcp.crypto.PacketSealer;
import kcp.fec.FecHeader;
import kcp.net.SnmpField;

/**
 * Opens and classifies a received datagram once, in place, into a reusable view that the listener routes by and the
 * session's pipeline consumes: the plaintext's offset and length, its kind (plain KCP, FEC data, FEC parity, OOB, or a
 * malformed FEC datagram) and, when the bytes carry one, the first segment's conv and sn. Listener and dialled session
 * use the same class, so a datagram is decrypted and parsed exactly once on its way to KCP.
 *
 * <pre>
 *  datagram: | crypto header (20 CFB, 12 GCM) | FEC header (8) | KCP segment (24 + data) ... | [GCM tag 16] |
 *              '--- open(): nonce, CRC32 / tag --' '-- kind at FLAG_OFFSET --' '-- conv, sn of the first segment'
 * </pre>
 *
 * Drops are counted where kcp-go counts them: CRC/AEAD failures in InCsumErrors; datagrams too short to carry a
 * crypto header are dropped uncounted, as kcp-go does. NOT thread-safe: one per receive path (the listener's receive
 * loop, or a client session's), and the view is valid until the next {@link #open}.
 */
public final class Demux {
    /** Plain KCP segments. */
    public static final int KCP = 0;
    /** An FEC data shard: FEC header, then KCP segments. */
    public static final int FEC_DATA = 1;
    /** An FEC parity shard. */
    public static final int FEC_PARITY = 2;
    /** kcp-go's out-of-band type (0x00F3): the session hands it to its {@link OobChannel}, never to KCP. */
    public static final int OOB = 3;
    /** FEC-typed but shorter than the 8-byte FEC header. */
    public static final int FEC_MALFORMED = 4;

    /** {@link #refusal()}: the datagram was too short for the crypto header and trailer. */
    public static final int TOO_SHORT = 1;
    /** {@link #refusal()}: the CRC32 or AEAD tag did not verify (wrong key, corrupted or forged). */
    public static final int AUTH_FAILED = 2;
    /** {@link #refusal()}: authenticated, but its nonce was seen before (a replay or a duplicate). */
    public static final int REPLAYED = 3;

    /** kcp-go's {@code typeOOB} flag value at {@link FecHeader#FLAG_OFFSET}. */
    static final int TYPE_OOB = 0xF3;

    private final PacketSealer sealer;
    private final int cryptHeader;
    private final int trailer;
    private final Counters counters;
    private final ReplayFilter replay;
    private final int nonceLen;
    private final NetContext clock;

    private byte[] buf;
    private int off;
    private int len;
    private int kind;
    private boolean hasConv;
    private int conv;
    private int sn;
    private int refusal;

    /**
     * Creates a demultiplexer for one receive path.
     *
     * @param sealer   opens sealed datagrams, or null without crypto
     * @param counters where CRC failures are counted
     */
    public Demux(PacketSealer sealer, Counters counters) {
        this(sealer, counters, null, null);
    }

    /**
     * Creates a demultiplexer that also drops authenticated datagrams whose nonce repeats (issue 15's replay filter):
     * after the sealer opened a datagram and before it is classified or routed, so a replay can create nothing.
     *
     * @param sealer   opens sealed datagrams, or null without crypto (then {@code replay} is ignored)
     * @param counters where CRC failures and replays ({@code InReplays}) are counted
     * @param replay   the socket's replay filter, or null for none
     * @param clock    the clock the filter's window runs on (only read when {@code replay} is set)
     */
    public Demux(PacketSealer sealer, Counters counters, ReplayFilter replay, NetContext clock) {
        this.sealer = sealer;
        this.cryptHeader = sealer == null ? 0 : sealer.headerSize();
        this.trailer = sealer == null ? 0 : sealer.trailerSize();
        this.counters = counters;
        this.replay = sealer == null ? null : replay;
        this.nonceLen = this.replay == null ? 0 : ReplayFilter.nonceLength(sealer);
        this.clock = clock;
    }

    /**
     * Makes the replay filter a socket gets from {@code options}: null without crypto or when turned off.
     *
     * @param options the socket's options
     * @param slots   the table size ({@link ReplayFilter#DEFAULT_SLOTS} for a listener, fewer for one peer)
     * @return the filter, or null
     */
    public static ReplayFilter replayFilter(kcp.net.SessionOptions options, int slots) {
        if (!options.cryptoEnabled() || !options.limits().replayFilter()) {
            return null;
        }
        return new ReplayFilter(slots, options.limits().replayWindow().toMillis(),
                new java.security.SecureRandom().nextLong());
    }

    /**
     * Returns the replay filter, or null without one (tests).
     *
     * @return the filter
     */
    public ReplayFilter replay() {
        return replay;
    }

    /**
     * Opens {@code buf[0, len)} in place (decryption and integrity check) and classifies it.
     *
     * @param buf the datagram; the view refers to it until the next call
     * @param len its length
     * @return false if the datagram was dropped (counted where kcp-go counts it)
     */
    public boolean open(byte[] buf, int len) {
        this.buf = buf;
        if (sealer == null) {
            this.off = 0;
            this.len = len;
        } else {
            if (len < cryptHeader + trailer) {
                refusal = TOO_SHORT;
                return false;
            }
            int n = sealer.open(buf, 0, len);
            if (n < 0) {
                counters.increment(SnmpField.IN_CSUM_ERRORS);
                refusal = AUTH_FAILED;
                return false;
            }
            if (replay != null && !replay.admit(buf, 0, nonceLen, clock.nanoTime() / 1_000_000L)) {
                counters.increment(SnmpField.IN_REPLAYS);
                refusal = REPLAYED;
                return false;
            }
            this.off = cryptHeader;
            this.len = n;
        }
        classify();
        return true;
    }

    private void classify() {
        int type = len >= FecHeader.SIZE_OFFSET ? u16(buf, off + FecHeader.FLAG_OFFSET) : -1;
        hasConv = false;
        conv = 0;
        sn = 0;
        if (type == FecHeader.TYPE_DATA || type == FecHeader.TYPE_PARITY) {
            if (len < FecHeader.HEADER_SIZE_PLUS2) {
                kind = FEC_MALFORMED;
            } else if (type == FecHeader.TYPE_PARITY) {
                kind = FEC_PARITY;
            } else {
                kind = FEC_DATA;
                readConv(off + FecHeader.HEADER_SIZE_PLUS2, len - FecHeader.HEADER_SIZE_PLUS2);
            }
        } else if (type == TYPE_OOB) {
            kind = OOB;
        } else {
            kind = KCP;
            readConv(off, len);
        }
    }

    private void readConv(int at, int n) {
        if (n >= SegmentHeader.OVERHEAD) {
            hasConv = true;
            conv = le32(buf, at + SegmentHeader.CONV_OFFSET);
            sn = le32(buf, at + SegmentHeader.SN_OFFSET);
        }
    }

    /**
     * Returns true if the datagram carries data: a PUSH segment among its KCP segments (plain KCP or an FEC data
     * shard). ACK, WASK and WINS segments alone carry none, and neither do parity, OOB or malformed datagrams. Walks
     * the segment headers; called for datagrams from unknown addresses only.
     *
     * @return whether a session may be created for it
     */
    public boolean carriesData() {
        int at;
        int end = off + len;
        if (kind == KCP) {
            at = off;
        } else if (kind == FEC_DATA) {
            at = off + FecHeader.HEADER_SIZE_PLUS2;
            end = Math.min(end, off + FecHeader.SIZE_OFFSET + u16(buf, off + FecHeader.SIZE_OFFSET));
        } else {
            return false;
        }
        while (end - at >= SegmentHeader.OVERHEAD) {
            if ((buf[at + SegmentHeader.CMD_OFFSET] & 0xFF) == SegmentHeader.CMD_PUSH) {
                return true;
            }
            long next = (long) at + SegmentHeader.OVERHEAD + (le32(buf, at + SegmentHeader.LEN_OFFSET) & 0xFFFFFFFFL);
            if (next > end) {
                return false;
            }
            at = (int) next;
        }
        return false;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    /**
     * Returns why the last {@link #open} returned false: {@link #TOO_SHORT}, {@link #AUTH_FAILED} or
     * {@link #REPLAYED} (the listener's connection migration counts refused attempts by it).
     *
     * @return the reason; meaningless after an {@code open} that returned true
     */
    public int refusal() {
        return refusal;
    }

    /**
     * Returns the buffer holding the opened datagram.
     *
     * @return the array passed to {@link #open}
     */
    public byte[] buffer() {
        return buf;
    }

    /**
     * Returns where the plaintext starts (after the crypto header).
     *
     * @return the plaintext's offset in {@link #buffer()}
     */
    public int offset() {
        return off;
    }

    /**
     * Returns the plaintext's length (FEC header included).
     *
     * @return bytes from {@link #offset()}
     */
    public int length() {
        return len;
    }

    /**
     * Returns what the plaintext is: {@link #KCP}, {@link #FEC_DATA}, {@link #FEC_PARITY}, {@link #OOB} or
     * {@link #FEC_MALFORMED}.
     *
     * @return the kind
     */
    public int kind() {
        return kind;
    }

    /**
     * Returns true if the plaintext starts with a whole KCP segment header (plain KCP or an FEC data shard), so that
     * {@link #conv()} and {@link #sn()} are meaningful. Parity and OOB datagrams carry none.
     *
     * @return whether a conv was read
     */
    public boolean hasConv() {
        return hasConv;
    }

    /**
     * Returns the first segment's conversation id, or 0 without one.
     *
     * @return the conv
     */
    public int conv() {
        return conv;
    }

    /**
     * Returns the first segment's sequence number, or 0 without one (a reconnecting client's first PUSH has sn 0).
     *
     * @return the sn
     */
    public int sn() {
        return sn;
    }
}
