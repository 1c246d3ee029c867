package kcp.fec;

import java.util.Arrays;
import java.util.Objects;

import kcp.fec.internal.AutoTune;

/**
 * kcp-go's FEC decoder with v5.6.72's per-group semantics ({@code fec.go fecDecoder}) and the receiver auto-tune
 * ({@code autotune.go}).
 *
 * <pre>{@code
 *  group id = seqid / (d + p), position = seqid % (d + p); positions < d are data, the rest parity
 *
 *  packet --> validate --> auto-tune sample --> group slot --> store copy --> d shards present?
 *                                                                   |-- all data present: nothing to do
 *                                                                   '-- else: Reed-Solomon, hand back the
 *                                                                       missing data packets in order
 *  groups older than the newest by more than 3 group lengths, or idle for 60 s, are dropped
 * }</pre>
 *
 * <p>Recovery happens as soon as any {@code d} shards of a group are present; the group is then emptied (a late
 * packet of it starts a new round, as in kcp-go). Memory is bounded: at most {@value #GROUP_SLOTS} groups of
 * {@code d + p} buffers of 1500 bytes, groups and buffers allocated on first use and reused; a far-future seqid only
 * moves the window. Malformed packets (shorter than 8 bytes, longer than 1500, unknown type, size field outside
 * the shard) are counted in {@link #malformed()} and dropped; nothing here throws on network input.
 *
 * <p>Deviation from kcp-go: kcp-go clears its "should tune" flag only when it adopts different parameters, so one
 * forged packet whose type disagrees with its position stops all recovery until the sender changes (d, p); here
 * the flag is also cleared when the detected parameters equal the current ones.
 *
 * <p>NOT thread-safe: one per session. The caller keeps the input buffer (it is copied). Recovered packets live in
 * decoder-owned buffers, valid until the next {@link #decode} call. Times are int ms, compared with wrap-around
 * arithmetic. Steady state allocates nothing. {@link #trim()} empties an idle decoder and releases its buffers.
 */
public final class FecDecoder {
    /** Group slots: the newest group, the 3 before it, and one for a late packet of an expiring group. */
    public static final int GROUP_SLOTS = 5;
    /** Groups further than this many group lengths behind the newest are dropped (v5.6.72). */
    public static final int GROUP_WINDOW = 3;
    /** kcp-go 5.6.1 fecExpire: a group idle for this long is dropped. */
    public static final int EXPIRE_MS = 60_000;

    private final AutoTune autoTune = new AutoTune();
    private final Group[] groups = new Group[GROUP_SLOTS];
    private int dataShards;
    private int parityShards;
    private int shardSize;
    private long paws;
    private ReedSolomon codec;
    private boolean shouldTune;
    private boolean hasNewest;
    private int newestGroup;

    private byte[][] recoveredBuf = new byte[0][];
    private int[] recoveredLen = new int[0];
    private int recoveredNow;

    private long recoveredCount;
    private long errs;
    private long parityShardCount;
    private long shortShards;
    private long fullShardSets;
    private long malformed;
    private long duplicates;
    private long tunes;

    /**
     * Creates a decoder for (d, p); it re-tunes itself when the sender uses other parameters. (1, 1) is a fine
     * start for a receiver that does not know them: the codec is only built when first needed.
     *
     * @param dataShards data packets per group (d)
     * @param parityShards parity packets per group (p)
     * @throws IllegalArgumentException if d &lt;= 0, p &lt;= 0 or d + p &gt; 256
     */
    public FecDecoder(int dataShards, int parityShards) {
        if (dataShards <= 0 || parityShards <= 0 || dataShards + parityShards > ReedSolomon.MAX_TOTAL_SHARDS) {
            throw new IllegalArgumentException("need d > 0, p > 0, d + p <= 256: d=" + dataShards
                    + " p=" + parityShards);
        }
        configure(dataShards, parityShards);
    }

    private void configure(int d, int p) {
        dataShards = d;
        parityShards = p;
        shardSize = d + p;
        if (recoveredBuf.length < d) {
            // At most d packets are recovered per decode call; sized to d, not 256 (idle-session memory).
            recoveredBuf = Arrays.copyOf(recoveredBuf, d);
            recoveredLen = Arrays.copyOf(recoveredLen, d);
        }
        paws = 0xFFFF_FFFFL / shardSize * shardSize;
        codec = null;
        hasNewest = false;
        for (int i = 0; i < GROUP_SLOTS; i++) {
            if (groups[i] != null && groups[i].present.length < shardSize) {
                groups[i] = null; // too small for the new parameters: a fresh one is made when the slot is used
            }
            if (groups[i] != null) {
                groups[i].live = false;
            }
        }
    }

    /**
     * Feeds one FEC packet (data or parity).
     *
     * @param pkt buffer holding the packet
     * @param off start of the FEC header (after any crypto header)
     * @param len packet length from the FEC header on
     * @param nowMs current time in ms (idle-group expiry)
     * @return the number of data packets recovered by this call, read with {@link #recovered(int)}
     * @throws IndexOutOfBoundsException if [off, off + len) is outside pkt (caller bug, not network input)
     */
    public int decode(byte[] pkt, int off, int len, int nowMs) {
        Objects.checkFromIndexSize(off, len, pkt.length);
        recoveredNow = 0;
        if (len < FecHeader.HEADER_SIZE_PLUS2 || len > FecHeader.MTU_LIMIT) {
            malformed++;
            return 0;
        }
        int flag = FecHeader.flag(pkt, off);
        boolean isData = flag == FecHeader.TYPE_DATA;
        if (!isData && flag != FecHeader.TYPE_PARITY
                || isData && (FecHeader.size(pkt, off) < 2 || FecHeader.size(pkt, off) > len - FecHeader.HEADER_SIZE)) {
            malformed++;
            return 0;
        }
        int seqid = FecHeader.seqid(pkt, off);
        autoTune.sample(isData, seqid);
        long useq = Integer.toUnsignedLong(seqid);
        if (useq >= paws) {
            return 0;
        }
        int pos = (int) (useq % shardSize);
        if ((pos < dataShards) != isData) {
            shouldTune = true;
        }
        if (shouldTune) {
            tune();
            return 0;
        }
        int groupId = (int) (useq / shardSize);
        Group g = group(groupId, nowMs);
        if (g.present[pos]) {
            duplicates++;
            return 0;
        }
        if (!isData) {
            parityShardCount++;
        }
        g.store(pos, pkt, off, len, nowMs);
        if (g.count >= dataShards) {
            complete(g);
        }
        if (!hasNewest || groupId * shardSize - newestGroup * shardSize > 0) {
            newestGroup = groupId;
            hasNewest = true;
        }
        expire(nowMs);
        return recoveredNow;
    }

    private void tune() {
        int d = autoTune.findPeriod(true);
        int p = autoTune.findPeriod(false);
        if (d > 0 && p > 0 && d + p <= ReedSolomon.MAX_TOTAL_SHARDS) {
            if (d != dataShards || p != parityShards) {
                configure(d, p);
                tunes++;
            }
            shouldTune = false;
        }
    }

    private Group group(int groupId, int nowMs) {
        Group free = null;
        int emptySlot = -1;
        Group oldest = null;
        for (int i = 0; i < GROUP_SLOTS; i++) {
            Group g = groups[i];
            if (g == null) {
                emptySlot = emptySlot < 0 ? i : emptySlot;
                continue;
            }
            if (g.live && g.id == groupId) {
                return g;
            }
            if (!g.live) {
                free = free == null ? g : free;
            } else if (oldest == null || g.id * shardSize - oldest.id * shardSize < 0) {
                oldest = g;
            }
        }
        if (free == null && emptySlot >= 0) {
            free = new Group(shardSize);
            groups[emptySlot] = free;
        } else if (free == null) {
            drop(oldest);
            free = oldest;
        }
        free.open(groupId, nowMs);
        return free;
    }

    private void complete(Group g) {
        int dataPresent = 0;
        for (int i = 0; i < dataShards; i++) {
            dataPresent += g.present[i] ? 1 : 0;
        }
        if (dataPresent == dataShards) {
            fullShardSets++;
        } else {
            reconstruct(g);
        }
        g.empty();
        g.completed = true;
    }

    private void reconstruct(Group g) {
        int maxLen = 0;
        for (int i = 0; i < shardSize; i++) {
            if (g.present[i]) {
                maxLen = Math.max(maxLen, g.length[i] - FecHeader.HEADER_SIZE);
            }
        }
        for (int i = 0; i < shardSize; i++) {
            if (g.buf[i] == null) {
                g.buf[i] = new byte[FecHeader.MTU_LIMIT];
            }
            if (g.present[i]) {
                Arrays.fill(g.buf[i], g.length[i], FecHeader.HEADER_SIZE + maxLen, (byte) 0);
            }
        }
        if (codec == null) {
            codec = ReedSolomon.create(dataShards, parityShards);
        }
        codec.decodeMissingData(g.buf, g.present, FecHeader.HEADER_SIZE, maxLen);
        for (int i = 0; i < dataShards; i++) {
            if (!g.present[i]) {
                int size = FecHeader.size(g.buf[i], 0);
                if (size >= 2 && size <= maxLen) {
                    recoveredBuf[recoveredNow] = g.buf[i];
                    recoveredLen[recoveredNow] = size - 2;
                    recoveredNow++;
                    recoveredCount++;
                } else {
                    errs++;
                }
            }
        }
    }

    private void expire(int nowMs) {
        int newestSeq = newestGroup * shardSize;
        for (Group g : groups) {
            if (g != null && g.live && (newestSeq - g.id * shardSize > GROUP_WINDOW * shardSize
                    || nowMs - g.lastMs > EXPIRE_MS)) {
                drop(g);
            }
        }
    }

    private void drop(Group g) {
        if (!g.completed) {
            // 5.6.1's FECShortShards: data packets evicted from a group that never reached d shards.
            for (int i = 0; i < dataShards; i++) {
                shortShards += g.present[i] ? 1 : 0;
            }
        }
        g.empty();
        g.live = false;
    }

    /**
     * Releases what an idle decoder holds: every group (partly filled ones are counted in {@link #shortShards()}, as
     * when they expire), their 1500-byte packet copies (up to {@value #GROUP_SLOTS} x (d + p)), the group slots, the
     * auto-tune samples and the codec. Parameters and counters stay; the next packets allocate again. A parity packet
     * that arrives after a trim for a group begun before it cannot recover that group's losses (KCP retransmits
     * them). Invalidates
     * {@link #recovered(int)}.
     */
    public void trim() {
        for (int i = 0; i < GROUP_SLOTS; i++) {
            if (groups[i] != null && groups[i].live) {
                drop(groups[i]);
            }
            groups[i] = null;
        }
        Arrays.fill(recoveredBuf, null);
        recoveredNow = 0;
        autoTune.trim();
        codec = null;
    }

    /**
     * Returns the buffer of a recovered packet of the last decode call; owned by the decoder.
     *
     * @param i 0-based index, in seqid order, below the last decode's return value
     * @return the buffer; the KCP bytes are at {@link #recoveredOffset(int)}, {@link #recoveredLength(int)} long
     */
    public byte[] recovered(int i) {
        Objects.checkIndex(i, recoveredNow);
        return recoveredBuf[i];
    }

    /**
     * Returns where a recovered packet's KCP bytes start.
     *
     * @param i 0-based index of the recovered packet
     * @return the offset in {@link #recovered(int)}, after the FEC header and the size field
     */
    public int recoveredOffset(int i) {
        Objects.checkIndex(i, recoveredNow);
        return FecHeader.HEADER_SIZE_PLUS2;
    }

    /**
     * Returns a recovered packet's KCP length.
     *
     * @param i 0-based index of the recovered packet
     * @return the number of KCP bytes (the recovered size field minus 2)
     */
    public int recoveredLength(int i) {
        Objects.checkIndex(i, recoveredNow);
        return recoveredLen[i];
    }

    /** {@return kcp-go FECRecovered: data packets recovered and handed back (with a valid size field)} */
    public long recoveredCount() {
        return recoveredCount;
    }

    /** {@return kcp-go FECErrs: recovered shards whose size field was invalid (the group did not decode correctly)} */
    public long errs() {
        return errs;
    }

    /** {@return kcp-go FECParityShards: parity packets stored by the decoder} */
    public long parityShards() {
        return parityShardCount;
    }

    /**
     * {@return kcp-go 5.6.1 FECShortShards: data packets of groups that expired (window or idle) before reaching
     * d shards}
     */
    public long shortShards() {
        return shortShards;
    }

    /** {@return kcp-go FECFullShardSet (label FECFullShards): groups that reached d shards with all data present} */
    public long fullShardSets() {
        return fullShardSets;
    }

    /** {@return Packets dropped as malformed (length, type or size field)} */
    public long malformed() {
        return malformed;
    }

    /** {@return Packets ignored because their seqid was already held} */
    public long duplicates() {
        return duplicates;
    }

    /** {@return Times the auto-tuner switched (d, p)} */
    public long tunes() {
        return tunes;
    }

    /** {@return kcp-go FECShardSet gauge: groups currently held} */
    public int groupsHeld() {
        int n = 0;
        for (Group g : groups) {
            n += g != null && g.live ? 1 : 0;
        }
        return n;
    }

    /** {@return kcp-go FECShardMin gauge (a misnomer there): the newest group id seen, u32 as int} */
    public int newestGroup() {
        return newestGroup;
    }

    /** {@return Current data shards per group (changes when auto-tuned)} */
    public int dataShardCount() {
        return dataShards;
    }

    /** {@return Current parity shards per group (changes when auto-tuned)} */
    public int parityShardCount() {
        return parityShards;
    }

    /** {@return Bytes of packet buffers allocated so far (bounded by {@value #GROUP_SLOTS} x (d + p) x 1500)} */
    public long bufferBytes() {
        long n = 0;
        for (Group g : groups) {
            for (byte[] b : g == null ? new byte[0][] : g.buf) {
                n += b == null ? 0 : b.length;
            }
        }
        return n;
    }

    /** One shard set: copies of the packets of one group, indexed by position. */
    private static final class Group {
        final boolean[] present;
        final byte[][] buf;
        final int[] length;
        boolean live;
        /** The group reached d shards once; late shards that refill it are leftovers, not losses. */
        boolean completed;
        int id;
        int count;
        int lastMs;

        Group(int shardSize) {
            present = new boolean[shardSize];
            buf = new byte[shardSize][];
            length = new int[shardSize];
        }

        void open(int groupId, int nowMs) {
            live = true;
            completed = false;
            id = groupId;
            count = 0;
            lastMs = nowMs;
        }

        void store(int pos, byte[] pkt, int off, int len, int nowMs) {
            if (buf[pos] == null) {
                buf[pos] = new byte[FecHeader.MTU_LIMIT];
            }
            System.arraycopy(pkt, off, buf[pos], 0, len);
            length[pos] = len;
            present[pos] = true;
            count++;
            lastMs = nowMs;
        }

        void empty() {
            Arrays.fill(present, false);
            count = 0;
        }
    }
}
