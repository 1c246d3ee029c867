package kcp.smux;

import java.io.IOException;

/**
 * Thrown when a snappy-compressed stream is corrupt: a bad checksum, an unknown unskippable chunk type, a chunk or
 * block length out of range, a copy that points outside the data, or a stream that ends inside a chunk. The message
 * names the problem. A {@link SnappyChannel} that threw it stays failed: every later read throws again.
 */
public final class SnappyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the input and where
     */
    public SnappyFormatException(String message) {
        super(message);
    }
}
