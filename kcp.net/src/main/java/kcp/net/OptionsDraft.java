package kcp.net;

import java.time.Duration;
import java.util.function.Supplier;

import kcp.crypto.PacketSealer;

/**
 * What a {@link SessionOptions.Builder} holds, with every default, and how it becomes the six validated parts of a
 * {@link SessionOptions}: the builder's setters (the API, documented there) only store values here, and
 * {@link #assemble()} validates them part by part. Not thread-safe, like the builder.
 */
abstract class OptionsDraft {
    boolean noDelay;
    int intervalMs = 100;
    int fastResend;
    boolean noCongestionControl;
    int sndWnd = 32;
    int rcvWnd = 32;
    int mtu = 1400;
    boolean streamMode;
    boolean writeDelay;
    boolean ackNoDelay;
    int dup;
    int dscp = -1;
    int readBufferBytes;
    int writeBufferBytes;
    long rateLimitBytesPerSec;
    int fecDataShards;
    int fecParityShards;
    String cipherName;
    byte[] key;
    Supplier<PacketSealer> sealerFactory;
    int deadLinkXmit = 20;
    Duration idleTimeout = Duration.ZERO;
    Duration hibernateAfter = Duration.ofSeconds(5);
    Duration quietPeriod = Duration.ofSeconds(5);
    int acceptBacklog = 128;
    boolean migration;
    ReceiveThreadKind receiveThread = ReceiveThreadKind.PLATFORM;
    boolean compat561;
    Limits limits = Limits.defaults();

    /** Takes every setting of {@code o} (its key is copied by {@link CryptoOptions#key()}). */
    final void copyFrom(SessionOptions o) {
        ArqOptions a = o.arq();
        noDelay = a.noDelay();
        intervalMs = a.intervalMs();
        fastResend = a.fastResend();
        noCongestionControl = a.noCongestionControl();
        sndWnd = a.sndWnd();
        rcvWnd = a.rcvWnd();
        mtu = a.mtu();
        streamMode = a.streamMode();
        writeDelay = a.writeDelay();
        ackNoDelay = a.ackNoDelay();
        dup = a.dup();
        deadLinkXmit = a.deadLinkXmit();
        idleTimeout = a.idleTimeout();
        hibernateAfter = a.hibernateAfter();
        compat561 = a.compat561();
        SocketOptions s = o.socket();
        dscp = s.dscp();
        readBufferBytes = s.readBufferBytes();
        writeBufferBytes = s.writeBufferBytes();
        rateLimitBytesPerSec = s.rateLimitBytesPerSec();
        receiveThread = s.receiveThread();
        fecDataShards = o.fec().dataShards();
        fecParityShards = o.fec().parityShards();
        cipherName = o.crypto().cipherName();
        key = o.crypto().key();
        sealerFactory = o.crypto().sealerFactory();
        quietPeriod = o.listener().quietPeriod();
        acceptBacklog = o.listener().acceptBacklog();
        migration = o.listener().migration();
        limits = o.limits();
    }

    /** Validates every part (each names its first bad field) and the MTU across parts, and builds the options. */
    final SessionOptions assemble() {
        ArqOptions arq = new ArqOptions(noDelay, intervalMs, fastResend, noCongestionControl, sndWnd, rcvWnd, mtu,
                streamMode, writeDelay, ackNoDelay, dup, deadLinkXmit, idleTimeout, hibernateAfter, compat561);
        SocketOptions socket = new SocketOptions(dscp, readBufferBytes, writeBufferBytes, rateLimitBytesPerSec,
                receiveThread);
        FecOptions fec = new FecOptions(fecDataShards, fecParityShards);
        CryptoOptions crypto = new CryptoOptions(cipherName, key, sealerFactory);
        ListenerOptions listener = new ListenerOptions(quietPeriod, acceptBacklog, migration);
        return new SessionOptions(arq, fec, crypto, socket, listener, limits);
    }
}
