package kcp.net;

import java.util.Objects;

/**
 * Settings of the UDP socket and of sending (kcp-go's {@code SetDSCP}, {@code SetReadBuffer},
 * {@code SetWriteBuffer}, {@code SetRateLimit}), validated once. The socket settings apply to sockets the
 * {@link Kcps} factories open; a transport you pass in is yours to configure. Part of {@link SessionOptions}.
 *
 * @param dscp                 DSCP for the socket's TOS / traffic class, 0..63, or -1 to leave the OS default;
 *                             default -1 (kcp-go: client sessions only)
 * @param readBufferBytes      socket receive buffer in bytes, 0 = OS default; default 0
 * @param writeBufferBytes     socket send buffer in bytes, 0 = OS default; default 0
 * @param rateLimitBytesPerSec pacing rate (token bucket, burst 96000 bytes), 0 = unlimited; default 0
 * @param receiveThread        thread kind of each socket's receive loop; default {@link ReceiveThreadKind#PLATFORM}
 */
public record SocketOptions(int dscp, int readBufferBytes, int writeBufferBytes, long rateLimitBytesPerSec,
        ReceiveThreadKind receiveThread) {

    /** Validates every component; see the class javadoc. */
    public SocketOptions {
        if (dscp != -1) {
            ArqOptions.range("dscp (or -1 for the OS default)", dscp, 0, 63);
        }
        checkBuffers(readBufferBytes, writeBufferBytes);
        if (rateLimitBytesPerSec < 0) {
            throw new IllegalArgumentException("rateLimitBytesPerSec must be >= 0 (0 = unlimited): "
                    + rateLimitBytesPerSec);
        }
        Objects.requireNonNull(receiveThread, "receiveThread");
    }

    static void checkDscp(int dscp) {
        ArqOptions.range("dscp", dscp, 0, 63);
    }

    static void checkBuffers(int readBytes, int writeBytes) {
        ArqOptions.range("readBufferBytes (0 = OS default)", readBytes, 0, Integer.MAX_VALUE);
        ArqOptions.range("writeBufferBytes (0 = OS default)", writeBytes, 0, Integer.MAX_VALUE);
    }
}
