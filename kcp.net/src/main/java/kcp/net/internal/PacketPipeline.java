package kcp.net.internal;

import java.nio.ByteBuffer;

import kcp.crypto.PacketSealer;
import kcp.fec.FecDecoder;
import kcp.fec.FecEncoder;
import kcp.fec.FecHeader;
import kcp.net.SnmpField;

/**
 * kcp-go's packet pipeline for one session (sess.go, spec 2.1, 5.4, 5.5):
 *
 * <pre>
 *  send:    KCP bytes --> [FEC header, parity every d packets] --> [nonce + CRC32, encrypt] --> UDP
 *  receive: UDP --> [decrypt, CRC32 check] --> u16 at offset 4: F1 data / F2 parity --> FEC decoder
 *                                                                  else plain KCP    --> KCP input
 *
 *  datagram: | crypto header (20 CFB, 12 GCM) | FEC header (8) | KCP segments ... | [GCM tag 16] |
 * </pre>
 *
 * Drops are counted where kcp-go counts them: CRC/AEAD failures in InCsumErrors, FEC-typed datagrams
 * shorter than 8 bytes in InErrs, KCP rejections in KCPInErrors (by the caller's sink), FEC statistics in
 * the FEC fields. Datagrams too short to carry a crypto header are dropped uncounted, as kcp-go does.
 *
 * <p>NOT thread-safe: the send side runs under the session lock, the receive side on the socket's receive
 * loop (also under the session lock when feeding KCP). Buffers: the caller owns every array; parity packets
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
    private final PacketSealer rxSealer;
    private final int cryptHeader;
    private final int trailer;
    private final FecEncoder fecEncoder;
    private final int fecHeader;
    private final Counters counters;
    private FecDecoder fecDecoder;
    private int parityReady;
    private final long[] fecSeen = new long[5];

    /**
     * Creates the pipeline of one session (or, with only {@code rxSealer}, a listener's opener).
     *
     * @param txSealer     seals outgoing datagrams, or null without crypto
     * @param rxSealer     opens incoming datagrams, or null (no crypto, or a listener opens them)
     * @param dataShards   FEC data shards (FEC on if both shard counts are positive)
     * @param parityShards FEC parity shards
     * @param counters     where drops and FEC statistics are counted
     */
    public PacketPipeline(PacketSealer txSealer, PacketSealer rxSealer, int dataShards, int parityShards,
            Counters counters) {
        this.txSealer = txSealer;
        this.rxSealer = rxSealer;
        PacketSealer any = txSealer != null ? txSealer : rxSealer;
        this.cryptHeader = any == null ? 0 : any.headerSize();
        this.trailer = any == null ? 0 : any.trailerSize();
        boolean fec = dataShards > 0 && parityShards > 0;
        this.fecEncoder = fec ? new FecEncoder(dataShards, parityShards, cryptHeader) : null;
        this.fecDecoder = fec ? new FecDecoder(dataShards, parityShards) : null;
        this.fecHeader = fec ? FecHeader.HEADER_SIZE_PLUS2 : 0;
        this.counters = counters;
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

    /**
     * Returns bytes the pipeline adds to KCP's datagrams: crypto header + trailer + FEC header.
     *
     * @return bytes the pipeline adds to KCP's datagrams: crypto header + trailer + FEC header
     */
    public int overheadBytes() {
        return cryptHeader + trailer + fecHeader;
    }

    /**
     * Returns where the plaintext starts in a datagram opened by {@link #open}.
     *
     * @return where the plaintext starts in a datagram opened by {@link #open}
     */
    public int plainOffset() {
        return cryptHeader;
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
     * sealer is left alone: a client session opens datagrams on its receive loop without the session lock.
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
     * Opens a received datagram in place.
     *
     * @param buf the datagram at offset 0
     * @param len its length
     * @return the plaintext length (plaintext at {@link #plainOffset()}), or -1 if dropped (counted)
     */
    public int open(byte[] buf, int len) {
        if (rxSealer == null) {
            return len;
        }
        if (len < cryptHeader + trailer) {
            return -1;
        }
        int n = rxSealer.open(buf, 0, len);
        if (n < 0) {
            counters.increment(SnmpField.IN_CSUM_ERRORS);
        }
        return n;
    }

    /**
     * Routes one plaintext datagram: FEC packets through the decoder (a session without FEC configured
     * creates a (1, 1) decoder that auto-tunes, as kcp-go does), everything else to KCP.
     *
     * @param buf   the datagram
     * @param off   start of the plaintext (FEC header or KCP segment)
     * @param len   plaintext length
     * @param nowMs current time
     * @param sink  receives KCP packets
     */
    public void input(byte[] buf, int off, int len, int nowMs, KcpSink sink) {
        counters.increment(SnmpField.IN_PKTS);
        counters.add(SnmpField.IN_BYTES, len);
        int type = len >= 6 ? (buf[off + 4] & 0xFF) | (buf[off + 5] & 0xFF) << 8 : 0;
        if (type == FecHeader.TYPE_DATA || type == FecHeader.TYPE_PARITY) {
            if (len < FecHeader.HEADER_SIZE_PLUS2) {
                counters.increment(SnmpField.IN_ERRS);
                return;
            }
            if (type == FecHeader.TYPE_DATA) {
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
        } else if (type == 0xF3) {
            counters.increment(SnmpField.OOB_PACKETS);
        } else {
            sink.input(buf, off, len, true);
        }
    }

    private void syncFecCounters() {
        FecDecoder d = fecDecoder;
        fecDelta(0, d.recoveredCount(), SnmpField.FEC_RECOVERED);
        fecDelta(1, d.errs(), SnmpField.FEC_ERRS);
        fecDelta(2, d.parityShards(), SnmpField.FEC_PARITY_SHARDS);
        fecDelta(3, d.shortShards(), SnmpField.FEC_SHORT_SHARDS);
        fecDelta(4, d.fullShardSets(), SnmpField.FEC_FULL_SHARDS);
        counters.set(SnmpField.FEC_SHARD_SET, d.groupsHeld());
        counters.set(SnmpField.FEC_SHARD_MIN, Integer.toUnsignedLong(d.newestGroup()));
    }

    private void fecDelta(int i, long now, SnmpField field) {
        long delta = now - fecSeen[i];
        if (delta != 0) {
            fecSeen[i] = now;
            counters.add(field, delta);
        }
    }
}
