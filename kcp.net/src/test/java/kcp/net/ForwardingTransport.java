package kcp.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A transport that hands every call to another one; tests extend it and override {@link #send} to watch or hold
 * what a session sends.
 */
abstract class ForwardingTransport implements DatagramTransport {
    final DatagramTransport inner;

    ForwardingTransport(DatagramTransport inner) {
        this.inner = inner;
    }

    @Override
    public InetSocketAddress localAddress() {
        return inner.localAddress();
    }

    @Override
    public void start(Receiver receiver, ReceiveThreadKind threadKind) {
        inner.start(receiver, threadKind);
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        inner.send(datagram, to);
    }

    @Override
    public void setBuffers(int readBytes, int writeBytes) throws IOException {
        inner.setBuffers(readBytes, writeBytes);
    }

    @Override
    public void setDscp(int dscp, InetSocketAddress peer) throws IOException {
        inner.setDscp(dscp, peer);
    }

    @Override
    public void close() {
        inner.close();
    }
}
