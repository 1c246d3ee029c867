package kcp.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import kcp.core.testing.KcpPair;
import kcp.core.testing.LossyLink;
import kcp.core.testing.VirtualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bidirectional transfers under randomly drawn configurations (MTU, windows, interval, nodelay, fast resend,
 * congestion control, stream mode, 5.6.1 timing, ackNoDelay, link loss/delay/dup/reorder/queue cap, start time and
 * sequence numbers near the wrap): every byte arrives once, in order, with message boundaries kept.
 */
class KcpRandomConfigTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldDeliverBothWaysUnderRandomConfigurations(long seed) throws Exception {
        SeedReporter.run("random configuration", seed, () -> run(seed, false));
    }

    /**
     * Kcp's flush skips in-flight segments with nothing due; kcp-go's visits them all. Both must put the same bytes
     * on the wire at the same times, and count the same retransmissions.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldSendWhatAFlushVisitingEverySegmentSends(long seed) throws Exception {
        SeedReporter.run("flush skip against full visit", seed, () -> {
            Trace skipping = run(seed, false);
            Trace visitingAll = run(seed, true);
            assertEquals(visitingAll, skipping.withoutSkips());
            assertTrue(skipping.skipped() > 0, "the skip was exercised: " + skipping);
        });
    }

    /** What a run put on the wire (in order, with times), its retransmission counters and how much flush skipped. */
    private record Trace(long digestAb, long digestBa, long sentAb, long sentBa, int endMs, String counters,
                         long skipped) {
        Trace withoutSkips() {
            return new Trace(digestAb, digestBa, sentAb, sentBa, endMs, counters, 0);
        }
    }

    private static Trace run(long seed, boolean visitAll) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int loss = rnd.nextInt(0, 25);
        int dmin = rnd.nextInt(0, 50);
        LossyLink ab = new LossyLink(seed * 7, loss, dmin, dmin + rnd.nextInt(0, 80), rnd.nextInt(0, 10),
                rnd.nextBoolean(), rnd.nextInt(50, 2000));
        LossyLink ba = new LossyLink(seed * 7 + 1, loss, dmin, dmin + rnd.nextInt(0, 80), rnd.nextInt(0, 10),
                rnd.nextBoolean(), rnd.nextInt(50, 2000));
        VirtualClock clock = new VirtualClock(rnd.nextInt());
        KcpPair pair = new KcpPair(rnd.nextInt(), clock, ab, ba);
        int mtu = rnd.nextInt(100, 1501);
        int wnd = rnd.nextInt(4, 257);
        boolean stream = rnd.nextBoolean();
        int maxMsg = stream ? 10_000 : Math.min(wnd, 255) * (mtu - 24);
        int startSn = rnd.nextBoolean() ? -rnd.nextInt(1, 2000) : 0;
        String config = "mtu=" + mtu + " wnd=" + wnd + " stream=" + stream + " loss=" + loss + " startSn=" + startSn;
        for (Kcp k : new Kcp[] {pair.a(), pair.b()}) {
            k.setMtu(mtu);
            k.setWindowSize(wnd, wnd);
            k.setStreamMode(stream);
            k.setCompat561(rnd.nextInt(4) == 0);
            k.setNoDelay(rnd.nextBoolean(), rnd.nextInt(10, 101), rnd.nextInt(0, 4), rnd.nextBoolean());
            k.initSequence(startSn);
            if (visitAll) {
                k.visitAllOnFlush();
            }
        }
        pair.setAckNoDelay(rnd.nextBoolean(), rnd.nextBoolean());
        Flow ab2 = new Flow(pair.a(), pair.b(), rnd.split(), 256 * 1024, Math.min(maxMsg, 6000), stream);
        Flow ba2 = new Flow(pair.b(), pair.a(), rnd.split(), 64 * 1024, Math.min(maxMsg, 3000), stream);
        pair.setApplication(now -> {
            ab2.step();
            ba2.step();
        });
        assertTrue(pair.runUntil(() -> ab2.done() && ba2.done(), 3_600_000), config + " " + pair);
        ab2.verify(config);
        ba2.verify(config);
        Kcp a = pair.a();
        Kcp b = pair.b();
        String counters = "a " + a.retransSegs() + "/" + a.fastRetransSegs() + "/" + a.earlyRetransSegs() + "/"
                + a.lostSegs() + ", b " + b.retransSegs() + "/" + b.fastRetransSegs() + "/" + b.earlyRetransSegs()
                + "/" + b.lostSegs();
        return new Trace(ab.sentDigest(), ba.sentDigest(), ab.sent(), ba.sent(), clock.nowMs(), counters,
                a.skippedVisits() + b.skippedVisits());
    }

    /** One direction of traffic with its own payload and message-size bookkeeping. */
    private static final class Flow {
        final Kcp from;
        final Kcp to;
        final SplittableRandom rnd;
        final byte[] payload;
        final byte[] got;
        final byte[] buf;
        final int maxMsg;
        final boolean stream;
        final ArrayDeque<Integer> sizes = new ArrayDeque<>();
        int sent;
        int received;

        Flow(Kcp from, Kcp to, SplittableRandom rnd, int total, int maxMsg, boolean stream) {
            this.from = from;
            this.to = to;
            this.rnd = rnd;
            this.payload = new byte[total];
            rnd.nextBytes(payload);
            this.got = new byte[total];
            this.buf = new byte[maxMsg + 10_000];
            this.maxMsg = maxMsg;
            this.stream = stream;
        }

        void step() {
            while (sent < payload.length && from.waitSnd() < 2 * from.sndWnd()) {
                int n = Math.min(payload.length - sent, 1 + rnd.nextInt(maxMsg));
                from.send(payload, sent, n);
                sizes.add(n);
                sent += n;
            }
            int n;
            while ((n = to.recv(buf, 0, buf.length)) >= 0) {
                if (!stream) {
                    assertEquals(sizes.poll(), n, "message boundary");
                }
                System.arraycopy(buf, 0, got, received, n);
                received += n;
            }
        }

        boolean done() {
            return received == payload.length;
        }

        void verify(String config) {
            assertArrayEquals(payload, got, config);
        }
    }
}
