package kcp.net.internal;

import java.nio.ByteBuffer;

import kcp.crypto.PacketSealer;
import kcp.fec.FecDecoder;
import kcp.fec.FecEncoder;
import kcp.fec.FecHeader;
import kcp.fec.OobPacket;
import kcp.net.SnmpField;

/**
 * kcp-go's packet pipeline for one session (sess.go, spec 2.1, 5.4, 5.5):
 *
 * <pre>
 *  send:    KCP bytes --> [FEC header, parity every d packets] --> [nonce + CRC32, encrypt] --> UDP
 *  receive: UDP --> Demux [decrypt, CRC32 check; kind at offset 4] --> F1 data / F2 parity --> FEC decoder
 *                                                                   else plain KCP    --> KCP input
 *
 *  datagram: | crypto header (20 CFB, 12 GCM) | FEC header (8) | KCP segments ... | [GCM tag 16] |
 * </pre>
 *
 * A {@link Demux} has opened and classified each received datagram; this class routes its view. Drops are counted
 * where kcp-go counts them: FEC-typed datagrams shorter than 8 bytes in InErrs, KCP rejections in KCPInErrors (by the
 * caller's sink), FEC statistics in the FEC fields; FEC shards the decoder drops as malformed or as duplicates go to
 * InErrs too (kcp-go counts neither).
 *
 * <p>NOT thread-safe: both sides run under the session lock. Buffers: the caller owns every array; parity packets
 * are copied into pooled buffers handed to the {@link TxQueue}. No allocation per packet in steady state.
 */
public final class PacketPipeline {
    /** Where the pipeline delivers KCP packets: regular ones and FEC-recovered ones. */
    @FunctionalInterface
    public interface KcpSink {
        /**
         * Delivers one KCP packet.
         *
         * @param buf     the packet's buffer
         * @param off     its first byte
         * @param len     its length
         * @param regular false for FEC-recovered packets
         * @return true if KCP accepted the packet
         */
        boolean input(byte[] buf, int off, int len, boolean regular);
    }

    private final PacketSealer txSealer;
    private final int cryptHeader;
    private final int trailer;
    private final FecEncoder fecEncoder;
    private final int fecHeader;
    private final Counters counters;
    private FecDecoder fecDecoder;
    private int parityReady;
    private final Counters.Mirror fecRecovered;
    private final Counters.Mirror fecErrs;
    private final Counters.Mirror fecParityShards;
    private final Counters.Mirror fecShortShards;
    private final Counters.Mirror fecFullShards;
    private final Counters.Mirror fecMalformed;
    private final Counters.Mirror fecDuplicates;

    /**
     * Creates the pipeline of one session.
     *
     * @param txSealer     seals outgoing datagrams, or null without crypto
     * @param dataShards   FEC data shards (FEC on if both shard counts are positive)
     * @param parityShards FEC parity shards
     * @param counters     where drops and FEC statistics are counted
     */
    public PacketPipeline(PacketSealer txSealer, int dataShards, int parityShards, Counters counters) {
        this.txSealer = txSealer;
        this.cryptHeader = txSealer == null ? 0 : txSealer.headerSize();
        this.trailer = txSealer == null ? 0 : txSealer.trailerSize();
        boolean fec = dataShards > 0 && parityShards > 0;
        this.fecEncoder = fec ? new FecEncoder(dataShards, parityShards, cryptHeader) : null;
        this.fecDecoder = fec ? new FecDecoder(dataShards, parityShards) : null;
        this.fecHeader = fec ? FecHeader.HEADER_SIZE_PLUS2 : 0;
        this.counters = counters;
        this.fecRecovered = counters.mirror(SnmpField.FEC_RECOVERED);
        this.fecErrs = counters.mirror(SnmpField.FEC_ERRS);
        this.fecParityShards = counters.mirror(SnmpField.FEC_PARITY_SHARDS);
        this.fecShortShards = counters.mirror(SnmpField.FEC_SHORT_SHARDS);
        this.fecFullShards = counters.mirror(SnmpField.FEC_FULL_SHARDS);
        this.fecMalformed = counters.mirror(SnmpField.IN_ERRS);
        this.fecDuplicates = counters.mirror(SnmpField.IN_ERRS);
    }

    /**
     * kcp-go 5.6.1 FEC sending: parity for every group (5.6.1 has no v5.6.72 "skip parity for a group that
     * completed more than 500 ms after its previous packet" rule). No effect without FEC.
     *
     * @param compat true for 5.6.1 behaviour
     */
    public void setCompat561(boolean compat) {
        if (fecEncoder != null) {
            fecEncoder.setParitySkip(!compat);
        }
    }

    /** {@return bytes the pipeline adds to KCP's datagrams: crypto header + trailer + FEC header} */
    public int overheadBytes() {
        return cryptHeader + trailer + fecHeader;
    }

    /**
     * Builds one data datagram from KCP's output. Parity packets that this datagram completes are
     * queued by the next {@link #flushParity} call (so they follow the data datagram, as in kcp-go).
     *
     * @param out   a pooled 1500-byte array that receives the datagram at offset 0
     * @param kcp   KCP's output buffer
     * @param len   KCP bytes
     * @param nowMs current time (FEC parity-skip rule)
     * @return the datagram length
     */
    public int sealData(byte[] out, byte[] kcp, int len, int nowMs) {
        int header = cryptHeader + fecHeader;
        System.arraycopy(kcp, 0, out, header, len);
        int total = header + len;
        if (fecEncoder != null) {
            parityReady = fecEncoder.encode(out, 0, total, nowMs);
        }
        return txSealer == null ? total : txSealer.seal(out, 0, total - cryptHeader);
    }

    /**
     * Builds one OOB datagram (kcp-go v5.6.72 {@code SendOOB}: FEC header with seqid 0xFFFFFFFF and type 0xF3, the
     * conv, the payload, sealed like every datagram). It takes no part in FEC groups and gets no parity.
     *
     * @param out     a pooled 1500-byte array that receives the datagram at offset 0
     * @param conv    the session's conversation id
     * @param payload the payload's source, or null to take it from {@code src}
     * @param off     first payload byte in {@code payload}
     * @param src     the payload as a buffer's remaining bytes (consumed) when {@code payload} is null
     * @param len     payload bytes
     * @return the datagram length
     */
    public int sealOob(byte[] out, int conv, byte[] payload, int off, ByteBuffer src, int len) {
        if (payload != null) {
            System.arraycopy(payload, off, out, cryptHeader + OobPacket.HEADER_SIZE, len);
        } else {
            src.get(out, cryptHeader + OobPacket.HEADER_SIZE, len);
        }
        int n = OobPacket.encode(out, cryptHeader, conv, len);
        return txSealer == null ? n : txSealer.seal(out, 0, n);
    }

    /**
     * Seals and queues the parity packets completed by the last {@link #sealData} call, if any.
     *
     * @param tx   the session's queue
     * @param pool source of the pooled buffers
     */
    public void flushParity(TxQueue tx, BufferPool pool) {
        int n = parityReady;
        parityReady = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer bb = pool.acquire();
            byte[] out = bb.array();
            int len = fecEncoder.parityLength();
            System.arraycopy(fecEncoder.parityBuffer(i), cryptHeader, out, cryptHeader, len - cryptHeader);
            int total = txSealer == null ? len : txSealer.seal(out, 0, len - cryptHeader);
            bb.limit(total);
            tx.add(bb);
        }
    }

    /**
     * Releases what an idle session's pipeline holds only for speed or for FEC recovery: the encoder's shard cache
     * (its interrupted group goes without parity), the decoder's groups and buffers, and the send sealer's scratch.
     * The next packet allocates again. Caller holds the session lock (the decoder runs under it too). The receive
     * sealer (in the {@link Demux}) is left alone: it opens datagrams on the receive loop without the session lock.
     */
    public void trim() {
        if (fecEncoder != null) {
            fecEncoder.trim();
        }
        if (fecDecoder != null) {
            fecDecoder.trim();
        }
        if (txSealer != null) {
            txSealer.trim();
        }
    }

    /**
     * Routes one opened datagram: FEC shards through the decoder (a session without FEC configured creates a (1, 1)
     * decoder that auto-tunes, as kcp-go does), plain KCP to KCP, OOB and malformed FEC datagrams are counted.
     *
     * @param view  the datagram, opened and classified once by a {@link Demux}
     * @param nowMs current time
     * @param sink  receives KCP packets
     */
    public void input(Demux view, int nowMs, KcpSink sink) {
        byte[] buf = view.buffer();
        int off = view.offset();
        int len = view.length();
        counters.increment(SnmpField.IN_PKTS);
        counters.add(SnmpField.IN_BYTES, len);
        switch (view.kind()) {
            case Demux.KCP -> sink.input(buf, off, len, true);
            case Demux.FEC_DATA, Demux.FEC_PARITY -> {
                if (view.kind() == Demux.FEC_DATA) {
                    sink.input(buf, off + FecHeader.HEADER_SIZE_PLUS2, len - FecHeader.HEADER_SIZE_PLUS2, true);
                }
                if (fecDecoder == null) {
                    fecDecoder = new FecDecoder(1, 1);
                }
                int recovered = fecDecoder.decode(buf, off, len, nowMs);
                for (int i = 0; i < recovered; i++) {
                    sink.input(fecDecoder.recovered(i), fecDecoder.recoveredOffset(i), fecDecoder.recoveredLength(i),
                            false);
                }
                syncFecCounters();
            }
            case Demux.OOB -> counters.increment(SnmpField.IN_ERRS); // the engine hands OOB to its OobChannel
            default -> counters.increment(SnmpField.IN_ERRS); // FEC-typed, shorter than the FEC header
        }
    }

    private void syncFecCounters() {
        FecDecoder d = fecDecoder;
        fecRecovered.sync(d.recoveredCount());
        fecErrs.sync(d.errs());
        fecParityShards.sync(d.parityShards());
        fecShortShards.sync(d.shortShards());
        fecFullShards.sync(d.fullShardSets());
        fecMalformed.sync(d.malformed());
        fecDuplicates.sync(d.duplicates());
        counters.set(SnmpField.FEC_SHARD_SET, d.groupsHeld());
        counters.set(SnmpField.FEC_SHARD_MIN, Integer.toUnsignedLong(d.newestGroup()));
    }
}
