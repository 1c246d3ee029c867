package kcp.smux;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one smux session, with xtaci/smux's defaults and its validation rules. Both ends of a
 * session must use the same {@code version}; the other values are local.
 *
 * <p>Instances are immutable: start from {@link #defaults()} and change one value at a time with the
 * {@code with...} methods. Every constructor call is validated and fails with an
 * {@link IllegalArgumentException} that names the field and says what it accepts.
 *
 * @param version the smux protocol version, 1 or 2; version 2 adds per-stream flow control
 * @param keepAliveDisabled true to send no keepalive frames and never time the session out for silence
 * @param keepAliveInterval how often a keepalive (NOP) frame is sent
 * @param keepAliveTimeout how long the session may hear nothing from its peer before it is closed; at
 *     least {@code keepAliveInterval}
 * @param maxFrameSize the largest data frame this end sends, in bytes, 1 to 65535
 * @param maxReceiveBuffer the bytes that may wait in the session for the application to read, over all
 *     streams; when it is full the session stops reading from the underlying channel
 * @param maxStreamBuffer the bytes one stream may have in flight towards its peer (version 2), at most
 *     {@code maxReceiveBuffer}
 */
public record SmuxConfig(
        int version,
        boolean keepAliveDisabled,
        Duration keepAliveInterval,
        Duration keepAliveTimeout,
        int maxFrameSize,
        int maxReceiveBuffer,
        int maxStreamBuffer) {

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException if a value is out of range; the message names the field
     * @throws NullPointerException if a duration is null
     */
    public SmuxConfig {
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("version must be 1 or 2, got " + version);
        }
        if (!keepAliveDisabled) {
            if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
                throw new IllegalArgumentException("keepAliveInterval must be positive, got " + keepAliveInterval
                        + " (set keepAliveDisabled to send no keepalives)");
            }
            if (keepAliveTimeout.compareTo(keepAliveInterval) < 0) {
                throw new IllegalArgumentException("keepAliveTimeout (" + keepAliveTimeout
                        + ") must be at least keepAliveInterval (" + keepAliveInterval + ")");
            }
        }
        if (maxFrameSize <= 0 || maxFrameSize > 65535) {
            throw new IllegalArgumentException("maxFrameSize must be 1 to 65535 bytes, got " + maxFrameSize);
        }
        if (maxReceiveBuffer <= 0) {
            throw new IllegalArgumentException("maxReceiveBuffer must be positive, got " + maxReceiveBuffer);
        }
        if (maxStreamBuffer <= 0) {
            throw new IllegalArgumentException("maxStreamBuffer must be positive, got " + maxStreamBuffer);
        }
        if (maxStreamBuffer > maxReceiveBuffer) {
            throw new IllegalArgumentException("maxStreamBuffer (" + maxStreamBuffer
                    + ") must not be larger than maxReceiveBuffer (" + maxReceiveBuffer + ")");
        }
    }

    /**
     * Returns xtaci/smux's defaults: version 1, keepalive every 10 s with a 30 s timeout, 32 KiB frames, a
     * 4 MiB session receive buffer and a 64 KiB stream buffer.
     *
     * @return the default configuration
     */
    public static SmuxConfig defaults() {
        return new SmuxConfig(1, false, Duration.ofSeconds(10), Duration.ofSeconds(30), 32768, 4194304, 65536);
    }

    /**
     * Returns a copy with another protocol version.
     *
     * @param v 1 or 2
     * @return the new configuration
     */
    public SmuxConfig withVersion(int v) {
        return new SmuxConfig(v, keepAliveDisabled, keepAliveInterval, keepAliveTimeout, maxFrameSize,
                maxReceiveBuffer, maxStreamBuffer);
    }

    /**
     * Returns a copy with keepalive on or off.
     *
     * @param disabled true to send no keepalive frames and never time out for silence
     * @return the new configuration
     */
    public SmuxConfig withKeepAliveDisabled(boolean disabled) {
        return new SmuxConfig(version, disabled, keepAliveInterval, keepAliveTimeout, maxFrameSize,
                maxReceiveBuffer, maxStreamBuffer);
    }

    /**
     * Returns a copy with another keepalive interval and timeout.
     *
     * @param interval how often a keepalive frame is sent
     * @param timeout how long the peer may stay silent, at least {@code interval}
     * @return the new configuration
     */
    public SmuxConfig withKeepAlive(Duration interval, Duration timeout) {
        return new SmuxConfig(version, keepAliveDisabled, interval, timeout, maxFrameSize, maxReceiveBuffer,
                maxStreamBuffer);
    }

    /**
     * Returns a copy with another largest frame size.
     *
     * @param bytes 1 to 65535
     * @return the new configuration
     */
    public SmuxConfig withMaxFrameSize(int bytes) {
        return new SmuxConfig(version, keepAliveDisabled, keepAliveInterval, keepAliveTimeout, bytes,
                maxReceiveBuffer, maxStreamBuffer);
    }

    /**
     * Returns a copy with other buffer sizes.
     *
     * @param receiveBytes the session-wide receive buffer
     * @param streamBytes the per-stream buffer, at most {@code receiveBytes}
     * @return the new configuration
     */
    public SmuxConfig withBuffers(int receiveBytes, int streamBytes) {
        return new SmuxConfig(version, keepAliveDisabled, keepAliveInterval, keepAliveTimeout, maxFrameSize,
                receiveBytes, streamBytes);
    }
}
