package kcp.smux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Header layout vectors written out by hand from smux's frame.go (binary.LittleEndian) and the receive rules. */
class FramesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldEncodeHeadersLittleEndianAsSmux() {
        assertEquals("0102050003000000", header(1, Frames.PSH, 5, 3));
        assertEquals("0100000002000000", header(1, Frames.SYN, 0, 2));
        assertEquals("0201000001000080", header(2, Frames.FIN, 0, 0x80000001));
        assertEquals("0103000000000000", header(1, Frames.NOP, 0, 0));
        assertEquals("0202ffffffffffff", header(2, Frames.PSH, 65535, -1));
    }

    @Test
    void shouldEncodeUpdAsConsumedThenWindow() {
        ByteBuffer b = ByteBuffer.allocate(16);
        Frames.putUpd(b, 2, 7, 0x01020304, 65536);
        assertEquals(16, b.position());
        assertArrayEquals(HEX.parseHex("02040800070000000403020100000100"), b.array());
    }

    @Test
    void shouldDecodeWhatItEncodes() {
        ByteBuffer b = ByteBuffer.allocate(11);
        b.position(3);
        Frames.putHeader(b, 2, Frames.UPD, 8, 0xfffffffe);
        assertEquals(2, Frames.version(b, 3));
        assertEquals(Frames.UPD, Frames.cmd(b, 3));
        assertEquals(8, Frames.length(b, 3));
        assertEquals(0xfffffffe, Frames.streamId(b, 3));
        assertEquals(4294967294L, Integer.toUnsignedLong(Frames.streamId(b, 3)));
    }

    @Test
    void shouldAcceptEverythingSmux1516Sends() {
        for (int v = 1; v <= 2; v++) {
            assertNull(Frames.violation(v, v, Frames.SYN, 0));
            assertNull(Frames.violation(v, v, Frames.FIN, 0));
            assertNull(Frames.violation(v, v, Frames.NOP, 0));
            assertNull(Frames.violation(v, v, Frames.PSH, 0));
            assertNull(Frames.violation(v, v, Frames.PSH, 65535));
        }
        assertNull(Frames.violation(2, 2, Frames.UPD, 8));
    }

    @Test
    void shouldNameEachViolation() {
        assertViolation("version byte 2", Frames.violation(1, 2, Frames.PSH, 0));
        assertViolation("unknown cmd 5", Frames.violation(2, 2, 5, 0));
        assertViolation("unknown cmd 255", Frames.violation(1, 1, 255, 0));
        assertViolation("UPD frame in a version 1 session", Frames.violation(1, 1, Frames.UPD, 8));
        assertViolation("UPD frame with 7 bytes", Frames.violation(2, 2, Frames.UPD, 7));
        assertViolation("SYN frame with 1 bytes", Frames.violation(1, 1, Frames.SYN, 1));
        assertViolation("FIN frame with 4 bytes", Frames.violation(2, 2, Frames.FIN, 4));
        assertViolation("NOP frame with 9 bytes", Frames.violation(1, 1, Frames.NOP, 9));
    }

    private static void assertViolation(String expected, String actual) {
        assertTrue(actual != null && actual.startsWith("invalid protocol: ") && actual.contains(expected), actual);
    }

    private static String header(int ver, int cmd, int len, int sid) {
        ByteBuffer b = ByteBuffer.allocate(8);
        Frames.putHeader(b, ver, cmd, len, sid);
        assertEquals(8, b.position());
        return HEX.formatHex(b.array());
    }
}
