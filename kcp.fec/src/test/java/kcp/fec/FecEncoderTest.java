package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FecEncoderTest {

    /** Spec 13: plaintext byte i = (7i + 3) mod 256. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (7 * i + 3);
        }
        return b;
    }

    static byte[] packet(int headerOffset, byte[] kcp) {
        byte[] b = new byte[headerOffset + 8 + kcp.length];
        System.arraycopy(kcp, 0, b, headerOffset + 8, kcp.length);
        return b;
    }

    @Test
    void shouldProduceSpec134BytesForThreeDataAndTwoParityPackets() {
        FecEncoder enc = new FecEncoder(3, 2, 0);
        String[] expectedData = {
            "00000000f1001f00030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7",
            "01000000f1002500030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1",
            "02000000f1001a00030a11181f262d343b424950575e656c737a81888f969da4",
        };
        int[] lengths = {29, 35, 24};
        int ready = 0;
        for (int i = 0; i < 3; i++) {
            byte[] p = packet(0, pattern(lengths[i]));
            ready = enc.encode(p, 0, p.length, 0);
            assertEquals(expectedData[i], HexFormat.of().formatHex(p));
        }
        assertEquals(2, ready);
        assertEquals(43, enc.parityLength());
        assertEquals("03000000f2002000030a11181f262d343b424950575e656c737a81888f969da40000000000ced5dce3eaf1",
                HexFormat.of().formatHex(enc.parityBuffer(0), 0, 43));
        assertEquals("04000000f200cc00030a11181f262d343b424950575e656c737a81888f969da47639087a6f3ee6ae4b03db",
                HexFormat.of().formatHex(enc.parityBuffer(1), 0, 43));
        assertEquals(5, enc.nextSeqid());
    }

    @Test
    void shouldLeaveTheHeaderOffsetUntouchedAndHonourTheBufferOffset() {
        FecEncoder plain = new FecEncoder(3, 2, 0);
        FecEncoder offset = new FecEncoder(3, 2, 20);
        for (int i = 0; i < 3; i++) {
            byte[] kcp = pattern(10 + 7 * i);
            byte[] a = packet(0, kcp);
            byte[] b = new byte[5 + 20 + 8 + kcp.length + 3];
            java.util.Arrays.fill(b, 0, 25, (byte) 0xEE);
            System.arraycopy(kcp, 0, b, 5 + 28, kcp.length);
            plain.encode(a, 0, a.length, 0);
            offset.encode(b, 5, a.length + 20, 0);
            assertArrayEquals(a, java.util.Arrays.copyOfRange(b, 25, 25 + a.length));
            for (int k = 0; k < 25; k++) {
                assertEquals((byte) 0xEE, b[k]);
            }
        }
        assertEquals(plain.parityLength() + 20, offset.parityLength());
        for (int j = 0; j < 2; j++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(plain.parityBuffer(j), 0, plain.parityLength()),
                    java.util.Arrays.copyOfRange(offset.parityBuffer(j), 20, offset.parityLength()));
        }
    }

    /** Mirror of kcp-go TestFECEncodeConsecutive with an injected clock: parity seqids are group*13 + 10 + k. */
    @Test
    void shouldNumberParityConsecutivelyAfterEachGroup() {
        FecEncoder enc = new FecEncoder(10, 3, 0);
        enc.setMaxEncodeLatencyMs(200);
        SplittableRandom rnd = new SplittableRandom(1);
        int now = 0;
        int parityGroups = 0;
        for (int i = 0; i < 100; i++) {
            now += rnd.nextInt(300);
            byte[] p = new byte[1500];
            int group = Integer.divideUnsigned(enc.nextSeqid(), 13);
            int ready = enc.encode(p, 0, p.length, now);
            for (int k = 0; k < ready; k++) {
                assertEquals(group * 13 + 10 + k, FecHeader.seqid(enc.parityBuffer(k), 0));
                assertEquals(FecHeader.TYPE_PARITY, FecHeader.flag(enc.parityBuffer(k), 0));
            }
            parityGroups += ready > 0 ? 1 : 0;
        }
        assertEquals(100 / 10, enc.groupsEncoded() + enc.groupsSkipped());
        assertEquals(parityGroups, enc.groupsEncoded());
        assertEquals(130, enc.nextSeqid(), "seqids advance by p for skipped groups too");
    }

    /** Mirror of kcp-go TestFECRTOAndSkipParity: (3,2), threshold 50 ms, 70 ms gap before packet 7. */
    @Test
    void shouldSkipParityWhenTheCompletingPacketIsLateButKeepSeqidsAligned() {
        FecEncoder enc = new FecEncoder(3, 2, 0);
        enc.setMaxEncodeLatencyMs(50);
        byte[] p = new byte[100];
        assertEquals(0, enc.encode(p, 0, 100, 1000));
        assertEquals(0, enc.encode(p, 0, 100, 1000));
        assertEquals(2, enc.encode(p, 0, 100, 1000));
        assertEquals(3, FecHeader.seqid(enc.parityBuffer(0), 0));
        assertEquals(4, FecHeader.seqid(enc.parityBuffer(1), 0));
        enc.encode(p, 0, 100, 1000);
        assertEquals(5, FecHeader.seqid(p, 0));
        enc.encode(p, 0, 100, 1000);
        assertEquals(6, FecHeader.seqid(p, 0));
        assertEquals(0, enc.encode(p, 0, 100, 1070), "completed 70 ms after the previous packet: no parity");
        assertEquals(7, FecHeader.seqid(p, 0));
        enc.encode(p, 0, 100, 1070);
        assertEquals(10, FecHeader.seqid(p, 0), "8 and 9 were reserved for the skipped parity");
        assertEquals(1, enc.groupsSkipped());
    }

    @Test
    void shouldSendAGroupInterruptedByTrimWithoutParityAndEncodeTheNextOneNormally() {
        FecEncoder trimmed = new FecEncoder(3, 2, 0);
        FecEncoder reference = new FecEncoder(3, 2, 0);
        trimmed.setParitySkip(false); // 5.6.1's always-encode rule: only trim can skip a group
        reference.setParitySkip(false);
        for (int i = 0; i < 8; i++) {
            byte[] a = packet(0, pattern(20 + 9 * i));
            byte[] b = a.clone();
            if (i == 4) {
                trimmed.trim(); // group 1 holds packet 3 (seqid 5)
            }
            int readyA = trimmed.encode(a, 0, a.length, 0);
            int readyB = reference.encode(b, 0, b.length, 0);
            assertArrayEquals(b, a, "data packet " + i + " is sealed and numbered as usual");
            if (i == 5) {
                assertEquals(0, readyA, "the interrupted group gets no parity");
                assertEquals(2, readyB);
            } else {
                assertEquals(readyB, readyA, "packet " + i);
            }
        }
        assertEquals(1, trimmed.groupsSkipped());
        byte[] last = packet(0, pattern(33));
        assertEquals(2, trimmed.encode(last, 0, last.length, 0), "group 2 completes with parity");
        assertEquals(2, reference.encode(last.clone(), 0, last.length, 0));
        assertEquals(reference.parityLength(), trimmed.parityLength());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(java.util.Arrays.copyOf(reference.parityBuffer(k), reference.parityLength()),
                    java.util.Arrays.copyOf(trimmed.parityBuffer(k), trimmed.parityLength()));
        }
        assertEquals(reference.nextSeqid(), trimmed.nextSeqid());
    }

    @Test
    void shouldSkipAtExactlyTheThresholdAndEncodeOneMsBelow() {
        FecEncoder enc = new FecEncoder(2, 1, 0);
        byte[] p = new byte[20];
        enc.encode(p, 0, 20, 0);
        assertEquals(1, enc.encode(p, 0, 20, 499));
        enc.encode(p, 0, 20, 499);
        assertEquals(0, enc.encode(p, 0, 20, 999));
        enc.setParitySkip(false);
        enc.encode(p, 0, 20, 999);
        assertEquals(1, enc.encode(p, 0, 20, 100_000), "5.6.1 rule: always encode");
    }

    @Test
    void shouldSkipTheFirstGroupWhenOneDataShardHasNoPredecessorLikeKcpGo() {
        FecEncoder enc = new FecEncoder(1, 1, 0);
        byte[] p = new byte[20];
        assertEquals(0, enc.encode(p, 0, 20, 5));
        assertEquals(1, enc.encode(p, 0, 20, 6));
        assertEquals(2, FecHeader.seqid(p, 0));
    }

    @Test
    void shouldWrapSeqidsAtPaws() {
        FecEncoder enc = new FecEncoder(10, 3, 0);
        long paws = enc.paws();
        assertEquals(4294967287L, paws);
        enc.setNextSeqid((int) (paws - 13));
        byte[] p = new byte[64];
        int last = 0;
        for (int i = 0; i < 10; i++) {
            assertEquals((int) (paws - 13 + i), enc.nextSeqid());
            last = enc.encode(p, 0, 64, 0);
        }
        assertEquals(3, last);
        assertEquals((int) (paws - 1), FecHeader.seqid(enc.parityBuffer(2), 0));
        assertEquals(0, enc.nextSeqid());
        enc.encode(p, 0, 64, 0);
        assertEquals(0, FecHeader.seqid(p, 0));
    }

    @Test
    void shouldRejectMisuseWithMessagesNamingTheValue() {
        assertThrows(IllegalArgumentException.class, () -> new FecEncoder(0, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new FecEncoder(200, 57, 0));
        assertEquals("headerOffset out of [0, 1492]: -1",
                assertThrows(IllegalArgumentException.class, () -> new FecEncoder(1, 1, -1)).getMessage());
        FecEncoder enc = new FecEncoder(3, 2, 20);
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> enc.encode(new byte[27], 0, 27, 0));
        assertTrue(tooShort.getMessage().startsWith("packet length out of [28, 1500]: 27"));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(new byte[1501], 0, 1501, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> enc.encode(new byte[40], 10, 40, 0));
        assertThrows(IllegalArgumentException.class, () -> enc.setNextSeqid((int) enc.paws()));
        assertThrows(IndexOutOfBoundsException.class, () -> enc.parityBuffer(2));
    }
}
