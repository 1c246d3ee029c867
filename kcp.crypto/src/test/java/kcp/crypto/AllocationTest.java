package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Steady-state seal/open allocates nothing (JMH -prof gc is the real measurement; this guards against
 * regressions). Reads com.sun.management.ThreadMXBean reflectively: the module does not require
 * jdk.management and core reflection grants readability.
 */
class AllocationTest {
    @Test
    void shouldNotAllocatePerPacketInSteadyStateForCfbSealers() throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        for (String name : Ciphers.names()) {
            byte[] key = KeyDerivation.keyFor(name, KeyDerivation.kcptun("alloc"));
            PacketSealer s = PacketSealer.forName(name, key);
            PacketSealer o = PacketSealer.forName(name, key);
            byte[] buf = new byte[300];
            new SplittableRandom(7).nextBytes(buf);
            for (int i = 0; i < 20_000; i++) { // warm up (JIT, nonce pool)
                o.open(buf, 0, s.seal(buf, 0, 200 - (i & 63)));
            }
            long before = (long) allocated.invoke(mx);
            for (int i = 0; i < 10_000; i++) {
                o.open(buf, 0, s.seal(buf, 0, 200 - (i & 63)));
            }
            long bytes = (long) allocated.invoke(mx) - before;
            // nonce pool re-keying or a stray JIT deopt may allocate a little; per packet it must be ~0
            assertTrue(bytes < 16_384, name + ": " + bytes + " bytes allocated over 10000 seal+open");
        }
    }

    /**
     * AEAD sealers are not allocation-free: the JDK's ChaCha20 and AES-GCM must be initialised with every nonce
     * and allocate inside JCE (JMH -prof gc, 1500 B seal+open: ChaCha20-Poly1305 256 B, XChaCha20 352 B,
     * AES-GCM about 2 KB; docs/crypto-aead.md). This bounds them so a regression (say, a per-packet buffer) shows.
     */
    @Test
    void shouldBoundPerPacketAllocationOfAeadSealers() throws Exception {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        for (String name : PacketSealer.aeadNames()) {
            byte[] key = KeyDerivation.keyFor(name, KeyDerivation.kcptun("alloc"));
            PacketSealer s = PacketSealer.forName(name, key);
            PacketSealer o = PacketSealer.forName(name, key);
            byte[] buf = new byte[1600];
            new SplittableRandom(7).nextBytes(buf);
            for (int i = 0; i < 20_000; i++) {
                o.open(buf, 0, s.seal(buf, 0, 1400 - (i & 63)));
            }
            long before = (long) allocated.invoke(mx);
            for (int i = 0; i < 10_000; i++) {
                o.open(buf, 0, s.seal(buf, 0, 1400 - (i & 63)));
            }
            long perPacket = ((long) allocated.invoke(mx) - before) / 10_000;
            long bound = name.endsWith("gcm") ? 3072 : 512;
            assertTrue(perPacket <= bound, name + ": " + perPacket + " bytes per seal+open, bound " + bound);
        }
    }
}
