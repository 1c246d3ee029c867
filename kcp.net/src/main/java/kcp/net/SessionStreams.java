package kcp.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;

/**
 * {@link InputStream}/{@link OutputStream} views of a {@link KcpSession}. Unlike {@code Channels.newInputStream},
 * they hold no monitor while blocking (virtual threads stay unpinned on JDK 21). Thread-safety: that of the
 * session. Like {@code java.net.Socket}'s streams, reads after {@link KcpSession#close()} throw
 * {@link SocketException}("Socket closed") (once the data received before the close is read), and after a failure
 * they throw the failure. KCP has no FIN, so the input stream never reports end of stream (-1) by itself: the peer's
 * silence ends a session (idle timeout) and surfaces as an {@link IOException}.
 */
final class SessionStreams {
    private SessionStreams() {
    }

    /** Reads from the session. */
    static final class In extends InputStream {
        private final KcpSession session;

        In(KcpSession session) {
            this.session = session;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int available() {
            return session.available();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            return session.read(b, off, len);
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** Writes to the session. */
    static final class Out extends OutputStream {
        private final KcpSession session;

        Out(KcpSession session) {
            this.session = session;
        }

        @Override
        public void write(int b) throws IOException {
            session.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                session.write(b, off, len);
            }
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
