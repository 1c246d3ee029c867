package kcp.net;

/**
 * kcp-go's forward error correction settings: Reed-Solomon groups of {@code dataShards} data and
 * {@code parityShards} parity datagrams, validated once. Part of {@link SessionOptions}.
 *
 * @param dataShards   FEC data shards, 0..255; FEC is on when both counts are positive; default 0
 * @param parityShards FEC parity shards, 0..255, data + parity at most 256; {@code (d, 0)} sends no parity but
 *                     still decodes a peer's FEC; {@code (0, p > 0)} is rejected; default 0
 */
public record FecOptions(int dataShards, int parityShards) {
    /** Header bytes FEC puts in front of the KCP bytes of a data packet: seqid 4 + type 2 + size 2. */
    public static final int HEADER_BYTES = 8;

    /** Validates both counts; see the class javadoc. */
    public FecOptions {
        ArqOptions.range("fecDataShards", dataShards, 0, 255);
        ArqOptions.range("fecParityShards", parityShards, 0, 255);
        if (dataShards + parityShards > 256) {
            throw new IllegalArgumentException("fecDataShards + fecParityShards must be <= 256: "
                    + dataShards + " + " + parityShards);
        }
        if (dataShards == 0 && parityShards > 0) {
            throw new IllegalArgumentException("fecDataShards is 0 but fecParityShards is " + parityShards
                    + ": parity needs data shards; use fec(10, 3) for example, or fec(0, 0) for no FEC");
        }
    }

    /** {@return true if FEC is on (both shard counts positive)} */
    public boolean enabled() {
        return dataShards > 0 && parityShards > 0;
    }

    /** {@return the bytes FEC adds to each data datagram: 8 when on, else 0} */
    public int headerBytes() {
        return enabled() ? HEADER_BYTES : 0;
    }
}
