package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;

import kcp.crypto.KeyDerivation;
import kcp.crypto.PacketSealer;
import org.junit.jupiter.api.Test;

/** {@link ReplayFilter} in virtual time: the clock is whatever the test passes in. */
class ReplayFilterTest {
    private static final int SLOTS = 1 << 10;
    private static final long WINDOW = 1_000;

    private static byte[] nonce(SplittableRandom r, int len) {
        byte[] b = new byte[len];
        r.nextBytes(b);
        return b;
    }

    @Test
    void shouldDropAnExactRepeatInsideTheWindowAndCountIt() {
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 1);
        byte[] n = nonce(new SplittableRandom(1), 16);
        assertTrue(f.admit(n, 0, 16, 0));
        assertFalse(f.admit(n, 0, 16, 10));
        assertFalse(f.admit(n.clone(), 0, 16, WINDOW - 1), "a copy in another buffer is the same nonce");
        assertEquals(2, f.repeats());
    }

    @Test
    void shouldRememberANonceForAtLeastTheWindowAcrossARotationAndForgetItAfterTwo() {
        SplittableRandom r = new SplittableRandom(2);
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 2);
        byte[] old = nonce(r, 16);
        assertTrue(f.admit(old, 0, 16, 0));
        byte[] late = nonce(r, 16);
        assertTrue(f.admit(late, 0, 16, 900)); // near the end of the first generation
        assertTrue(f.admit(nonce(r, 16), 0, 16, 1_000)); // rotates: both move to the previous generation
        assertEquals(1, f.rotations());
        assertFalse(f.admit(late, 0, 16, 1_899), "899 ms after it was seen, across a rotation");
        assertTrue(f.admit(nonce(r, 16), 0, 16, 2_000)); // rotates again: the first generation is gone
        assertTrue(f.admit(old, 0, 16, 2_000), "2 s after: forgotten, admitted as new");
        assertTrue(f.admit(late, 0, 16, 2_001), "1.1 s after, beyond the window once its generation aged out");
        assertEquals(1, f.repeats());
    }

    @Test
    void shouldForgetEverythingAfterTwoWindowsOfSilence() {
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 3);
        byte[] a = nonce(new SplittableRandom(3), 16);
        assertTrue(f.admit(a, 0, 16, 0));
        assertTrue(f.admit(a, 0, 16, 2 * WINDOW), "two windows of silence clear both generations");
        assertFalse(f.admit(a, 0, 16, 2 * WINDOW + 1));
    }

    @Test
    void shouldTreatABackwardClockStepAsNoTimePassing() {
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 4);
        byte[] a = nonce(new SplittableRandom(4), 12);
        assertTrue(f.admit(a, 0, 12, 5_000));
        assertFalse(f.admit(a, 0, 12, 1_000));
        assertEquals(0, f.rotations());
    }

    @Test
    void shouldTellApartNoncesThatShareTheirFirstEightBytes() {
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 5);
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        Arrays.fill(a, 0, 8, (byte) 0x5A);
        Arrays.fill(b, 0, 8, (byte) 0x5A);
        a[15] = 1;
        b[15] = 2;
        assertTrue(f.admit(a, 0, 16, 0));
        assertTrue(f.admit(b, 0, 16, 0), "same key word, different check word: a different nonce");
        byte[] c = a.clone();
        c[8] = 7; // differs inside a 12-byte nonce's check bytes
        assertTrue(f.admit(c, 0, 12, 0));
        assertFalse(f.admit(a, 0, 16, 1));
        assertEquals(1, f.repeats());
    }

    @Test
    void shouldLookOnlyAtTheNonceBytesAndTheGivenOffset() {
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 6);
        byte[] d1 = new byte[40];
        new SplittableRandom(6).nextBytes(d1);
        byte[] d2 = new byte[45];
        System.arraycopy(d1, 0, d2, 5, 12);
        d2[5 + 20] ^= 1; // same 12-byte nonce, different payload
        assertTrue(f.admit(d1, 0, 12, 0));
        assertFalse(f.admit(d2, 5, 12, 0));
        byte[] allZero = new byte[16];
        assertTrue(f.admit(allZero, 0, 16, 0), "the all-zero nonce is a nonce like any other");
        assertFalse(f.admit(allZero, 0, 16, 1));
        for (int len = 8; len <= 16; len++) {
            byte[] n = nonce(new SplittableRandom(100 + len), 16);
            assertTrue(f.admit(n, 0, len, 2), "length " + len);
            assertFalse(f.admit(n, 0, len, 2), "length " + len);
        }
    }

    @Test
    void shouldKeepMemoryFixedAndStillCatchRecentRepeatsUnderCapacityPressure() {
        ReplayFilter f = new ReplayFilter(SLOTS, 60_000, 7);
        long bytes = f.memoryBytes();
        assertEquals(32L * SLOTS, bytes);
        int flood = 50 * SLOTS;
        byte[][] recent = new byte[SLOTS / 2][];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < flood; i++) {
            byte[] n = nonce(r, 16);
            assertTrue(f.admit(n, 0, 16, i / 1000), "fresh nonce " + i);
            recent[i % recent.length] = n;
        }
        assertEquals(bytes, f.memoryBytes());
        assertTrue(f.earlyRotations() >= flood / (SLOTS / 2) - 1, "rotated for capacity: " + f.earlyRotations());
        assertTrue(f.currentCount() < SLOTS / 2);
        for (byte[] n : recent) { // the last slots/2 nonces are always remembered
            assertFalse(f.admit(n, 0, 16, flood / 1000));
        }
        assertEquals(SLOTS / 2, f.repeats());
    }

    @Test
    void shouldReportNoFalsePositiveAmongTenMillionRandomNonces() {
        SplittableRandom r = new SplittableRandom(20261207L);
        for (int len : new int[] {16, 12}) {
            ReplayFilter f = new ReplayFilter(ReplayFilter.DEFAULT_SLOTS, ReplayFilter.DEFAULT_WINDOW_MS, r.nextLong());
            byte[] n = new byte[16];
            long falsePositives = 0;
            int total = len == 16 ? 10_000_000 : 2_000_000;
            for (int i = 0; i < total; i++) {
                r.nextBytes(n);
                if (!f.admit(n, 0, len, i / 100)) { // 100,000 datagrams per virtual second: rotates for capacity
                    falsePositives++;
                }
            }
            assertEquals(0, falsePositives, len + "-byte nonces");
            assertEquals(0, f.repeats());
            assertTrue(f.earlyRotations() > 0, "the table ran full many times over");
        }
    }

    @Test
    void shouldAllocateNothingPerDatagram() throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 8);
        byte[][] nonces = new byte[4096][];
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < nonces.length; i++) {
            nonces[i] = nonce(r, 16);
        }
        for (int i = 0; i < 200_000; i++) { // warm-up: JIT, both generations
            f.admit(nonces[i & 4095], 0, 16, i / 50);
        }
        long before = (long) allocated.invoke(mx);
        for (int i = 200_000; i < 300_000; i++) {
            f.admit(nonces[i & 4095], 0, 16, i / 50);
        }
        long bytes = (long) allocated.invoke(mx) - before;
        assertTrue(bytes < 4_096, bytes + " bytes allocated over 100,000 datagrams");
    }

    @Test
    void shouldPassFreshSealedDatagramsAndDropByteIdenticalCopiesForCfbAndAeads() {
        for (String name : new String[] {"aes", "salsa20", "none", "aes-128-gcm", "chacha20-poly1305",
                "xchacha20-poly1305"}) {
            boolean aead = name.endsWith("gcm") || name.endsWith("poly1305");
            byte[] key = name.endsWith("gcm") ? new byte[16]
                    : name.endsWith("poly1305") ? new byte[32] : KeyDerivation.keyFor(name, KeyDerivation.kcptun("k"));
            PacketSealer tx = PacketSealer.forName(name, key);
            PacketSealer rx = PacketSealer.forName(name, key);
            int nonceLen = ReplayFilter.nonceLength(rx);
            assertEquals(aead && !name.startsWith("x") ? 12 : 16, nonceLen);
            ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 9);
            byte[] payload = "the same segment, sealed twice".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[][] wire = new byte[3][];
            for (int i = 0; i < 3; i++) { // a retransmission seals the same bytes with a fresh nonce
                byte[] buf = new byte[200];
                System.arraycopy(payload, 0, buf, tx.headerSize(), payload.length);
                wire[i] = Arrays.copyOf(buf, tx.seal(buf, 0, payload.length));
            }
            for (int i = 0; i < 3; i++) {
                byte[] d = wire[i].clone();
                assertEquals(payload.length, rx.open(d, 0, d.length));
                assertTrue(f.admit(d, 0, nonceLen, i), name + ": fresh nonce " + i);
            }
            byte[] replay = wire[1].clone(); // what kcp-go's SetDUP or an attacker sends: the same bytes again
            assertEquals(payload.length, rx.open(replay, 0, replay.length));
            assertFalse(f.admit(replay, 0, nonceLen, 5), name + ": byte-identical copy");
            assertEquals(1, f.repeats());
        }
    }

    @Test
    void shouldRejectBadConfigurationWithAMessageSayingWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayFilter(1000, 1, 0));
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReplayFilter(1024, 0, 0));
        ReplayFilter f = new ReplayFilter(SLOTS, WINDOW, 0);
        assertThrows(IllegalArgumentException.class, () -> f.admit(new byte[16], 0, 7, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> f.admit(new byte[16], 4, 16, 0));
    }
}
