package kcp.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import kcp.crypto.PacketSealer;

/**
 * OOB datagrams between Java sessions over real loopback UDP: a listener's session echoes every OOB payload from its
 * handler and the client takes each echo with a blocking {@code receiveOob}, for every length 0..oobMaxSize under
 * a CFB cipher and AES-GCM, while a reliable transfer runs beside them; and crafted datagrams from a raw
 * {@link DatagramChannel} are dropped and counted by a dialled session. Loopback may lose a datagram under load:
 * a payload that does not come back within a second counts as lost (OOB is never retransmitted), and at most 1% may be.
 */
@Timeout(120)
class OobIT {
    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** A listener whose sessions echo every OOB payload from their handler, and read and echo their stream too. */
    static KcpListener oobEchoServer(SessionOptions o) throws IOException {
        KcpListener l = Kcps.listen(ANY_LOOPBACK, o);
        Thread.startVirtualThread(() -> {
            while (true) {
                KcpSession s;
                try {
                    s = l.accept();
                } catch (IOException e) {
                    return;
                }
                s.setOobHandler((b, off, len) -> {
                    try {
                        s.sendOob(b, off, len);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                Thread.startVirtualThread(() -> {
                    byte[] buf = new byte[65536];
                    try {
                        while (true) {
                            int n = s.read(buf);
                            s.write(buf, 0, n);
                        }
                    } catch (IOException e) {
                        s.close();
                    }
                });
            }
        });
        return l;
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes", "aes-128-gcm"})
    void shouldEchoEveryPayloadLengthByteExactOverLoopbackBesideAReliableStream(String cipher) throws Exception {
        // windows of 128 keep the stream's bursts within the default socket buffers, so loopback rarely drops
        SessionOptions o = OobVirtualTest.withCipher(OobVirtualTest.FEC.toBuilder().windowSize(128, 128).build(),
                cipher);
        try (KcpListener l = oobEchoServer(o); KcpSession c = Kcps.dial(localhost(l), o)) {
            byte[] stream = new byte[4 << 20];
            new SplittableRandom(1).nextBytes(stream);
            byte[] echoed = new byte[stream.length];
            Thread reader = Thread.startVirtualThread(() -> {
                try {
                    int got = 0;
                    while (got < echoed.length) {
                        got += c.read(echoed, got, echoed.length - got);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread writer = Thread.startVirtualThread(() -> {
                try {
                    for (int off = 0; off < stream.length; off += 8192) {
                        c.write(stream, off, 8192);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            int max = c.oobMaxSize();
            byte[] buf = new byte[max];
            int lost = 0;
            for (int len = 0; len <= max; len++) {
                byte[] p = OobVirtualTest.payload(len, len);
                c.sendOob(p, 0, len);
                try {
                    int n = c.receiveOob(buf, 0, buf.length, Duration.ofSeconds(1));
                    while (n != len) { // a late echo of a payload counted lost: skip it
                        n = c.receiveOob(buf, 0, buf.length, Duration.ofSeconds(1));
                    }
                    assertArrayEquals(p, Arrays.copyOf(buf, n), "length " + len);
                } catch (SocketTimeoutException e) {
                    lost++;
                }
            }
            assertTrue(lost <= (max + 1) / 100, lost + " of " + (max + 1) + " lost on loopback");
            writer.join();
            reader.join();
            assertArrayEquals(stream, echoed, "the stream stays byte-exact");
            assertEquals(0, c.stats().get(SnmpField.IN_ERRS));
            assertTrue(c.stats().get(SnmpField.OOB_PACKETS) >= max + 1 - lost);
        }
    }

    static InetSocketAddress localhost(KcpListener l) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), l.localAddress().getPort());
    }

    @Test
    void shouldDropAndCountCraftedDatagramsSentFromARawChannel() throws Exception {
        SessionOptions o = OobVirtualTest.withCipher(OobVirtualTest.FEC, "aes-128-gcm");
        try (DatagramChannel raw = DatagramChannel.open().bind(ANY_LOOPBACK)) {
            InetSocketAddress rawAddress = (InetSocketAddress) raw.getLocalAddress();
            int conv = 0x0A0B0C0D;
            try (KcpSession c = Kcps.dial(DatagramChannel.open().bind(ANY_LOOPBACK), rawAddress, conv, true, o)) {
                InetSocketAddress to = c.localAddress();
                PacketSealer sealer = o.newSealer();
                byte[] wrongConv = OobVirtualTest.Forger.oob(conv ^ 1, new byte[8]);
                byte[] badSize = OobVirtualTest.Forger.oob(conv, new byte[8]);
                badSize[6] ^= 0x40;
                byte[] truncated = Arrays.copyOf(OobVirtualTest.Forger.oob(conv, new byte[8]), 11);
                byte[] good = OobVirtualTest.Forger.oob(conv, OobVirtualTest.payload(3, 8));
                for (byte[] plain : List.of(wrongConv, badSize, truncated, good)) {
                    byte[] d = new byte[1500];
                    System.arraycopy(plain, 0, d, sealer.headerSize(), plain.length);
                    raw.send(ByteBuffer.wrap(d, 0, sealer.seal(d, 0, plain.length)), to);
                }
                raw.send(ByteBuffer.wrap(new byte[] {(byte) 0xF3, 0, 1, 2, 3}), to); // not even sealed
                byte[] buf = new byte[100];
                int n = c.receiveOob(buf, 0, buf.length, Duration.ofSeconds(10));
                assertArrayEquals(OobVirtualTest.payload(3, 8), Arrays.copyOf(buf, n));
                Await.until(() -> c.stats().get(SnmpField.IN_ERRS) == 3);
                assertEquals(1, c.stats().get(SnmpField.OOB_PACKETS));
                assertEquals(0, c.stats().get(SnmpField.KCP_IN_ERRORS));
            }
        }
    }
}
