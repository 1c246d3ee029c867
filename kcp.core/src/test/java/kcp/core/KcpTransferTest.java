package kcp.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import kcp.core.testing.KcpPair;
import kcp.core.testing.LossyLink;
import kcp.core.testing.VirtualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Byte-exact, in-order delivery of 4 MiB over a lossy, duplicating, reordering link in virtual time, in message and
 * stream mode, with kcp-go's default ("normal") settings and in nodelay mode.
 */
class KcpTransferTest {
    private static final int TOTAL = 4 << 20;

    @ParameterizedTest(name = "stream={0} loss={1}% nodelay={2} trim={4}")
    @CsvSource({
            // stream, loss %, nodelay, virtual time bound (ms), trim whenever idle
            "false, 0, false, 60000, false",
            "false, 10, false, 300000, false",
            "false, 30, false, 1500000, false",
            "false, 0, true, 30000, false",
            "false, 10, true, 60000, false",
            "false, 30, true, 180000, false",
            "true, 0, false, 60000, false",
            "true, 10, false, 300000, false",
            "true, 30, false, 1500000, false",
            "true, 0, true, 30000, false",
            "true, 10, true, 60000, false",
            "true, 30, true, 180000, false",
            "false, 10, true, 60000, true",
            "true, 30, true, 180000, true",
    })
    void shouldDeliverFourMegabytesInOrder(boolean stream, int lossPct, boolean nodelay, int boundMs, boolean trim)
            throws Exception {
        long seed = 0x5eed_0000L + lossPct * 31L + (stream ? 7 : 0) + (nodelay ? 3 : 0) + (trim ? 11 : 0);
        SeedReporter.run("transfer stream=" + stream + " loss=" + lossPct + " nodelay=" + nodelay + " trim=" + trim,
                seed, () -> transfer(seed, stream, lossPct, nodelay, boundMs, trim));
    }

    private static void transfer(long seed, boolean stream, int lossPct, boolean nodelay, int boundMs,
            boolean trim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] payload = new byte[TOTAL];
        rnd.nextBytes(payload);
        VirtualClock clock = new VirtualClock(0x7FFF_0000); // crosses the signed-int boundary on the way
        LossyLink ab = new LossyLink(seed * 3 + 1, lossPct, 10, 40, 5, true, 1000);
        LossyLink ba = new LossyLink(seed * 3 + 2, lossPct, 10, 40, 5, true, 1000);
        KcpPair pair = new KcpPair(0x11223344, clock, ab, ba);
        Kcp a = pair.a();
        Kcp b = pair.b();
        for (Kcp k : new Kcp[] {a, b}) {
            k.setStreamMode(stream);
            if (nodelay) {
                k.setNoDelay(true, 10, 2, true);
                k.setWindowSize(128, 128);
            }
        }
        pair.setAckNoDelay(nodelay, nodelay);
        ArrayDeque<Integer> sizes = new ArrayDeque<>();
        byte[] received = new byte[TOTAL];
        byte[] buf = new byte[16 * 1024];
        int[] sentPos = {0};
        int[] recvPos = {0};
        int[] trims = {0};
        pair.setApplication(now -> {
            for (Kcp k : new Kcp[] {a, b}) {
                if (trim && k.isIdle()) { // drop every cache whenever allowed: state must survive it
                    k.trim();
                    trims[0]++;
                }
            }
            while (sentPos[0] < TOTAL && a.waitSnd() < 2 * a.sndWnd()) {
                int n = Math.min(TOTAL - sentPos[0], 1 + rnd.nextInt(stream ? 5000 : 8000));
                a.send(payload, sentPos[0], n);
                sizes.add(n);
                sentPos[0] += n;
            }
            int n;
            while ((n = b.recv(buf, 0, buf.length)) >= 0) {
                if (!stream) {
                    assertEquals(sizes.poll(), n, "message boundary at " + recvPos[0]);
                }
                assertTrue(recvPos[0] + n <= TOTAL, "more bytes than sent");
                System.arraycopy(buf, 0, received, recvPos[0], n);
                recvPos[0] += n;
            }
        });
        int start = clock.nowMs();
        boolean done = pair.runUntil(() -> recvPos[0] == TOTAL, boundMs);
        System.out.printf("transfer stream=%s loss=%d%% nodelay=%s: %d ms virtual, a: out=%d retrans=%d "
                        + "(fast %d, early %d, lost %d), b: repeat=%d, links %s%n", stream, lossPct, nodelay,
                clock.nowMs() - start, a.outSegs(), a.retransSegs(), a.fastRetransSegs(), a.earlyRetransSegs(),
                a.lostSegs(), b.repeatSegs(), pair);
        assertTrue(done, "not delivered within " + boundMs + " ms virtual: " + recvPos[0] + " of " + TOTAL + " "
                + pair);
        assertArrayEquals(payload, received, "payload differs");
        assertEquals(0, pair.badInputs(), "rejected datagrams");
        if (trim) {
            assertTrue(trims[0] > 100, "trim exercised only " + trims[0] + " times");
        }
        if (lossPct > 0) {
            assertTrue(a.retransSegs() > 0, "loss without retransmissions?");
            assertTrue(ab.duplicated() > 0, "duplication not exercised");
        }
    }
}
