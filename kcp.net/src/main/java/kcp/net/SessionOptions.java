package kcp.net;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;

/**
 * Every knob of a KCP session or listener, as one immutable, validated value (kcp-go's
 * {@code SetNoDelay}, {@code SetWindowSize}, {@code SetMtu}, ... and the cipher/FEC arguments of
 * {@code DialWithOptions}/{@code ListenWithOptions}, spec 5.3). Build one with {@link #builder()};
 * the canonical constructor validates every component and throws {@link IllegalArgumentException}
 * naming the field, the value and the allowed range.
 *
 * <p>Immutable and thread-safe: the {@code key} array is copied on the way in and on the way out.
 * Units are in the component names (milliseconds, bytes, bytes per second, packets).
 *
 * @param noDelay              KCP {@code nodelay}: minimum RTO 30 ms instead of 100 ms; default false
 * @param intervalMs           KCP flush interval, 10..5000 ms; default 100
 * @param fastResend           duplicate-ACK count that triggers a fast retransmit, 0 (off)..65535; default 0
 * @param noCongestionControl  KCP {@code nc}: ignore the congestion window; default false
 * @param sndWnd               send window in packets, 1..65535; default 32
 * @param rcvWnd               receive window in packets, 1..65535 (u16 on the wire); default 32
 * @param mtu                  datagram size limit in bytes, 50..1500, and at least 50 bytes above the
 *                             crypto/FEC header; default 1400
 * @param streamMode           stream mode (segments merged, no message boundaries); default false
 * @param writeDelay           if true a write does not flush unless the window is full; default false
 * @param ackNoDelay           flush ACKs immediately on every input; default false
 * @param dup                  send every datagram this many extra times (testing), 0..8; default 0
 * @param dscp                 DSCP for the socket's TOS / traffic class, 0..63, or -1 to leave the OS
 *                             default; default -1 (kcp-go: client sessions only)
 * @param readBufferBytes      socket receive buffer in bytes, 0 = OS default; default 0
 * @param writeBufferBytes     socket send buffer in bytes, 0 = OS default; default 0
 * @param rateLimitBytesPerSec pacing rate (token bucket, burst 96000 bytes), 0 = unlimited; default 0
 * @param fecDataShards        FEC data shards; FEC is on when both shard counts are positive; default 0
 * @param fecParityShards      FEC parity shards; data + parity at most 256; default 0
 * @param cipherName           a {@link PacketSealer#forName} name (kcp-go's CFB family, "none",
 *                             "aes-128-gcm" ...), or null for no crypto at all (not the same as
 *                             {@code "none"}, which keeps nonce + CRC); default null
 * @param key                  cipher key bytes (copied), required when {@code cipherName} is set
 * @param sealerFactory        alternative to {@code cipherName}: makes one {@link PacketSealer} per session
 *                             and direction (e.g. with an injected nonce source); default null
 * @param deadLinkXmit         transmissions of one segment after which the link counts as dead and
 *                             reads/writes fail with an IOException, 0 = never (kcp-go's passive
 *                             behaviour), 1..1000; default 20 (ikcp's IKCP_DEADLINK)
 * @param idleTimeout          a session that receives nothing for this long fails its reads and writes,
 *                             {@link Duration#ZERO} = off, at most 100 days; default off
 * @param hibernateAfter       a session with nothing to send, nothing in flight and no input for this long releases
 *                             the memory it keeps only for speed (free segments, flush buffer, FEC shard caches
 *                             and part-filled groups, cipher scratch) until it is busy again; an interrupted FEC
 *                             group is sent without parity. {@link Duration#ZERO} = never, at most 100 days;
 *                             default 5 s
 * @param quietPeriod          listener only: how long packets carrying a just-closed session's conv from
 *                             the same address are ignored instead of spawning a ghost session,
 *                             0..1 h; default 5 s
 * @param acceptBacklog        listener only: sessions waiting for {@code accept()}, 1..65536; default 128
 * @param receiveThread        thread kind of each socket's receive loop; default
 *                             {@link ReceiveThreadKind#PLATFORM}
 * @param compat561            kcp-go 5.6.1 behaviour: KCP timing (same wire bytes) and FEC parity for every
 *                             group; default false (v5.6.72)
 * @param limits               replay filter, listener budgets, embryonic sessions, the accepted sessions' idle
 *                             timeout and the dead-link timeout; default {@link Limits#defaults()}
 */
public record SessionOptions(
        boolean noDelay, int intervalMs, int fastResend, boolean noCongestionControl,
        int sndWnd, int rcvWnd, int mtu, boolean streamMode, boolean writeDelay, boolean ackNoDelay,
        int dup, int dscp, int readBufferBytes, int writeBufferBytes, long rateLimitBytesPerSec,
        int fecDataShards, int fecParityShards, String cipherName, byte[] key,
        Supplier<PacketSealer> sealerFactory, int deadLinkXmit, Duration idleTimeout, Duration hibernateAfter,
        Duration quietPeriod, int acceptBacklog,
        ReceiveThreadKind receiveThread, boolean compat561, Limits limits) {

    /** Header bytes a CFB-family cipher (or "none") puts in front of every datagram: nonce 16 + CRC 4. */
    public static final int CRYPT_HEADER_BYTES = 20;
    /** Header bytes FEC puts in front of the KCP bytes of a data packet: seqid 4 + type 2 + size 2. */
    public static final int FEC_HEADER_BYTES = 8;
    /** Smallest number of bytes a datagram must leave to KCP after the crypto/FEC header. */
    public static final int MIN_KCP_MTU = 50;
    /** Longest idle, read, write or accept timeout (keeps nanosecond deadlines far from overflow). */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(100);
    /** Largest datagram kcp-go sends or receives. */
    public static final int MAX_MTU = 1500;

    /** Validates every component; see the class javadoc for the ranges. */
    public SessionOptions {
        checkNoDelay(intervalMs, fastResend);
        checkWindows(sndWnd, rcvWnd);
        range("mtu", mtu, MIN_KCP_MTU, MAX_MTU);
        checkDup(dup);
        if (dscp != -1) {
            range("dscp (or -1 for the OS default)", dscp, 0, 63);
        }
        checkBuffers(readBufferBytes, writeBufferBytes);
        if (rateLimitBytesPerSec < 0) {
            throw new IllegalArgumentException("rateLimitBytesPerSec must be >= 0 (0 = unlimited): "
                    + rateLimitBytesPerSec);
        }
        checkFec(fecDataShards, fecParityShards);
        checkCipher(cipherName, key, sealerFactory);
        key = key == null ? null : key.clone();
        range("deadLinkXmit (0 = never)", deadLinkXmit, 0, 1000);
        checkDuration("idleTimeout", idleTimeout, "none", " (0 = off)");
        checkDuration("hibernateAfter", hibernateAfter, "never", " (0 = never)");
        Objects.requireNonNull(quietPeriod, "quietPeriod (use Duration.ZERO for none)");
        if (quietPeriod.isNegative() || quietPeriod.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("quietPeriod must be in [0, 1h]: " + quietPeriod);
        }
        range("acceptBacklog", acceptBacklog, 1, 65536);
        Objects.requireNonNull(receiveThread, "receiveThread");
        Objects.requireNonNull(limits, "limits (use Limits.defaults())");
        checkMtu(mtu, cryptOverhead(cipherName, sealerFactory) + (fecDataShards > 0 && fecParityShards > 0
                ? FEC_HEADER_BYTES : 0));
    }

    /** Validates a read, write or accept timeout and returns it in nanoseconds. */
    static long checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout (use Duration.ZERO for none)");
        if (timeout.isNegative() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be in [0, 100 days] (0 = none): " + timeout);
        }
        return timeout.toNanos();
    }

    static void checkNoDelay(int intervalMs, int fastResend) {
        range("intervalMs", intervalMs, 10, 5000);
        range("fastResend", fastResend, 0, 65535);
    }

    static void checkWindows(int sndWnd, int rcvWnd) {
        range("sndWnd", sndWnd, 1, 65535);
        range("rcvWnd", rcvWnd, 1, 65535);
    }

    static void checkDup(int dup) {
        range("dup", dup, 0, 8);
    }

    static void checkDscp(int dscp) {
        range("dscp", dscp, 0, 63);
    }

    static void checkBuffers(int readBytes, int writeBytes) {
        range("readBufferBytes (0 = OS default)", readBytes, 0, Integer.MAX_VALUE);
        range("writeBufferBytes (0 = OS default)", writeBytes, 0, Integer.MAX_VALUE);
    }

    /** The MTU must leave {@link #MIN_KCP_MTU} bytes to KCP after {@code header} bytes of crypto and FEC. */
    static void checkMtu(int mtu, int header) {
        range("mtu", mtu, MIN_KCP_MTU, MAX_MTU);
        if (mtu - header < MIN_KCP_MTU) {
            throw new IllegalArgumentException("mtu " + mtu + " leaves " + (mtu - header) + " bytes to KCP after the "
                    + header + "-byte crypto/FEC header; need mtu in [" + (header + MIN_KCP_MTU) + ", " + MAX_MTU
                    + "]");
        }
    }

    /** FEC is off (0, 0) or on with both counts positive; one positive count alone is a mistake (issue 16). */
    static void checkFec(int dataShards, int parityShards) {
        range("fecDataShards", dataShards, 0, 255);
        range("fecParityShards", parityShards, 0, 255);
        if (dataShards + parityShards > 256) {
            throw new IllegalArgumentException("fecDataShards + fecParityShards must be <= 256: "
                    + dataShards + " + " + parityShards);
        }
        if (dataShards == 0 && parityShards > 0) {
            throw new IllegalArgumentException("fecDataShards is 0 but fecParityShards is " + parityShards
                    + ": parity needs data shards; use fec(10, 3) for example, or fec(0, 0) for no FEC");
        }
    }

    static void checkCipher(String cipherName, byte[] key, Supplier<PacketSealer> sealerFactory) {
        if (cipherName == null) {
            if (key != null) {
                throw new IllegalArgumentException("a key is set without a cipher name: name the cipher, e.g. "
                        + "cipher(\"aes\", key), or use cipher(null, null) for no crypto");
            }
            return;
        }
        if (sealerFactory != null) {
            throw new IllegalArgumentException("set either cipherName or sealerFactory, not both: cipherName="
                    + cipherName);
        }
        if (key == null) {
            throw new IllegalArgumentException("key must be set when cipherName is set: cipherName="
                    + cipherName + ", key=null");
        }
        try {
            PacketSealer.forName(cipherName, key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cipherName/key rejected: " + e.getMessage(), e);
        }
    }

    private static void checkDuration(String field, Duration value, String zeroWord, String zeroNote) {
        Objects.requireNonNull(value, field + " (use Duration.ZERO for " + zeroWord + ")");
        if (value.isNegative() || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(field + " must be in [0, 100 days]" + zeroNote + ": " + value);
        }
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    private static int cryptOverhead(String cipherName, Supplier<PacketSealer> factory) {
        if (cipherName != null) {
            return cipherName.endsWith("gcm") ? 12 + 16 : CRYPT_HEADER_BYTES;
        }
        if (factory != null) {
            PacketSealer probe = Objects.requireNonNull(factory.get(), "sealerFactory returned null");
            return probe.headerSize() + probe.trailerSize();
        }
        return 0;
    }

    /**
     * Returns true if datagrams are sealed (cipherName or sealerFactory set).
     *
     * @return true if datagrams are sealed (cipherName or sealerFactory set)
     */
    public boolean cryptoEnabled() {
        return cipherName != null || sealerFactory != null;
    }

    /**
     * Returns a new sealer for one direction of one session, or null without crypto.
     *
     * @return a new sealer for one direction of one session, or null without crypto
     */
    public PacketSealer newSealer() {
        if (cipherName != null) {
            return PacketSealer.forName(cipherName, key);
        }
        return sealerFactory == null ? null : sealerFactory.get();
    }

    /**
     * Returns the options kcp-go uses when nothing is set (plus this library's documented defaults).
     *
     * @return the options kcp-go uses when nothing is set (plus this library's documented defaults)
     */
    public static SessionOptions defaults() {
        return builder().build();
    }

    /**
     * Returns a builder holding the defaults.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this value's components.
     *
     * @return a builder holding this value's components
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Returns a copy of the cipher key, or null without crypto.
     *
     * @return a copy of the cipher key, or null without crypto
     */
    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    /**
     * Returns true if FEC is on (both shard counts positive).
     *
     * @return true if FEC is on (both shard counts positive)
     */
    public boolean fecEnabled() {
        return fecDataShards > 0 && fecParityShards > 0;
    }

    /**
     * Returns the bytes the pipeline adds to each data datagram.
     *
     * @return bytes each data datagram adds around the KCP bytes: 0, 8, 20 or 28 for CFB (spec 2.2),
     *     12 + 16 (+ 8) for AES-GCM
     */
    public int headerBytes() {
        return cryptOverhead(cipherName, sealerFactory) + (fecEnabled() ? FEC_HEADER_BYTES : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionOptions other && toBuilder().sameAs(other.toBuilder());
    }

    @Override
    public int hashCode() {
        return Objects.hash(noDelay, intervalMs, fastResend, noCongestionControl, sndWnd, rcvWnd, mtu, streamMode,
                writeDelay, ackNoDelay, dup, dscp, readBufferBytes, writeBufferBytes, rateLimitBytesPerSec,
                fecDataShards, fecParityShards, cipherName, Arrays.hashCode(key), sealerFactory, deadLinkXmit,
                idleTimeout, hibernateAfter, quietPeriod, acceptBacklog, receiveThread, compat561, limits);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "SessionOptions[noDelay=" + noDelay + ", intervalMs=" + intervalMs + ", fastResend=" + fastResend
                + ", noCongestionControl=" + noCongestionControl + ", sndWnd=" + sndWnd + ", rcvWnd=" + rcvWnd
                + ", mtu=" + mtu + ", streamMode=" + streamMode + ", writeDelay=" + writeDelay + ", ackNoDelay="
                + ackNoDelay + ", dup=" + dup + ", dscp=" + dscp + ", readBufferBytes=" + readBufferBytes
                + ", writeBufferBytes=" + writeBufferBytes + ", rateLimitBytesPerSec=" + rateLimitBytesPerSec
                + ", fecDataShards=" + fecDataShards + ", fecParityShards=" + fecParityShards + ", cipherName="
                + cipherName + ", key=" + (key == null ? "null" : "<" + key.length + " bytes>") + ", sealerFactory="
                + (sealerFactory != null) + ", deadLinkXmit="
                + deadLinkXmit + ", idleTimeout=" + idleTimeout + ", hibernateAfter=" + hibernateAfter
                + ", quietPeriod=" + quietPeriod
                + ", acceptBacklog=" + acceptBacklog + ", receiveThread=" + receiveThread + ", compat561="
                + compat561 + ", limits=" + limits + "]";
    }

    /**
     * Mutable builder for {@link SessionOptions}; not thread-safe. Setters do not validate: {@link #build()}
     * validates everything at once and names the first bad field.
     */
    public static final class Builder {
        private boolean noDelay;
        private int intervalMs = 100;
        private int fastResend;
        private boolean noCongestionControl;
        private int sndWnd = 32;
        private int rcvWnd = 32;
        private int mtu = 1400;
        private boolean streamMode;
        private boolean writeDelay;
        private boolean ackNoDelay;
        private int dup;
        private int dscp = -1;
        private int readBufferBytes;
        private int writeBufferBytes;
        private long rateLimitBytesPerSec;
        private int fecDataShards;
        private int fecParityShards;
        private String cipherName;
        private byte[] key;
        private Supplier<PacketSealer> sealerFactory;
        private int deadLinkXmit = 20;
        private Duration idleTimeout = Duration.ZERO;
        private Duration hibernateAfter = Duration.ofSeconds(5);
        private Duration quietPeriod = Duration.ofSeconds(5);
        private int acceptBacklog = 128;
        private ReceiveThreadKind receiveThread = ReceiveThreadKind.PLATFORM;
        private boolean compat561;
        private Limits limits = Limits.defaults();

        private Builder() {
        }

        private Builder(SessionOptions o) {
            noDelay = o.noDelay;
            intervalMs = o.intervalMs;
            fastResend = o.fastResend;
            noCongestionControl = o.noCongestionControl;
            sndWnd = o.sndWnd;
            rcvWnd = o.rcvWnd;
            mtu = o.mtu;
            streamMode = o.streamMode;
            writeDelay = o.writeDelay;
            ackNoDelay = o.ackNoDelay;
            dup = o.dup;
            dscp = o.dscp;
            readBufferBytes = o.readBufferBytes;
            writeBufferBytes = o.writeBufferBytes;
            rateLimitBytesPerSec = o.rateLimitBytesPerSec;
            fecDataShards = o.fecDataShards;
            fecParityShards = o.fecParityShards;
            cipherName = o.cipherName;
            key = o.key;
            sealerFactory = o.sealerFactory;
            deadLinkXmit = o.deadLinkXmit;
            idleTimeout = o.idleTimeout;
            hibernateAfter = o.hibernateAfter;
            quietPeriod = o.quietPeriod;
            acceptBacklog = o.acceptBacklog;
            receiveThread = o.receiveThread;
            compat561 = o.compat561;
            limits = o.limits;
        }

        private boolean sameAs(Builder b) {
            return noDelay == b.noDelay && intervalMs == b.intervalMs && fastResend == b.fastResend
                    && noCongestionControl == b.noCongestionControl && sndWnd == b.sndWnd && rcvWnd == b.rcvWnd
                    && mtu == b.mtu && streamMode == b.streamMode && writeDelay == b.writeDelay
                    && ackNoDelay == b.ackNoDelay && dup == b.dup && dscp == b.dscp
                    && readBufferBytes == b.readBufferBytes && writeBufferBytes == b.writeBufferBytes
                    && rateLimitBytesPerSec == b.rateLimitBytesPerSec && fecDataShards == b.fecDataShards
                    && fecParityShards == b.fecParityShards && Objects.equals(cipherName, b.cipherName)
                    && Arrays.equals(key, b.key) && sealerFactory == b.sealerFactory && deadLinkXmit == b.deadLinkXmit
                    && idleTimeout.equals(b.idleTimeout) && hibernateAfter.equals(b.hibernateAfter)
                    && quietPeriod.equals(b.quietPeriod)
                    && acceptBacklog == b.acceptBacklog && receiveThread == b.receiveThread
                    && compat561 == b.compat561 && limits.equals(b.limits);
        }

        /**
         * kcp-go {@code SetNoDelay(nodelay, interval, resend, nc)} in one call.
         *
         * @param noDelay             minimum RTO 30 ms instead of 100 ms
         * @param intervalMs          flush interval, 10..5000 ms
         * @param fastResend          fast-resend threshold, 0 = off
         * @param noCongestionControl true to ignore the congestion window
         * @return this builder
         */
        public Builder noDelay(boolean noDelay, int intervalMs, int fastResend, boolean noCongestionControl) {
            this.noDelay = noDelay;
            this.intervalMs = intervalMs;
            this.fastResend = fastResend;
            this.noCongestionControl = noCongestionControl;
            return this;
        }

        /**
         * Sets a kcptun preset; sets the four no-delay knobs.
         *
         * @param mode a kcptun preset; sets the four no-delay knobs
         * @return this builder
         */
        public Builder mode(KcpMode mode) {
            return noDelay(mode.noDelay(), mode.intervalMs(), mode.fastResend(), mode.noCongestionControl());
        }

        /**
         * Sets sndWnd and rcvWnd.
         *
         * @param sndWnd send window, packets
         * @param rcvWnd receive window, packets
         * @return this builder
         */
        public Builder windowSize(int sndWnd, int rcvWnd) {
            this.sndWnd = sndWnd;
            this.rcvWnd = rcvWnd;
            return this;
        }

        /**
         * Sets datagram size limit in bytes.
         *
         * @param mtu datagram size limit in bytes
         * @return this builder
         */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /**
         * Sets true for stream mode.
         *
         * @param streamMode true for stream mode
         * @return this builder
         */
        public Builder streamMode(boolean streamMode) {
            this.streamMode = streamMode;
            return this;
        }

        /**
         * Sets true to let writes skip the flush while the window has room.
         *
         * @param writeDelay true to let writes skip the flush while the window has room
         * @return this builder
         */
        public Builder writeDelay(boolean writeDelay) {
            this.writeDelay = writeDelay;
            return this;
        }

        /**
         * Sets true to flush ACKs on every input.
         *
         * @param ackNoDelay true to flush ACKs on every input
         * @return this builder
         */
        public Builder ackNoDelay(boolean ackNoDelay) {
            this.ackNoDelay = ackNoDelay;
            return this;
        }

        /**
         * Sets extra copies of every datagram.
         *
         * @param dup extra copies of every datagram
         * @return this builder
         */
        public Builder dup(int dup) {
            this.dup = dup;
            return this;
        }

        /**
         * Sets 0..63, or -1 for the OS default.
         *
         * @param dscp 0..63, or -1 for the OS default
         * @return this builder
         */
        public Builder dscp(int dscp) {
            this.dscp = dscp;
            return this;
        }

        /**
         * Sets readBytes and writeBytes.
         *
         * @param readBytes receive buffer bytes
         * @param writeBytes send buffer bytes (0 = OS)
         * @return this builder
         */
        public Builder socketBuffers(int readBytes, int writeBytes) {
            this.readBufferBytes = readBytes;
            this.writeBufferBytes = writeBytes;
            return this;
        }

        /**
         * Sets pacing rate, 0 = unlimited.
         *
         * @param bytesPerSec pacing rate, 0 = unlimited
         * @return this builder
         */
        public Builder rateLimit(long bytesPerSec) {
            this.rateLimitBytesPerSec = bytesPerSec;
            return this;
        }

        /**
         * Sets dataShards and parityShards.
         *
         * @param dataShards FEC data shards
         * @param parityShards FEC parity shards (0/0 = off)
         * @return this builder
         */
        public Builder fec(int dataShards, int parityShards) {
            this.fecDataShards = dataShards;
            this.fecParityShards = parityShards;
            return this;
        }

        /**
         * Sets the cipher by name and key.
         *
         * @param cipherName a {@link PacketSealer#forName} name, or null for no crypto
         * @param key        the key bytes (copied), for example {@code KeyDerivation.keyFor(name, ...)}
         * @return this builder
         */
        public Builder cipher(String cipherName, byte[] key) {
            this.cipherName = cipherName;
            this.key = key == null ? null : key.clone();
            return this;
        }

        /**
         * kcptun-style crypto from a passphrase: key = {@code KeyDerivation.keyFor(name,
         * KeyDerivation.kcptun(passphrase))} (PBKDF2-HMAC-SHA1(pass, "kcp-go", 4096, 32), sliced per cipher).
         *
         * @param cipherName a kcp-go cipher name
         * @param passphrase the shared secret
         * @return this builder
         */
        public Builder cipherWithPassphrase(String cipherName, String passphrase) {
            return cipher(cipherName, KeyDerivation.keyFor(cipherName, KeyDerivation.kcptun(passphrase)));
        }

        /**
         * Sets a sealer factory instead of a cipher name.
         *
         * @param factory makes one sealer per session and direction (instead of a cipher name), or null
         * @return this builder
         */
        public Builder sealerFactory(Supplier<PacketSealer> factory) {
            this.sealerFactory = factory;
            return this;
        }

        /**
         * Sets transmissions that make a link dead, 0 = never.
         *
         * @param xmit transmissions that make a link dead, 0 = never
         * @return this builder
         */
        public Builder deadLinkXmit(int xmit) {
            this.deadLinkXmit = xmit;
            return this;
        }

        /**
         * Sets fail a session that receives nothing this long, ZERO = off.
         *
         * @param timeout fail a session that receives nothing this long, ZERO = off
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets how long a session must be idle before it releases its caches ({@code ZERO} = never).
         *
         * @param after idle time before hibernation, default 5 s
         * @return this builder
         */
        public Builder hibernateAfter(Duration after) {
            this.hibernateAfter = after;
            return this;
        }

        /**
         * Sets ghost-session guard after a listener session closes.
         *
         * @param period ghost-session guard after a listener session closes
         * @return this builder
         */
        public Builder quietPeriod(Duration period) {
            this.quietPeriod = period;
            return this;
        }

        /**
         * Sets sessions waiting for accept.
         *
         * @param backlog sessions waiting for accept
         * @return this builder
         */
        public Builder acceptBacklog(int backlog) {
            this.acceptBacklog = backlog;
            return this;
        }

        /**
         * Sets thread kind of the receive loops.
         *
         * @param kind thread kind of the receive loops
         * @return this builder
         */
        public Builder receiveThread(ReceiveThreadKind kind) {
            this.receiveThread = kind;
            return this;
        }

        /**
         * Sets kcp-go 5.6.1 timing.
         *
         * @param compat561 kcp-go 5.6.1 timing
         * @return this builder
         */
        public Builder compat561(boolean compat561) {
            this.compat561 = compat561;
            return this;
        }

        /**
         * Sets what strangers can make a socket spend and how fast dead peers are found (replay filter, listener
         * budgets, embryonic sessions, idle and dead-link timeouts); see {@link Limits}.
         *
         * @param limits the limits, for example {@code Limits.defaults().withMaxSessions(10_000)}
         * @return this builder
         */
        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * Turns the replay filter off or on (on by default with a crypto layer); shorthand for
         * {@code limits(limits().withReplayFilter(on))}.
         *
         * @param on true to drop datagrams whose nonce repeats within the replay window
         * @return this builder
         */
        public Builder replayFilter(boolean on) {
            this.limits = limits.withReplayFilter(on);
            return this;
        }

        /**
         * Fails a session once its oldest unacknowledged segment has waited this long (the time form of
         * {@link #deadLinkXmit(int)}; both apply); shorthand for {@code limits(limits().withDeadLinkTimeout(t))}.
         *
         * @param timeout the longest wait for an acknowledgement, {@link Duration#ZERO} = off (default)
         * @return this builder
         */
        public Builder deadLinkTimeout(Duration timeout) {
            this.limits = limits.withDeadLinkTimeout(timeout);
            return this;
        }

        /**
         * Validates every value and builds the options.
         *
         * @return the validated options
         * @throws IllegalArgumentException naming the first field outside its range
         */
        public SessionOptions build() {
            return new SessionOptions(noDelay, intervalMs, fastResend, noCongestionControl, sndWnd, rcvWnd, mtu,
                    streamMode, writeDelay, ackNoDelay, dup, dscp, readBufferBytes, writeBufferBytes,
                    rateLimitBytesPerSec, fecDataShards, fecParityShards, cipherName, key, sealerFactory, deadLinkXmit,
                    idleTimeout, hibernateAfter, quietPeriod, acceptBacklog, receiveThread, compat561, limits);
        }
    }
}
