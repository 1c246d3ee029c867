package kcp.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Datagrams shaped like a bulk transfer's sends, recorded so that the offload tests can compare what arrives. */
final class BulkShape {
    /** The MTU-sized datagram of these tests. */
    static final int FULL = 1400;

    private BulkShape() {
    }

    /**
     * Makes a random datagram and records a copy of its bytes.
     *
     * @param sent where its bytes are recorded
     * @param len  its length
     * @param rnd  the source of its bytes
     * @return the datagram, ready to send
     */
    static ByteBuffer datagram(List<byte[]> sent, int len, Random rnd) {
        byte[] b = new byte[len];
        rnd.nextBytes(b);
        sent.add(b);
        return ByteBuffer.wrap(b.clone());
    }

    /**
     * Makes one flush's datagrams: fewer than {@code maxFull} full ones, sometimes a shorter one that closes the run,
     * and up to two small ones (ACKs) that go alone.
     *
     * @param sent    where their bytes are recorded, in order
     * @param rnd     the source of sizes and bytes
     * @param maxFull the bound on full datagrams
     * @return the datagrams, ready to send
     */
    static List<ByteBuffer> flush(List<byte[]> sent, Random rnd, int maxFull) {
        List<ByteBuffer> b = new ArrayList<>();
        for (int i = rnd.nextInt(maxFull); i > 0; i--) {
            b.add(datagram(sent, FULL, rnd));
        }
        if (rnd.nextBoolean()) {
            b.add(datagram(sent, 24 + rnd.nextInt(FULL - 24), rnd));
        }
        for (int i = rnd.nextInt(3); i > 0; i--) {
            b.add(datagram(sent, 24 + rnd.nextInt(100), rnd));
        }
        return b;
    }
}
