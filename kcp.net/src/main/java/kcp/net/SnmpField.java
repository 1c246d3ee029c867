package kcp.net;

/**
 * kcp-go's SNMP counters (spec 8): the 30 fields of v5.6.72 in {@code Snmp.Header()} order, then
 * 5.6.1's {@code FECShortShards}, then kcp.net's own {@code InReplays}, {@code SessionsShed},
 * {@code InBudgetDrops} (issue 15) and {@code OOBDrops} (kcp-go has no such counters). {@link #label()} is the exact
 * kcp-go header name (note {@code FECFullShards}, whose Go struct field is named {@code FECFullShardSet}).
 *
 * <p>Immutable; thread-safe.
 */
public enum SnmpField {
    /** Bytes accepted from the application by writes. */
    BYTES_SENT("BytesSent", Kind.COUNTER),
    /** Bytes returned to the application by reads. */
    BYTES_RECEIVED("BytesReceived", Kind.COUNTER),
    /** Highest number of sessions open at once (global only). */
    MAX_CONN("MaxConn", Kind.MAX),
    /** Client sessions created (dial). */
    ACTIVE_OPENS("ActiveOpens", Kind.COUNTER),
    /** Sessions created by a listener. */
    PASSIVE_OPENS("PassiveOpens", Kind.COUNTER),
    /** Sessions currently open. */
    CURR_ESTAB("CurrEstab", Kind.COUNTER),
    /** Datagrams from an unexpected source, FEC-typed datagrams shorter than 8 bytes. */
    IN_ERRS("InErrs", Kind.COUNTER),
    /** CRC mismatches after decryption (wrong key, corruption, foreign traffic). */
    IN_CSUM_ERRORS("InCsumErrors", Kind.COUNTER),
    /** Datagrams (or recovered packets) that KCP's input rejected, or too short for KCP. */
    KCP_IN_ERRORS("KCPInErrors", Kind.COUNTER),
    /** Datagrams that passed crypto and reached the KCP/FEC input. */
    IN_PKTS("InPkts", Kind.COUNTER),
    /** Datagrams written to the socket (data, dup copies, parity). */
    OUT_PKTS("OutPkts", Kind.COUNTER),
    /** KCP segments parsed by successful inputs. */
    IN_SEGS("InSegs", Kind.COUNTER),
    /** KCP segment headers encoded. */
    OUT_SEGS("OutSegs", Kind.COUNTER),
    /** Bytes of received datagrams after the crypto header (FEC header included). */
    IN_BYTES("InBytes", Kind.COUNTER),
    /** Bytes written to the socket (UDP payload, all headers included). */
    OUT_BYTES("OutBytes", Kind.COUNTER),
    /** Lost + fast + early retransmissions. */
    RETRANS_SEGS("RetransSegs", Kind.COUNTER),
    /** Fast retransmissions. */
    FAST_RETRANS_SEGS("FastRetransSegs", Kind.COUNTER),
    /** Early retransmissions. */
    EARLY_RETRANS_SEGS("EarlyRetransSegs", Kind.COUNTER),
    /** RTO-driven retransmissions. */
    LOST_SEGS("LostSegs", Kind.COUNTER),
    /** Duplicate or out-of-window PUSH segments received. */
    REPEAT_SEGS("RepeatSegs", Kind.COUNTER),
    /** FEC groups complete without recovery (v5.6.72 FECFullShardSet). */
    FEC_FULL_SHARDS("FECFullShards", Kind.COUNTER),
    /** FEC parity packets received. */
    FEC_PARITY_SHARDS("FECParityShards", Kind.COUNTER),
    /** FEC reconstruction failures or invalid recovered packets. */
    FEC_ERRS("FECErrs", Kind.COUNTER),
    /** Data packets recovered by FEC. */
    FEC_RECOVERED("FECRecovered", Kind.COUNTER),
    /** Gauge: FEC groups held by the decoder that decoded last. */
    FEC_SHARD_SET("FECShardSet", Kind.GAUGE),
    /** Gauge: newest FEC group id seen (kcp-go's misnamed FECShardMin). */
    FEC_SHARD_MIN("FECShardMin", Kind.GAUGE),
    /** Gauge: snd_queue length of the session that flushed last. */
    RING_BUFFER_SND_QUEUE("RingBufferSndQueue", Kind.GAUGE),
    /** Gauge: rcv_queue length of the session that flushed last. */
    RING_BUFFER_RCV_QUEUE("RingBufferRcvQueue", Kind.GAUGE),
    /** Gauge: snd_buf length of the session that flushed last. */
    RING_BUFFER_SND_BUFFER("RingBufferSndBuffer", Kind.GAUGE),
    /** Well-formed OOB datagrams received for the session (kcp-go v5.6.72 {@code SendOOB}; type 0x00F3). */
    OOB_PACKETS("OOBPackets", Kind.COUNTER),
    /** 5.6.1: FEC data packets evicted before their group could be recovered. */
    FEC_SHORT_SHARDS("FECShortShards", Kind.COUNTER),
    /** kcp.net only: authenticated datagrams dropped because their nonce repeated within the replay window. */
    IN_REPLAYS("InReplays", Kind.COUNTER),
    /** kcp.net only: embryonic listener sessions closed by their timeout or shed for a budget ({@link Limits}). */
    SESSIONS_SHED("SessionsShed", Kind.COUNTER),
    /** kcp.net only: datagrams a listener dropped because its session or receive budget was full. */
    IN_BUDGET_DROPS("InBudgetDrops", Kind.COUNTER),
    /**
     * kcp.net only: OOB datagrams not delivered: the oldest one in a full receive queue (the application did not
     * read), one received by a listener session not yet acceptable, one sent while 1,024 datagrams already waited to
     * be sent, or one whose handler threw.
     */
    OOB_DROPS("OOBDrops", Kind.COUNTER);

    /** How a field changes. */
    public enum Kind {
        /** Only ever added to (CurrEstab also decreases). */
        COUNTER,
        /** Raised to a new maximum. */
        MAX,
        /** Overwritten with the latest value. */
        GAUGE
    }

    private final String label;
    private final Kind kind;

    SnmpField(String label, Kind kind) {
        this.label = label;
        this.kind = kind;
    }

    /** {@return kcp-go's header name, e.g. {@code "InCsumErrors"}} */
    public String label() {
        return label;
    }

    /** {@return how the field changes} */
    public Kind kind() {
        return kind;
    }
}
