package kcp.fec;

import java.util.Arrays;
import java.util.Objects;

/**
 * kcp-go's FEC encoder ({@code fec.go fecEncoder}, v5.6.72 behaviour). Every outgoing datagram gets an
 * FEC header; after every {@code dataShards} data packets, {@code parityShards} parity packets are ready.
 *
 * <pre>{@code
 *  caller's buffer, off .. off + len:
 *  |<- headerOffset ->|seqid u32|F1 00|size u16| KCP bytes ...|
 *   (crypto header,    written by encode()      len - headerOffset - 6
 *    left untouched)
 *
 *  seqids with (d, p) = (3, 2):  0 1 2 [3 4]  5 6 7 [8 9] ...   [..] = parity, sent right after the data packet
 *  that completed the group; wraps to 0 at paws = floor(0xFFFFFFFF / (d + p)) * (d + p)
 * }</pre>
 *
 * <p>Parity covers each data packet's {@code [size][KCP bytes]} region zero-padded to the longest in the group;
 * each parity packet is as long as the longest data packet (headerOffset included). Parity-skip rule of v5.6.72:
 * when the packet completing a group arrives {@link #maxEncodeLatencyMs()} (500 ms) or more after the previous
 * data packet, no parity is produced, but seqid still advances by {@code parityShards} so group boundaries stay
 * aligned for the receiver. {@link #setParitySkip(boolean) setParitySkip(false)} gives 5.6.1's always-encode rule.
 *
 * <p>NOT thread-safe: one per session. The caller keeps its buffer; the encoder copies the payload into its own
 * shard cache. {@link #parityBuffer(int)} arrays belong to the encoder and are rewritten by the encode call that
 * completes the next group. Times are int milliseconds on any monotonic clock, compared with wrap-around
 * arithmetic. The shard cache's 1500-byte rows are allocated on first use (an idle session that sent a few packets
 * holds a few rows, not {@code d + p}); after the first completed group, steady state allocates nothing.
 * {@link #trim()} releases every row of an idle encoder: the group it interrupts is sent without parity.
 */
public final class FecEncoder {
    /** kcp-go v5.6.72 maxFECEncodeLatency: a group completed this many ms after the previous packet gets no parity. */
    public static final int DEFAULT_MAX_ENCODE_LATENCY_MS = 500;

    private final int dataShards;
    private final int parityShards;
    private final long paws;
    private final int headerOffset;
    private final int payloadOffset;
    private final ReedSolomon codec;
    /** Positions 0..d-1: copies of the group's data packets; d..d+p-1: the parity packets. */
    private final byte[][] shardCache;
    private final int[] shardLength;

    private long next;
    private int shardCount;
    private int maxSize;
    private int parityLength;
    private boolean paritySkip = true;
    private int maxEncodeLatencyMs = DEFAULT_MAX_ENCODE_LATENCY_MS;
    private boolean seenPacket;
    /** The current group lost its cached rows to {@link #trim()}: it completes without parity. */
    private boolean abandoned;
    private int lastPacketMs;
    private long groupsEncoded;
    private long groupsSkipped;

    /**
     * Creates an encoder on the default codec ({@link ReedSolomon#create(int, int)}).
     *
     * @param dataShards data packets per group (d)
     * @param parityShards parity packets per group (p)
     * @param headerOffset bytes reserved in front of the FEC header (crypto header size, 0 without crypto)
     * @throws IllegalArgumentException if d &lt;= 0, p &lt;= 0, d + p &gt; 256 or headerOffset is outside
     *     [0, 1492]
     */
    public FecEncoder(int dataShards, int parityShards, int headerOffset) {
        this(ReedSolomon.create(dataShards, parityShards), headerOffset);
    }

    /**
     * Like {@link #FecEncoder(int, int, int)} on a given codec (for example a scalar one).
     *
     * @param codec the codec, which the encoder then owns (codecs are not thread-safe)
     * @param headerOffset bytes reserved in front of the FEC header
     * @throws IllegalArgumentException if headerOffset is outside [0, 1492]
     */
    public FecEncoder(ReedSolomon codec, int headerOffset) {
        if (headerOffset < 0 || headerOffset > FecHeader.MTU_LIMIT - FecHeader.HEADER_SIZE_PLUS2) {
            throw new IllegalArgumentException("headerOffset out of [0, 1492]: " + headerOffset);
        }
        this.codec = Objects.requireNonNull(codec, "codec");
        this.dataShards = codec.dataShardCount();
        this.parityShards = codec.parityShardCount();
        int shardSize = dataShards + parityShards;
        this.paws = 0xFFFF_FFFFL / shardSize * shardSize;
        this.headerOffset = headerOffset;
        this.payloadOffset = headerOffset + FecHeader.HEADER_SIZE;
        this.shardCache = new byte[shardSize][]; // rows allocated on first use (an idle session holds few)
        this.shardLength = new int[dataShards];
    }

    /**
     * Seals one data packet and, when it completes a group, computes the parity packets.
     *
     * @param buf packet buffer laid out {@code [headerOffset reserved][8 reserved][KCP bytes]}
     * @param off start of the packet (of the reserved headerOffset bytes) in buf
     * @param len whole packet length, headerOffset and FEC header included: at most 1500
     * @param nowMs current time in ms (for the parity-skip rule)
     * @return the number of parity packets now ready in {@link #parityBuffer(int)}: 0 or parityShards
     * @throws IllegalArgumentException if len is outside [headerOffset + 8, 1500] or the range is outside buf
     */
    public int encode(byte[] buf, int off, int len, int nowMs) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < payloadOffset + 2 || len > FecHeader.MTU_LIMIT) {
            throw new IllegalArgumentException("packet length out of [" + (payloadOffset + 2) + ", 1500]: " + len
                    + "; reserve headerOffset + 8 bytes in front of the KCP bytes and keep datagrams <= 1500");
        }
        FecHeader.put(buf, off + headerOffset, (int) next, FecHeader.TYPE_DATA);
        next = (next + 1) % paws;
        LittleEndian.putShort(buf, off + payloadOffset, (short) (len - payloadOffset));
        if (!abandoned) {
            System.arraycopy(buf, off + payloadOffset, shard(shardCount), payloadOffset, len - payloadOffset);
        }
        shardLength[shardCount] = len;
        shardCount++;
        maxSize = Math.max(maxSize, len);

        int ready = 0;
        if (shardCount == dataShards) {
            boolean continuous = !paritySkip || seenPacket && nowMs - lastPacketMs < maxEncodeLatencyMs;
            if (continuous && !abandoned) {
                encodeParity();
                ready = parityShards;
                groupsEncoded++;
            } else {
                next = (next + parityShards) % paws;
                groupsSkipped++;
            }
            shardCount = 0;
            maxSize = 0;
            abandoned = false;
        }
        seenPacket = true;
        lastPacketMs = nowMs;
        return ready;
    }

    /**
     * Releases the shard cache (up to {@code d + p} rows of 1500 bytes) of an encoder that will be idle for a while.
     * The rest of a group this interrupts is still sealed and numbered as usual, but that group gets no parity (as if
     * the v5.6.72 latency rule had skipped it, and counted in {@link #groupsSkipped()}): parity for packets sent before
     * an idle pause would arrive after their retransmission anyway. Invalidates {@link #parityBuffer(int)}.
     */
    public void trim() {
        if (shardCount > 0) {
            abandoned = true;
        }
        Arrays.fill(shardCache, null);
    }

    /** Row i of the shard cache, allocated on first use: after the first group every row exists. */
    private byte[] shard(int i) {
        byte[] row = shardCache[i];
        if (row == null) {
            row = new byte[FecHeader.MTU_LIMIT];
            shardCache[i] = row;
        }
        return row;
    }

    private void encodeParity() {
        for (int k = 0; k < parityShards; k++) {
            shard(dataShards + k);
        }
        for (int i = 0; i < dataShards; i++) {
            Arrays.fill(shardCache[i], shardLength[i], maxSize, (byte) 0);
        }
        codec.encodeParity(shardCache, payloadOffset, maxSize - payloadOffset);
        for (int k = 0; k < parityShards; k++) {
            FecHeader.put(shardCache[dataShards + k], headerOffset, (int) next, FecHeader.TYPE_PARITY);
            next = (next + 1) % paws;
        }
        parityLength = maxSize;
    }

    /**
     * Parity packet i (0-based) of the last completed group, laid out {@code [headerOffset reserved][6-byte FEC
     * header][parity]}; its length is {@link #parityLength()}. The reserved prefix is free for the caller's crypto
     * header. Owned by the encoder: valid until the next encode call that completes a group.
     *
     * @param i parity index, 0 to parityShards - 1
     * @return the encoder's buffer for parity packet i
     */
    public byte[] parityBuffer(int i) {
        Objects.checkIndex(i, parityShards);
        return shard(dataShards + i);
    }

    /** {@return Length of each parity packet of the last encoded group, headerOffset included (0 before the first)} */
    public int parityLength() {
        return parityLength;
    }

    /**
     * Chooses between v5.6.72's parity skip for slow groups (default) and 5.6.1's always-encode rule.
     *
     * @param enabled true to skip parity when a group completes slowly
     */
    public void setParitySkip(boolean enabled) {
        this.paritySkip = enabled;
    }

    /**
     * Sets the gap from which a completing packet skips parity (kcp-go v5.6.6 to v5.6.9 used the rto instead).
     *
     * @param ms threshold in milliseconds, default 500
     */
    public void setMaxEncodeLatencyMs(int ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("maxEncodeLatencyMs <= 0: " + ms);
        }
        this.maxEncodeLatencyMs = ms;
    }

    /** {@return The parity-skip threshold in ms} */
    public int maxEncodeLatencyMs() {
        return maxEncodeLatencyMs;
    }

    /** {@return The seqid the next packet gets (u32 as int)} */
    public int nextSeqid() {
        return (int) next;
    }

    /**
     * Sets the next seqid (kcp-go's TestFECPAWS sets {@code next = paws - 13}); call at a group boundary.
     *
     * @param seqid the u32 seqid, as an int
     * @throws IllegalArgumentException if seqid (unsigned) is not below paws
     */
    public void setNextSeqid(int seqid) {
        long v = Integer.toUnsignedLong(seqid);
        if (v >= paws) {
            throw new IllegalArgumentException("seqid >= paws " + paws + ": " + v);
        }
        this.next = v;
    }

    /** {@return paws: seqids run over [0, paws), a multiple of d + p} */
    public long paws() {
        return paws;
    }

    /** {@return Number of data shards per group} */
    public int dataShardCount() {
        return dataShards;
    }

    /** {@return Number of parity shards per group} */
    public int parityShardCount() {
        return parityShards;
    }

    /** {@return Bytes reserved in front of the FEC header} */
    public int headerOffset() {
        return headerOffset;
    }

    /** {@return Groups whose parity was produced} */
    public long groupsEncoded() {
        return groupsEncoded;
    }

    /** {@return Groups whose parity was skipped by the v5.6.72 latency rule} */
    public long groupsSkipped() {
        return groupsSkipped;
    }
}
