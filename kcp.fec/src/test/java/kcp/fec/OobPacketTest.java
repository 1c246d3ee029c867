package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import kcp.fec.OobPacket.Verdict;
import org.junit.jupiter.api.Test;

/**
 * kcp-go v5.6.72's OOB packet (FEC type 0xF3) against golden/oob-vectors.txt (interop/go/bin/oobvec: kcp-go 5.6.1's
 * FEC encoder plus v5.6.72's encodeOOB changes), and every malformed variant dropped with its reason.
 */
class OobPacketTest {
    static final Path GOLDEN = GoldenVectorsTest.MODULE.resolve("src/test/resources/golden/oob-vectors.txt");

    record Vector(String kind, int conv, int n, byte[] packet) {
        @Override
        public String toString() {
            return kind + " conv=" + Integer.toHexString(conv) + " n=" + n;
        }
    }

    static List<Vector> vectors() throws Exception {
        List<Vector> out = new ArrayList<>();
        for (String line : Files.readAllLines(GOLDEN, StandardCharsets.US_ASCII)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            out.add(new Vector(f[0], Integer.parseUnsignedInt(f[1], 16), Integer.parseInt(f[2]),
                    HexFormat.of().parseHex(f[3])));
        }
        return out;
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (7 * i + 3);
        }
        return b;
    }

    @Test
    void shouldEncodeAndDecodeExactlyTheBytesOfKcpGo() throws Exception {
        int checked = 0;
        for (Vector v : vectors()) {
            if (!v.kind().equals("oob")) {
                continue;
            }
            byte[] buf = new byte[5 + v.packet().length + 3];
            Arrays.fill(buf, (byte) 0x5A);
            assertEquals(v.packet().length, OobPacket.encode(buf, 5, v.conv(), pattern(v.n()), 0, v.n()), v.toString());
            assertArrayEquals(v.packet(), Arrays.copyOfRange(buf, 5, 5 + v.packet().length), v.toString());
            assertEquals((byte) 0x5A, buf[4]);
            assertEquals((byte) 0x5A, buf[buf.length - 3]);

            byte[] p = v.packet();
            assertTrue(OobPacket.isOob(p, 0, p.length), v.toString());
            assertFalse(FecHeader.isFec(p, 0), v + ": must not be taken for a data or parity packet");
            assertEquals(Verdict.OK, OobPacket.check(p, 0, p.length, v.conv()), v.toString());
            assertEquals(v.conv(), OobPacket.conv(p, 0));
            assertEquals(v.n(), OobPacket.payloadLength(p.length));
            assertArrayEquals(pattern(v.n()), Arrays.copyOfRange(p, OobPacket.HEADER_SIZE, p.length), v.toString());
            checked++;
        }
        assertEquals(21, checked);
    }

    @Test
    void shouldDifferFromKcpGo561DataPacketsOnlyInSeqidAndType() throws Exception {
        List<Vector> all = vectors();
        int pairs = 0;
        for (int i = 0; i + 1 < all.size(); i += 2) {
            Vector data = all.get(i);
            Vector oob = all.get(i + 1);
            assertEquals("fecdata", data.kind());
            assertEquals("oob", oob.kind());
            assertEquals(FecHeader.TYPE_DATA, FecHeader.flag(data.packet(), 0));
            assertEquals(0, FecHeader.seqid(data.packet(), 0));
            // the size field and everything after it are 5.6.1's own bytes
            assertArrayEquals(Arrays.copyOfRange(data.packet(), 6, data.packet().length),
                    Arrays.copyOfRange(oob.packet(), 6, oob.packet().length), oob.toString());
            assertEquals("fffffffff300", HexFormat.of().formatHex(oob.packet(), 0, 6));
            pairs++;
        }
        assertEquals(21, pairs);
    }

    @Test
    void shouldDropMalformedPacketsWithAReasonToCount() {
        byte[] good = new byte[OobPacket.HEADER_SIZE + 10];
        int len = OobPacket.encode(good, 0, 0x11223344, pattern(10), 0, 10);
        assertEquals(Verdict.OK, OobPacket.check(good, 0, len, 0x11223344));
        assertEquals(Verdict.WRONG_CONV, OobPacket.check(good, 0, len, 0x11223345));
        // truncated: every length between the type field and the full header; beyond it the size field catches it
        for (int n = FecHeader.HEADER_SIZE; n < OobPacket.HEADER_SIZE; n++) {
            assertEquals(Verdict.TRUNCATED, OobPacket.check(good, 0, n, 0x11223344), "length " + n);
        }
        for (int n = OobPacket.HEADER_SIZE; n < len; n++) {
            assertEquals(Verdict.BAD_SIZE, OobPacket.check(good, 0, n, 0x11223344), "length " + n);
        }
        byte[] padded = Arrays.copyOf(good, len + 1);
        assertEquals(Verdict.BAD_SIZE, OobPacket.check(padded, 0, padded.length, 0x11223344));
        byte[] seq = good.clone();
        seq[0] = 0;
        assertEquals(Verdict.BAD_SEQID, OobPacket.check(seq, 0, len, 0x11223344));
        byte[] huge = new byte[1501];
        OobPacket.encode(huge, 0, 7, 1488);
        assertEquals(Verdict.OK, OobPacket.check(huge, 0, 1500, 7));
        assertEquals(Verdict.OVERSIZED, OobPacket.check(huge, 0, 1501, 7));
        byte[] data = good.clone();
        data[4] = (byte) FecHeader.TYPE_DATA;
        assertEquals(Verdict.NOT_OOB, OobPacket.check(data, 0, len, 0x11223344));
        assertEquals(Verdict.NOT_OOB, OobPacket.check(good, 0, 5, 0x11223344));
        assertFalse(OobPacket.isOob(good, 0, 5));
        // kcp-go's KCP commands 81..84 with any frg never read as 0x00F3 at offset 4
        byte[] kcp = new byte[24];
        for (int cmd = 81; cmd <= 84; cmd++) {
            for (int frg = 0; frg < 256; frg++) {
                kcp[4] = (byte) cmd;
                kcp[5] = (byte) frg;
                assertFalse(OobPacket.isOob(kcp, 0, 24));
            }
        }
    }

    @Test
    void shouldRefuseOversizedOrNegativePayloadsWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OobPacket.encode(new byte[2000], 0, 1, 1489));
        assertTrue(e.getMessage().contains("oobMaxSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OobPacket.encode(new byte[20], 0, 1, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> OobPacket.encode(new byte[20], 0, 1, 9));
    }

    @Test
    void shouldRegenerateTheCommittedOobVectorsWithGo() throws Exception {
        assertEquals(Files.readString(GOLDEN, StandardCharsets.US_ASCII), GoldenVectorsTest.goOutput("oobvec"),
                "Go output differs from " + GOLDEN + "; regenerate with interop/go/build.sh && interop/go/bin/oobvec > "
                        + "kcp.fec/src/test/resources/golden/oob-vectors.txt");
    }
}
