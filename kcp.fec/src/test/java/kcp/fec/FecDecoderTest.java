package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FecDecoderTest {

    /** A datagram as it leaves the encoder: data or parity, with its seqid. */
    record Datagram(byte[] bytes, int seqid, boolean data) {
    }

    /** KCP bytes of data packet n: its index in the first 4 bytes, then a pattern, length from the rng. */
    static byte[] kcpBytes(int n, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (n * 31 + i * 7);
        }
        if (len >= 4) {
            LittleEndian.putInt(b, 0, n);
        }
        return b;
    }

    /** Encodes packets, returning every datagram in send order (data, then parity right after completion). */
    static List<Datagram> encodeStream(FecEncoder enc, int packets, SplittableRandom rnd, int maxKcp,
                                       List<byte[]> kcpOut) {
        List<Datagram> out = new ArrayList<>();
        for (int n = 0; n < packets; n++) {
            byte[] kcp = kcpBytes(n, 4 + rnd.nextInt(maxKcp - 3));
            kcpOut.add(kcp);
            byte[] pkt = new byte[8 + kcp.length];
            System.arraycopy(kcp, 0, pkt, 8, kcp.length);
            int ready = enc.encode(pkt, 0, pkt.length, 0);
            out.add(new Datagram(pkt, FecHeader.seqid(pkt, 0), true));
            for (int k = 0; k < ready; k++) {
                byte[] par = Arrays.copyOf(enc.parityBuffer(k), enc.parityLength());
                out.add(new Datagram(par, FecHeader.seqid(par, 0), false));
            }
        }
        return out;
    }

    static List<byte[]> feed(FecDecoder dec, byte[] pkt) {
        int n = dec.decode(pkt, 0, pkt.length, 0);
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(Arrays.copyOfRange(dec.recovered(i), dec.recoveredOffset(i),
                    dec.recoveredOffset(i) + dec.recoveredLength(i)));
        }
        return got;
    }

    /** Mirror of kcp-go TestFECDecodeLoss: (10,3), 100 groups, 3 random positions dropped per group. */
    @Test
    void shouldRecoverExactlyTheDroppedDataOfEachGroup() {
        SplittableRandom rnd = new SplittableRandom(13);
        FecEncoder enc = new FecEncoder(10, 3, 0);
        List<byte[]> kcp = new ArrayList<>();
        List<Datagram> stream = encodeStream(enc, 1000, rnd, 1392, kcp);
        FecDecoder dec = new FecDecoder(10, 3);
        for (int g = 0; g < 100; g++) {
            boolean[] drop = new boolean[13];
            for (int k = 0; k < 3; ) {
                int pos = rnd.nextInt(13);
                if (!drop[pos]) {
                    drop[pos] = true;
                    k++;
                }
            }
            List<byte[]> recovered = new ArrayList<>();
            List<byte[]> expected = new ArrayList<>();
            for (int pos = 0; pos < 13; pos++) {
                if (drop[pos]) {
                    if (pos < 10) {
                        expected.add(kcp.get(g * 10 + pos));
                    }
                    continue;
                }
                recovered.addAll(feed(dec, stream.get(g * 13 + pos).bytes()));
            }
            assertEquals(expected.size(), recovered.size(), "group " + g);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), recovered.get(i), "group " + g + " recovered " + i);
            }
        }
        assertEquals(0, dec.errs());
        assertEquals(0, dec.malformed());
    }

    /** Mirror of kcp-go TestFECDecodeVariablePacketSizes: (8,3), 32 groups, payload 8..900, seed 42. */
    @Test
    void shouldRecoverVariableSizedPacketsWithTheirSizeField() {
        SplittableRandom rnd = new SplittableRandom(42);
        FecEncoder enc = new FecEncoder(8, 3, 0);
        FecDecoder dec = new FecDecoder(8, 3);
        long lost = 0;
        for (int group = 0; group < 32; group++) {
            byte[][] payloads = new byte[8][];
            List<Datagram> dgs = new ArrayList<>();
            for (int shard = 0; shard < 8; shard++) {
                int len = 8 + rnd.nextInt(893);
                byte[] pl = new byte[len];
                LittleEndian.putInt(pl, 0, group);
                LittleEndian.putInt(pl, 4, shard);
                for (int i = 8; i < len; i++) {
                    pl[i] = (byte) (group + shard + i);
                }
                payloads[shard] = pl;
                byte[] pkt = new byte[8 + len];
                System.arraycopy(pl, 0, pkt, 8, len);
                int ready = enc.encode(pkt, 0, pkt.length, 0);
                dgs.add(new Datagram(pkt, 0, true));
                for (int k = 0; k < ready; k++) {
                    dgs.add(new Datagram(Arrays.copyOf(enc.parityBuffer(k), enc.parityLength()), 0, false));
                }
            }
            int drop1 = group % 8;
            int drop2 = (group + 3) % 8;
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < dgs.size(); i++) {
                if (i != drop1 && i != drop2) {
                    got.addAll(feed(dec, dgs.get(i).bytes()));
                }
            }
            lost += 2;
            assertEquals(2, got.size(), "group " + group);
            int[] order = {Math.min(drop1, drop2), Math.max(drop1, drop2)};
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(payloads[order[i]], got.get(i), "group " + group + " shard " + order[i]);
            }
        }
        assertEquals(lost, dec.recoveredCount());
    }

    /** Mirror of kcp-go TestFECPAWS: encoder starts at paws - 13; packets 9 and 13 dropped. */
    @Test
    void shouldRecoverAcrossTheSeqidWrap() {
        FecEncoder enc = new FecEncoder(10, 3, 0);
        enc.setNextSeqid((int) (enc.paws() - 13));
        List<byte[]> kcp = new ArrayList<>();
        List<Datagram> stream = encodeStream(enc, 20, new SplittableRandom(5), 500, kcp);
        assertEquals(0, stream.get(13).seqid(), "the second group starts at seqid 0");
        FecDecoder dec = new FecDecoder(10, 3);
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < stream.size(); i++) {
            if (i != 9 && i != 13) {
                got.addAll(feed(dec, stream.get(i).bytes()));
            }
        }
        assertEquals(2, got.size());
        assertArrayEquals(kcp.get(9), got.get(0));
        assertArrayEquals(kcp.get(10), got.get(1));
    }

    @ParameterizedTest(name = "loss {0}%")
    @ValueSource(ints = {1, 5, 10, 20, 30})
    void shouldRecoverEveryGroupWhoseLossIsWithinParityOverLongRuns(int lossPct) {
        long seed = 1000 + lossPct;
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = 10;
        int p = 3;
        FecEncoder enc = new FecEncoder(d, p, 0);
        FecDecoder dec = new FecDecoder(d, p);
        List<byte[]> kcp = new ArrayList<>();
        List<Datagram> stream = encodeStream(enc, 5000, rnd, 1392, kcp);
        boolean[] lostFlags = new boolean[stream.size()];
        boolean[] delivered = new boolean[kcp.size()];
        for (int i = 0; i < stream.size(); i++) {
            lostFlags[i] = rnd.nextInt(100) < lossPct;
            Datagram dg = stream.get(i);
            if (lostFlags[i]) {
                continue;
            }
            if (dg.data()) {
                delivered[index(dg.bytes())] = true;
            }
            for (byte[] r : feed(dec, dg.bytes())) {
                int n = LittleEndian.getInt(r, 0);
                assertArrayEquals(kcp.get(n), r, "recovered packet " + n + " seed " + seed);
                assertTrue(!delivered[n], "recovered a packet that was delivered or recovered: " + n);
                delivered[n] = true;
            }
        }
        int groups = stream.size() / (d + p);
        int recoverableGroups = 0;
        for (int g = 0; g < groups; g++) {
            int losses = 0;
            for (int pos = 0; pos < d + p; pos++) {
                losses += lostFlags[g * (d + p) + pos] ? 1 : 0;
            }
            if (losses <= p) {
                recoverableGroups++;
                for (int k = 0; k < d; k++) {
                    assertTrue(delivered[g * d + k], "group " + g + " packet " + k + " lost " + losses
                            + " seed " + seed);
                }
            }
        }
        assertTrue(recoverableGroups > groups / 3, "enough recoverable groups: " + recoverableGroups);
        assertEquals(0, dec.errs());
    }

    private static int index(byte[] dataPacket) {
        return LittleEndian.getInt(dataPacket, 8);
    }

    @Test
    void shouldRecoverUnderReorderingAndDuplicates() {
        SplittableRandom rnd = new SplittableRandom(77);
        FecEncoder enc = new FecEncoder(4, 2, 0);
        FecDecoder dec = new FecDecoder(4, 2);
        List<byte[]> kcp = new ArrayList<>();
        List<Datagram> stream = encodeStream(enc, 400, rnd, 300, kcp);
        boolean[] delivered = new boolean[kcp.size()];
        for (int g = 0; g < 100; g++) {
            List<Datagram> group = new ArrayList<>(stream.subList(g * 6, g * 6 + 6));
            group.remove(rnd.nextInt(6));
            group.add(group.get(rnd.nextInt(group.size())));
            for (int i = group.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                Datagram t = group.get(i);
                group.set(i, group.get(j));
                group.set(j, t);
            }
            for (Datagram dg : group) {
                if (dg.data()) {
                    delivered[index(dg.bytes())] = true;
                }
                for (byte[] r : feed(dec, dg.bytes())) {
                    delivered[LittleEndian.getInt(r, 0)] = true;
                }
            }
        }
        for (int n = 0; n < delivered.length; n++) {
            assertTrue(delivered[n], "packet " + n);
        }
        assertTrue(dec.duplicates() > 0);
    }

    @Test
    void shouldCountAndDropMalformedPacketsWithoutThrowing() {
        FecDecoder dec = new FecDecoder(3, 2);
        byte[] shortPkt = new byte[7];
        FecHeader.put(shortPkt, 0, 0, FecHeader.TYPE_DATA);
        assertEquals(0, dec.decode(shortPkt, 0, 7, 0));
        byte[] unknown = new byte[20];
        FecHeader.put(unknown, 0, 0, 0x51);
        assertEquals(0, dec.decode(unknown, 0, 20, 0));
        byte[] badSize = new byte[20];
        FecHeader.put(badSize, 0, 0, FecHeader.TYPE_DATA);
        LittleEndian.putShort(badSize, 6, (short) 15);
        assertEquals(0, dec.decode(badSize, 0, 20, 0));
        LittleEndian.putShort(badSize, 6, (short) 1);
        assertEquals(0, dec.decode(badSize, 0, 20, 0));
        byte[] huge = new byte[1501];
        FecHeader.put(huge, 0, 0, FecHeader.TYPE_PARITY);
        assertEquals(0, dec.decode(huge, 0, 1501, 0));
        assertEquals(5, dec.malformed());
        assertEquals(0, dec.groupsHeld());
        LittleEndian.putShort(badSize, 6, (short) 14);
        assertEquals(0, dec.decode(badSize, 0, 20, 0), "size = len - 6 is the largest valid size");
        assertEquals(5, dec.malformed());
        assertEquals(1, dec.groupsHeld());
    }

    @Test
    void shouldNeverThrowOnRandomBytes() {
        SplittableRandom rnd = new SplittableRandom(4242);
        FecDecoder dec = new FecDecoder(10, 3);
        byte[] buf = new byte[1600];
        for (int i = 0; i < 200_000; i++) {
            int len = rnd.nextInt(1600);
            rnd.nextBytes(buf);
            if (rnd.nextBoolean()) {
                LittleEndian.putShort(buf, 4, (short) (rnd.nextBoolean() ? 0xF1 : 0xF2));
            }
            if (rnd.nextInt(4) == 0) {
                LittleEndian.putInt(buf, 0, rnd.nextInt(64));
            }
            dec.decode(buf, 0, len, i);
        }
        assertTrue(dec.groupsHeld() <= FecDecoder.GROUP_SLOTS);
        assertTrue(dec.bufferBytes() <= (long) FecDecoder.GROUP_SLOTS * 256 * 1500);
    }

    @Test
    void shouldKeepMemoryBoundedUnderFarFutureSeqidFloods() {
        SplittableRandom rnd = new SplittableRandom(9);
        FecDecoder dec = new FecDecoder(10, 3);
        byte[] pkt = new byte[1500];
        for (int i = 0; i < 100_000; i++) {
            boolean data = rnd.nextInt(13) < 10;
            int seq = rnd.nextInt();
            FecHeader.put(pkt, 0, seq, data ? FecHeader.TYPE_DATA : FecHeader.TYPE_PARITY);
            LittleEndian.putShort(pkt, 6, (short) 100);
            dec.decode(pkt, 0, 1500, i);
            assertTrue(dec.groupsHeld() <= FecDecoder.GROUP_SLOTS);
        }
        assertTrue(dec.bufferBytes() <= FecDecoder.GROUP_SLOTS * 13 * 1500L, "buffers " + dec.bufferBytes());
    }

    @Test
    void shouldExpireGroupsOlderThanThreeGroupLengthsAndIdleGroups() {
        FecEncoder enc = new FecEncoder(3, 1, 0);
        List<Datagram> stream = encodeStream(enc, 30, new SplittableRandom(3), 50, new ArrayList<>());
        FecDecoder dec = new FecDecoder(3, 1);
        feed(dec, stream.get(0).bytes());             // group 0 holds one packet
        assertEquals(1, dec.groupsHeld());
        feed(dec, stream.get(4 * 4).bytes());         // group 4: group 0 is 4 lengths behind
        assertEquals(1, dec.groupsHeld());
        assertEquals(1, dec.shortShards());
        feed(dec, stream.get(5 * 4).bytes());         // group 5: group 4 is within the window
        assertEquals(2, dec.groupsHeld());
        byte[] late = stream.get(6 * 4).bytes();
        assertEquals(0, dec.decode(late, 0, late.length, FecDecoder.EXPIRE_MS + 1));
        assertEquals(1, dec.groupsHeld(), "groups 4 and 5 idle for more than 60 s");
        assertEquals(3, dec.shortShards());
    }

    @Test
    void shouldReleaseEverythingOnTrimAndKeepRecoveringAfterwards() {
        SplittableRandom rnd = new SplittableRandom(21);
        FecEncoder enc = new FecEncoder(10, 3, 0);
        List<byte[]> kcp = new ArrayList<>();
        List<Datagram> stream = encodeStream(enc, 60, rnd, 1392, kcp);
        FecDecoder dec = new FecDecoder(10, 3);
        for (int i = 0; i < 13 + 4; i++) {                // group 0 complete, group 1 holds 4 data packets
            feed(dec, stream.get(i).bytes());
        }
        assertTrue(dec.bufferBytes() >= 4 * 1500L);
        assertEquals(2, dec.groupsHeld(), "decoded group 0 stays for late packets, group 1 is partial");
        dec.trim();
        assertEquals(0, dec.bufferBytes(), "every packet copy released");
        assertEquals(0, dec.groupsHeld());
        assertEquals(4, dec.shortShards(), "the interrupted group counts as expired incomplete");
        for (int i = 13 + 4; i < 2 * 13; i++) {             // rest of group 1: too few shards left to recover
            feed(dec, stream.get(i).bytes());
        }
        List<byte[]> recovered = new ArrayList<>();
        for (int i = 2 * 13; i < 3 * 13; i++) {             // group 2 loses data packets 20, 21, 22
            if (i - 2 * 13 >= 3) {
                recovered.addAll(feed(dec, stream.get(i).bytes()));
            }
        }
        assertEquals(3, recovered.size());
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(kcp.get(20 + k), recovered.get(k));
        }
        assertEquals(0, dec.errs());
    }

    @Test
    void shouldCountNoShortShardsForCompleteGroupsWhoseLateParityExpires() {
        FecEncoder enc = new FecEncoder(3, 1, 0);
        List<Datagram> stream = encodeStream(enc, 60, new SplittableRandom(4), 50, new ArrayList<>());
        FecDecoder dec = new FecDecoder(3, 1);
        for (Datagram d : stream) {
            feed(dec, d.bytes());                     // parity refills each decoded group, then it expires
        }
        assertEquals(20, dec.fullShardSets());
        assertEquals(0, dec.shortShards(), "nothing was lost");
    }

    @Test
    void shouldAutoTuneFromAOneOneStartToTheSendersParameters() {
        FecEncoder enc = new FecEncoder(10, 3, 0);
        List<byte[]> kcp = new ArrayList<>();
        List<Datagram> stream = encodeStream(enc, 400, new SplittableRandom(8), 200, kcp);
        FecDecoder dec = new FecDecoder(1, 1);
        int recovered = 0;
        for (int i = 0; i < stream.size(); i++) {
            boolean lose = i > 200 && i % 13 == 4;    // after tuning, lose one data packet per group
            if (!lose) {
                for (byte[] r : feed(dec, stream.get(i).bytes())) {
                    assertArrayEquals(kcp.get(LittleEndian.getInt(r, 0)), r);
                    recovered++;
                }
            }
        }
        assertEquals(10, dec.dataShardCount());
        assertEquals(3, dec.parityShardCount());
        assertEquals(1, dec.tunes());
        assertTrue(recovered >= 14, "recovered " + recovered);
    }

    @Test
    void shouldNotStallWhenAForgedPacketDisagreesWithCorrectParameters() {
        FecEncoder enc = new FecEncoder(3, 2, 0);
        List<byte[]> kcp = new ArrayList<>();
        List<Datagram> stream = encodeStream(enc, 60, new SplittableRandom(2), 100, kcp);
        FecDecoder dec = new FecDecoder(3, 2);
        for (int i = 0; i < 25; i++) {
            feed(dec, stream.get(i).bytes());
        }
        byte[] forged = stream.get(25).bytes().clone();
        FecHeader.put(forged, 0, 26, FecHeader.TYPE_PARITY);   // position 1: should be data
        feed(dec, forged);
        int recovered = 0;
        for (int i = 25; i < stream.size(); i++) {
            if (i % 5 != 1) {
                recovered += feed(dec, stream.get(i).bytes()).size();
            }
        }
        assertEquals(3, dec.dataShardCount());
        assertTrue(recovered >= 6, "recovery resumes after the forged packet: " + recovered);
    }
}
