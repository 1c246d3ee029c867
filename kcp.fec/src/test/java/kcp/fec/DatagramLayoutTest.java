package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** kcp-go v5.6.72's SetMtu floor (PR #337) and GetOOBMaxSize, from its sess.go/kcp.go arithmetic and tests. */
class DatagramLayoutTest {
    @Test
    void shouldPutTheMtuFloorAtHeaderOverheadPlus25() {
        assertEquals(25, DatagramLayout.minMtu(0, false));
        assertEquals(33, DatagramLayout.minMtu(0, true));
        assertEquals(45, DatagramLayout.minMtu(20, false));
        // kcp-go's TestSetMTU: IKCP_OVERHEAD + cryptHeaderSize + fecHeaderSizePlus2 + 1 is accepted
        assertEquals(24 + 20 + 8 + 1, DatagramLayout.minMtu(20, true));
        assertEquals(25 + 28 + 8, DatagramLayout.minMtu(12 + 16, true));
        assertEquals(25 + 40 + 8, DatagramLayout.minMtu(24 + 16, true));
        for (int crypto : new int[] {0, 20, 28, 40}) {
            for (boolean fec : new boolean[] {false, true}) {
                int floor = DatagramLayout.minMtu(crypto, fec);
                assertEquals(25, DatagramLayout.kcpMtu(floor, crypto, fec));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> DatagramLayout.kcpMtu(floor - 1, crypto, fec));
                assertTrue(e.getMessage().contains("mtu >= " + floor), e.getMessage());
            }
        }
        // kcp-go's TestSetMTU: IKCP_OVERHEAD itself is refused even without any header
        assertThrows(IllegalArgumentException.class, () -> DatagramLayout.kcpMtu(24, 0, false));
        assertThrows(IllegalArgumentException.class, () -> DatagramLayout.minMtu(-1, false));
    }

    @Test
    void shouldClampToKcpGosMtuLimitLikeSetMtu() {
        assertEquals(1500 - 20 - 8, DatagramLayout.kcpMtu(9000, 20, true));
        assertEquals(1400 - 20 - 8, DatagramLayout.kcpMtu(1400, 20, true));
    }

    @Test
    void shouldComputeOobMaxSizeLikeGetOobMaxSize() {
        assertEquals(0, DatagramLayout.oobMaxSize(1400, 20, false), "no FEC: OOB unsupported");
        assertEquals(1400 - 8 - 4, DatagramLayout.oobMaxSize(1400, 0, true));
        assertEquals(1400 - 20 - 8 - 4, DatagramLayout.oobMaxSize(1400, 20, true));
        assertEquals(1400 - 12 - 16 - 8 - 4, DatagramLayout.oobMaxSize(1400, 28, true));
        assertEquals(1400 - 24 - 16 - 8 - 4, DatagramLayout.oobMaxSize(1400, 40, true));
        assertEquals(1500 - 8 - 4, DatagramLayout.oobMaxSize(1500, 0, true));
        // at the floor an OOB packet still carries 21 bytes
        assertEquals(21, DatagramLayout.oobMaxSize(DatagramLayout.minMtu(28, true), 28, true));
        // the largest OOB packet fills the datagram exactly
        for (int crypto : new int[] {0, 20, 28, 40}) {
            for (int mtu = DatagramLayout.minMtu(crypto, true); mtu <= 1500; mtu += 7) {
                assertEquals(mtu, crypto + OobPacket.HEADER_SIZE + DatagramLayout.oobMaxSize(mtu, crypto, true));
            }
        }
    }
}
