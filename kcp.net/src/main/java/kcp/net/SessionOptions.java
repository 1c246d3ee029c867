package kcp.net;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
import kcp.fec.DatagramLayout;

/**
 * Every knob of a KCP session or listener, as one immutable value composed of five small validated records (kcp-go's
 * {@code SetNoDelay}, {@code SetWindowSize}, {@code SetMtu}, ... and the cipher/FEC arguments of
 * {@code DialWithOptions}/{@code ListenWithOptions}): {@link ArqOptions}, {@link FecOptions}, {@link CryptoOptions},
 * {@link SocketOptions} and {@link ListenerOptions}. Build one with {@link #builder()}; each part validates its own
 * fields once, with messages naming the field, the value and the allowed range, and this record checks what spans
 * parts (the MTU must leave room for the crypto and FEC headers). The accessors of every knob ({@link #mtu()},
 * {@link #cipherName()}, ...) stay here; the part records document each knob and its default.
 *
 * <p>Immutable and thread-safe: the key is copied on the way in and on the way out, and kept out of
 * {@link #toString()}. Units are in the names (milliseconds, bytes, bytes per second, packets).
 *
 * @param arq      KCP and liveness knobs
 * @param fec      forward error correction
 * @param crypto   datagram sealing
 * @param socket   socket and sending settings
 * @param listener what only a listener uses
 * @param limits   what strangers can make a socket spend and how fast dead peers are found (issue 15): replay
 *                 filter, listener budgets, embryonic sessions, the accepted sessions' idle timeout, the dead-link
 *                 timeout; default {@link Limits#defaults()}
 */
public record SessionOptions(ArqOptions arq, FecOptions fec, CryptoOptions crypto, SocketOptions socket,
        ListenerOptions listener, Limits limits) {

    /**
     * Bytes a datagram must leave to KCP after the headers: a 24-byte segment header and one data byte (kcp-go v5.6.72,
     * PR #337); the MTU's floor is {@code kcp.fec.DatagramLayout.minMtu(cryptoBytes, fec)}.
     */
    public static final int MIN_KCP_MTU = DatagramLayout.MIN_KCP_MTU;
    /** Longest idle, read, write or accept timeout (keeps nanosecond deadlines far from overflow). */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(100);
    /** Largest datagram kcp-go sends or receives. */
    public static final int MAX_MTU = 1500;

    /** Checks what spans parts: the MTU must leave {@link #MIN_KCP_MTU} bytes to KCP after the headers. */
    public SessionOptions {
        Objects.requireNonNull(arq, "arq");
        Objects.requireNonNull(fec, "fec");
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(limits, "limits (use Limits.defaults())");
        ArqOptions.checkMtu(arq.mtu(), crypto.overheadBytes(), fec.enabled());
    }

    /** {@return KCP {@code nodelay}: minimum RTO 30 ms instead of 100 ms} */
    public boolean noDelay() { return arq.noDelay(); }

    /** {@return the KCP flush interval in ms} */
    public int intervalMs() { return arq.intervalMs(); }

    /** {@return the duplicate-ACK count that triggers a fast retransmit, 0 = off} */
    public int fastResend() { return arq.fastResend(); }

    /** {@return true if KCP ignores the congestion window ({@code nc})} */
    public boolean noCongestionControl() { return arq.noCongestionControl(); }

    /** {@return the send window in packets} */
    public int sndWnd() { return arq.sndWnd(); }

    /** {@return the receive window in packets} */
    public int rcvWnd() { return arq.rcvWnd(); }

    /** {@return the datagram size limit in bytes, headers included} */
    public int mtu() { return arq.mtu(); }

    /** {@return true for stream mode (segments merged, no message boundaries)} */
    public boolean streamMode() { return arq.streamMode(); }

    /** {@return true if a write flushes only when the window is full} */
    public boolean writeDelay() { return arq.writeDelay(); }

    /** {@return true if every input flushes its ACKs at once} */
    public boolean ackNoDelay() { return arq.ackNoDelay(); }

    /** {@return how many extra copies of every datagram are sent} */
    public int dup() { return arq.dup(); }

    /** {@return the socket's DSCP, or -1 for the OS default} */
    public int dscp() { return socket.dscp(); }

    /** {@return the socket receive buffer in bytes, 0 = OS default} */
    public int readBufferBytes() { return socket.readBufferBytes(); }

    /** {@return the socket send buffer in bytes, 0 = OS default} */
    public int writeBufferBytes() { return socket.writeBufferBytes(); }

    /** {@return the pacing rate in bytes per second, 0 = unlimited} */
    public long rateLimitBytesPerSec() { return socket.rateLimitBytesPerSec(); }

    /** {@return the FEC data shards per group} */
    public int fecDataShards() { return fec.dataShards(); }

    /** {@return the FEC parity shards per group} */
    public int fecParityShards() { return fec.parityShards(); }

    /** {@return the cipher's name, or null without one} */
    public String cipherName() { return crypto.cipherName(); }

    /** {@return the factory of sealers, or null} */
    public Supplier<PacketSealer> sealerFactory() { return crypto.sealerFactory(); }

    /** {@return the transmissions of one segment that make a link dead, 0 = never} */
    public int deadLinkXmit() { return arq.deadLinkXmit(); }

    /** {@return how long a session may receive nothing before it fails, ZERO = never} */
    public Duration idleTimeout() { return arq.idleTimeout(); }

    /** {@return how long a session stays idle before it releases its caches, ZERO = never} */
    public Duration hibernateAfter() { return arq.hibernateAfter(); }

    /** {@return how long a listener ignores a just-closed conv from the same address} */
    public Duration quietPeriod() { return listener.quietPeriod(); }

    /** {@return how many new sessions may wait for {@code accept()}} */
    public int acceptBacklog() { return listener.acceptBacklog(); }

    /** {@return the thread kind of the receive loops} */
    public ReceiveThreadKind receiveThread() { return socket.receiveThread(); }

    /** {@return true for kcp-go 5.6.1 behaviour} */
    public boolean compat561() { return arq.compat561(); }

    /** {@return a copy of the cipher key, or null without crypto} */
    public byte[] key() {
        return crypto.key();
    }

    /** {@return true if datagrams are sealed (cipherName or sealerFactory set)} */
    public boolean cryptoEnabled() { return crypto.enabled(); }

    /** {@return a new sealer for one direction of one session, or null without crypto} */
    public PacketSealer newSealer() { return crypto.newSealer(); }

    /** {@return the options kcp-go uses when nothing is set (plus this library's documented defaults)} */
    public static SessionOptions defaults() {
        return builder().build();
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this value's settings} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return true if FEC is on (both shard counts positive)} */
    public boolean fecEnabled() { return fec.enabled(); }

    /** {@return the bytes each data datagram adds around the KCP bytes (crypto header and trailer, FEC header)} */
    public int headerBytes() {
        return crypto.overheadBytes() + fec.headerBytes();
    }

    /**
     * Mutable builder for {@link SessionOptions}; not thread-safe. Setters do not validate: {@link #build()}
     * validates everything at once and names the first bad field.
     */
    public static final class Builder extends OptionsDraft {
        private Builder() {
        }

        private Builder(SessionOptions o) {
            copyFrom(o);
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
         * Sets the four no-delay knobs from a kcptun preset ({@code normal}, {@code fast}, {@code fast2}, {@code
         * fast3}).
         *
         * @param mode a kcptun preset; sets the four no-delay knobs
         * @return this builder
         */
        public Builder mode(KcpMode mode) {
            return noDelay(mode.noDelay(), mode.intervalMs(), mode.fastResend(), mode.noCongestionControl());
        }

        /**
         * Sets the send and receive windows in packets (kcp-go {@code SetWindowSize}).
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
         * Sets the largest datagram the session sends, headers included (kcp-go {@code SetMtu}).
         *
         * @param mtu datagram size limit in bytes
         * @return this builder
         */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /**
         * Chooses stream mode (segments merged, no message boundaries) or message mode.
         *
         * @param streamMode true for stream mode
         * @return this builder
         */
        public Builder streamMode(boolean streamMode) {
            this.streamMode = streamMode;
            return this;
        }

        /**
         * Lets a write return without flushing while the send window has room; the next tick sends.
         *
         * @param writeDelay true to let writes skip the flush while the window has room
         * @return this builder
         */
        public Builder writeDelay(boolean writeDelay) {
            this.writeDelay = writeDelay;
            return this;
        }

        /**
         * Makes every input flush its ACKs at once instead of at the next tick.
         *
         * @param ackNoDelay true to flush ACKs on every input
         * @return this builder
         */
        public Builder ackNoDelay(boolean ackNoDelay) {
            this.ackNoDelay = ackNoDelay;
            return this;
        }

        /**
         * Sends every datagram this many extra times (kcp-go {@code SetDUP}, for lossy-link tests).
         *
         * @param dup extra copies of every datagram
         * @return this builder
         */
        public Builder dup(int dup) {
            this.dup = dup;
            return this;
        }

        /**
         * Sets the DSCP of the socket's IPv4 TOS or IPv6 traffic class (kcp-go {@code SetDSCP}).
         *
         * @param dscp 0..63, or -1 for the OS default
         * @return this builder
         */
        public Builder dscp(int dscp) {
            this.dscp = dscp;
            return this;
        }

        /**
         * Sets the socket's receive and send buffer sizes (kcp-go {@code SetReadBuffer}/{@code SetWriteBuffer}).
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
         * Paces sends with a token bucket of 96,000 bytes (kcp-go v5.6.35 {@code SetRateLimit}).
         *
         * @param bytesPerSec pacing rate, 0 = unlimited
         * @return this builder
         */
        public Builder rateLimit(long bytesPerSec) {
            this.rateLimitBytesPerSec = bytesPerSec;
            return this;
        }

        /**
         * Turns FEC on with {@code dataShards} data and {@code parityShards} parity shards per group, or off with (0,
         * 0); (d, 0) decodes a peer's FEC without sending parity.
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
         * Encrypts every datagram with the named cipher and key, or turns crypto off with {@code cipher(null, null)}.
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
         * Makes each session's sealers with {@code factory} instead of a cipher name (for example with an injected
         * nonce source).
         *
         * @param factory makes one sealer per session and direction (instead of a cipher name), or null
         * @return this builder
         */
        public Builder sealerFactory(Supplier<PacketSealer> factory) {
            this.sealerFactory = factory;
            return this;
        }

        /**
         * Fails a session once one segment has been sent this many times without an acknowledgement (the default,
         * 20, takes 38 s without nodelay and 20.9 s with it while the RTO is the initial 200 ms).
         *
         * @param xmit transmissions that make a link dead, 0 = never
         * @return this builder
         */
        public Builder deadLinkXmit(int xmit) {
            this.deadLinkXmit = xmit;
            return this;
        }

        /**
         * Fails a session that receives nothing for this long (kcp-go has no such timeout).
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
         * Sets how long a listener ignores a just-closed session's conv from the same address instead of starting a
         * ghost session.
         *
         * @param period ghost-session guard after a listener session closes
         * @return this builder
         */
        public Builder quietPeriod(Duration period) {
            this.quietPeriod = period;
            return this;
        }

        /**
         * Sets how many new sessions may wait for {@code accept()}; more are dropped until the application accepts.
         *
         * @param backlog sessions waiting for accept
         * @return this builder
         */
        public Builder acceptBacklog(int backlog) {
            this.acceptBacklog = backlog;
            return this;
        }

        /**
         * Turns a listener's connection migration on or off (off by default; see {@link ListenerOptions#migration()}).
         *
         * @param on true to move a session to a new source address on an authenticated datagram (needs a cipher)
         * @return this builder
         */
        public Builder migration(boolean on) {
            this.migration = on;
            return this;
        }

        /**
         * Chooses platform or virtual threads for the sockets' receive loops.
         *
         * @param kind thread kind of the receive loops
         * @return this builder
         */
        public Builder receiveThread(ReceiveThreadKind kind) {
            this.receiveThread = kind;
            return this;
        }

        /**
         * Selects kcp-go 5.6.1 behaviour: its KCP timing (same wire bytes) and FEC parity for every group.
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
            return assemble();
        }
    }
}
