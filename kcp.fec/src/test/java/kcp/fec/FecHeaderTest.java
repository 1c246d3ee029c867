package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FecHeaderTest {

    @Test
    void shouldWriteAndReadTheLittleEndianHeaderAtAnOffset() {
        byte[] buf = new byte[16];
        FecHeader.put(buf, 3, 0x01020304, FecHeader.TYPE_PARITY);
        assertEquals("00000004030201f20000000000000000", HexFormat.of().formatHex(buf));
        assertEquals(0x01020304, FecHeader.seqid(buf, 3));
        assertEquals(0xF2, FecHeader.flag(buf, 3));
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            int seq = rnd.nextInt();
            int flag = rnd.nextInt(0x10000);
            FecHeader.put(buf, 0, seq, flag);
            assertEquals(seq, FecHeader.seqid(buf, 0));
            assertEquals(flag, FecHeader.flag(buf, 0));
        }
    }

    @Test
    void shouldDemultiplexLikeKcpGo() {
        byte[] data = HexFormat.of().parseHex("00000000f1001f000403020151002000");
        byte[] plainKcp = HexFormat.of().parseHex("0403020151002000e8030000");
        assertTrue(FecHeader.isFec(data, 0));
        assertEquals(0x1F, FecHeader.size(data, 0));
        assertFalse(FecHeader.isFec(plainKcp, 0), "cmd/frg 0x0051 is plain KCP");
        data[4] = (byte) 0xF3;
        assertFalse(FecHeader.isFec(data, 0), "0xF3 is OOB, not FEC");
    }
}
