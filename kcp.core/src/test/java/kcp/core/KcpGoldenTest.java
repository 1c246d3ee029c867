package kcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import kcp.core.wire.SegmentHeader;
import org.junit.jupiter.api.Test;

/** Datagrams produced by the state machine equal the kcp-go bytes of spec sections 3 and 13.5. */
class KcpGoldenTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int CONV = 0x01020304;

    @Test
    void shouldEmitTheSpecPushDatagram() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        kcp.send(hello, 0, hello.length);
        kcp.flush(false, 900); // kcp-go: cwnd starts at 0, the first flush only opens it to 1
        assertEquals(0, out.sent.size());
        kcp.flush(false, 1000);
        assertEquals(1, out.sent.size());
        assertEquals("0403020151002000e803000000000000000000000500000068656c6c6f", HEX.formatHex(out.sent.get(0)));
    }

    @Test
    void shouldEmitTheSpecAckDatagram() {
        Datagrams out = new Datagrams();
        Kcp kcp = new Kcp(CONV, out);
        byte[] push = Datagrams.segment(CONV, SegmentHeader.CMD_PUSH, 0, 32, 1000, 0, 0, new byte[] {7});
        assertEquals(InputResult.OK, Datagrams.feed(kcp, push, 5000));
        kcp.flush(true, 5000);
        assertEquals(1, out.sent.size());
        // one message waits in rcv_queue: wnd 31, una 1, ts echoes the PUSH's 1000
        assertEquals("04030201" + "52" + "00" + "1f00" + "e8030000" + "00000000" + "01000000" + "00000000",
                HEX.formatHex(out.sent.get(0)));
    }
}
