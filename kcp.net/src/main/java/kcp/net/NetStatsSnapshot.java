package kcp.net;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable copy of one set of SNMP counters (kcp-go's {@code Snmp.Copy()}), one component per
 * {@link SnmpField} in the same order. Values are read field by field, so a snapshot taken while
 * traffic flows is not atomic across fields.
 *
 * @param bytesSent value of {@link SnmpField#BYTES_SENT}
 * @param bytesReceived value of {@link SnmpField#BYTES_RECEIVED}
 * @param maxConn value of {@link SnmpField#MAX_CONN}
 * @param activeOpens value of {@link SnmpField#ACTIVE_OPENS}
 * @param passiveOpens value of {@link SnmpField#PASSIVE_OPENS}
 * @param currEstab value of {@link SnmpField#CURR_ESTAB}
 * @param inErrs value of {@link SnmpField#IN_ERRS}
 * @param inCsumErrors value of {@link SnmpField#IN_CSUM_ERRORS}
 * @param kcpInErrors value of {@link SnmpField#KCP_IN_ERRORS}
 * @param inPkts value of {@link SnmpField#IN_PKTS}
 * @param outPkts value of {@link SnmpField#OUT_PKTS}
 * @param inSegs value of {@link SnmpField#IN_SEGS}
 * @param outSegs value of {@link SnmpField#OUT_SEGS}
 * @param inBytes value of {@link SnmpField#IN_BYTES}
 * @param outBytes value of {@link SnmpField#OUT_BYTES}
 * @param retransSegs value of {@link SnmpField#RETRANS_SEGS}
 * @param fastRetransSegs value of {@link SnmpField#FAST_RETRANS_SEGS}
 * @param earlyRetransSegs value of {@link SnmpField#EARLY_RETRANS_SEGS}
 * @param lostSegs value of {@link SnmpField#LOST_SEGS}
 * @param repeatSegs value of {@link SnmpField#REPEAT_SEGS}
 * @param fecFullShards value of {@link SnmpField#FEC_FULL_SHARDS}
 * @param fecParityShards value of {@link SnmpField#FEC_PARITY_SHARDS}
 * @param fecErrs value of {@link SnmpField#FEC_ERRS}
 * @param fecRecovered value of {@link SnmpField#FEC_RECOVERED}
 * @param fecShardSet value of {@link SnmpField#FEC_SHARD_SET}
 * @param fecShardMin value of {@link SnmpField#FEC_SHARD_MIN}
 * @param ringBufferSndQueue value of {@link SnmpField#RING_BUFFER_SND_QUEUE}
 * @param ringBufferRcvQueue value of {@link SnmpField#RING_BUFFER_RCV_QUEUE}
 * @param ringBufferSndBuffer value of {@link SnmpField#RING_BUFFER_SND_BUFFER}
 * @param oobPackets value of {@link SnmpField#OOB_PACKETS}
 * @param fecShortShards value of {@link SnmpField#FEC_SHORT_SHARDS}
 * @param inReplays value of {@link SnmpField#IN_REPLAYS}
 * @param sessionsShed value of {@link SnmpField#SESSIONS_SHED}
 * @param inBudgetDrops value of {@link SnmpField#IN_BUDGET_DROPS}
 * @param oobDrops value of {@link SnmpField#OOB_DROPS}
 */
public record NetStatsSnapshot(
        long bytesSent, long bytesReceived, long maxConn, long activeOpens, long passiveOpens,
        long currEstab, long inErrs, long inCsumErrors, long kcpInErrors, long inPkts,
        long outPkts, long inSegs, long outSegs, long inBytes, long outBytes,
        long retransSegs, long fastRetransSegs, long earlyRetransSegs, long lostSegs, long repeatSegs,
        long fecFullShards, long fecParityShards, long fecErrs, long fecRecovered, long fecShardSet,
        long fecShardMin, long ringBufferSndQueue, long ringBufferRcvQueue, long ringBufferSndBuffer, long oobPackets,
        long fecShortShards, long inReplays, long sessionsShed, long inBudgetDrops,
        long oobDrops) {

    static NetStatsSnapshot of(long[] v) {
        return new NetStatsSnapshot(
                v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19],
                v[20], v[21], v[22], v[23], v[24], v[25], v[26], v[27], v[28], v[29],
                v[30], v[31], v[32], v[33], v[34]);
    }

    /**
     * {@return its value in this snapshot}
     *
     * @param field a field
     */
    public long get(SnmpField field) {
        return switch (field) {
            case BYTES_SENT -> bytesSent;
            case BYTES_RECEIVED -> bytesReceived;
            case MAX_CONN -> maxConn;
            case ACTIVE_OPENS -> activeOpens;
            case PASSIVE_OPENS -> passiveOpens;
            case CURR_ESTAB -> currEstab;
            case IN_ERRS -> inErrs;
            case IN_CSUM_ERRORS -> inCsumErrors;
            case KCP_IN_ERRORS -> kcpInErrors;
            case IN_PKTS -> inPkts;
            case OUT_PKTS -> outPkts;
            case IN_SEGS -> inSegs;
            case OUT_SEGS -> outSegs;
            case IN_BYTES -> inBytes;
            case OUT_BYTES -> outBytes;
            case RETRANS_SEGS -> retransSegs;
            case FAST_RETRANS_SEGS -> fastRetransSegs;
            case EARLY_RETRANS_SEGS -> earlyRetransSegs;
            case LOST_SEGS -> lostSegs;
            case REPEAT_SEGS -> repeatSegs;
            case FEC_FULL_SHARDS -> fecFullShards;
            case FEC_PARITY_SHARDS -> fecParityShards;
            case FEC_ERRS -> fecErrs;
            case FEC_RECOVERED -> fecRecovered;
            case FEC_SHARD_SET -> fecShardSet;
            case FEC_SHARD_MIN -> fecShardMin;
            case RING_BUFFER_SND_QUEUE -> ringBufferSndQueue;
            case RING_BUFFER_RCV_QUEUE -> ringBufferRcvQueue;
            case RING_BUFFER_SND_BUFFER -> ringBufferSndBuffer;
            case OOB_PACKETS -> oobPackets;
            case FEC_SHORT_SHARDS -> fecShortShards;
            case IN_REPLAYS -> inReplays;
            case SESSIONS_SHED -> sessionsShed;
            case IN_BUDGET_DROPS -> inBudgetDrops;
            case OOB_DROPS -> oobDrops;
        };
    }

    /** {@return kcp-go's {@code Header()}: the field labels in order} */
    public static List<String> header() {
        List<String> out = new ArrayList<>();
        for (SnmpField f : SnmpField.values()) {
            out.add(f.label());
        }
        return List.copyOf(out);
    }

    /** {@return kcp-go's {@code ToSlice()}: the values as decimal strings, in {@link #header()} order} */
    public List<String> toSlice() {
        List<String> out = new ArrayList<>();
        for (SnmpField f : SnmpField.values()) {
            out.add(Long.toString(get(f)));
        }
        return List.copyOf(out);
    }
}
