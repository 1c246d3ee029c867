package kcp.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SegmentHeaderTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldEncodeSpecAckExample() {
        // spec section 3: ACK for sn 0, una 1, wnd 31, ts 1000, conv 0x01020304 (verified against kcp-go 5.6.1)
        byte[] buf = new byte[24];
        int end = SegmentHeader.put(buf, 0, 0x01020304, SegmentHeader.CMD_ACK, 0, 31, 1000, 0, 1, 0);
        assertEquals(24, end);
        assertEquals("04030201" + "52" + "00" + "1f00" + "e8030000" + "00000000" + "01000000" + "00000000",
                HEX.formatHex(buf));
    }

    @Test
    void shouldDecodeEveryFieldOfTheSpecPushVector() {
        byte[] d = HEX.parseHex("0403020151002000e803000000000000000000000500000068656c6c6f");
        assertEquals(0x01020304, SegmentHeader.conv(d, 0));
        assertEquals(SegmentHeader.CMD_PUSH, SegmentHeader.cmd(d, 0));
        assertEquals(0, SegmentHeader.frg(d, 0));
        assertEquals(32, SegmentHeader.wnd(d, 0));
        assertEquals(1000, SegmentHeader.ts(d, 0));
        assertEquals(0, SegmentHeader.sn(d, 0));
        assertEquals(0, SegmentHeader.una(d, 0));
        assertEquals(5, SegmentHeader.len(d, 0));
    }

    @Test
    void shouldRoundTripRandomHeadersAtAnyOffsetIncludingUnsignedExtremes() {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] buf = new byte[100];
        for (int i = 0; i < 10_000; i++) {
            int off = rnd.nextInt(100 - 24 + 1);
            int conv = rnd.nextInt();
            int cmd = rnd.nextInt(256);
            int frg = rnd.nextInt(256);
            int wnd = rnd.nextInt(65536);
            int ts = rnd.nextInt();
            int sn = rnd.nextInt();
            int una = rnd.nextInt();
            int len = rnd.nextInt();
            SegmentHeader.put(buf, off, conv, cmd, frg, wnd, ts, sn, una, len);
            assertEquals(conv, SegmentHeader.conv(buf, off));
            assertEquals(cmd, SegmentHeader.cmd(buf, off));
            assertEquals(frg, SegmentHeader.frg(buf, off));
            assertEquals(wnd, SegmentHeader.wnd(buf, off));
            assertEquals(ts, SegmentHeader.ts(buf, off));
            assertEquals(sn, SegmentHeader.sn(buf, off));
            assertEquals(una, SegmentHeader.una(buf, off));
            assertEquals(len, SegmentHeader.len(buf, off));
        }
    }

    @Test
    void shouldPlaceSnAtTheListenerPeekOffset() {
        byte[] buf = new byte[24];
        SegmentHeader.put(buf, 0, 1, SegmentHeader.CMD_PUSH, 0, 0, 0, 0xCAFEBABE, 0, 0);
        assertEquals(12, SegmentHeader.SN_OFFSET);
        assertEquals(0xCAFEBABE, SegmentHeader.getInt(buf, SegmentHeader.SN_OFFSET));
    }

    @Test
    void shouldAcceptOnlyTheFourCommands() {
        for (int cmd = 0; cmd < 256; cmd++) {
            boolean valid = cmd == 81 || cmd == 82 || cmd == 83 || cmd == 84;
            if (valid) {
                assertTrue(SegmentHeader.isValidCmd(cmd), "cmd " + cmd);
            } else {
                assertFalse(SegmentHeader.isValidCmd(cmd), "cmd " + cmd);
            }
        }
    }
}
