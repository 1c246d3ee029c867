package kcp.smux;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

import kcp.smux.internal.Frames;

/** The far end of a pipe driven by hand: writes arbitrary frames, reads and decodes what the session sends. */
final class RawPeer {
    final ByteChannel channel;

    record Frame(int version, int cmd, int sid, byte[] data) {
        int consumed() {
            return Frames.getIntLe(ByteBuffer.wrap(data), 0);
        }

        int window() {
            return Frames.getIntLe(ByteBuffer.wrap(data), 4);
        }
    }

    RawPeer(ByteChannel channel) {
        this.channel = channel;
    }

    void send(int version, int cmd, int sid, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        Frames.putHeader(b, version, cmd, data.length, sid);
        b.put(data).flip();
        writeAll(b);
    }

    void sendRaw(byte[] bytes) throws IOException {
        writeAll(ByteBuffer.wrap(bytes));
    }

    private void writeAll(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    Frame read() throws IOException {
        ByteBuffer h = readFully(8);
        byte[] data = readFully(Frames.length(h, 0)).array();
        return new Frame(Frames.version(h, 0), Frames.cmd(h, 0), Frames.streamId(h, 0), data);
    }

    /** Reads frames, skipping NOPs, until one with {@code cmd} arrives. */
    Frame readUntil(int cmd) throws IOException {
        while (true) {
            Frame f = read();
            if (f.cmd() == cmd) {
                return f;
            }
        }
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("pipe closed after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }
}
