package kcp.smux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The primitive stream map and the receive ring against JDK oracles, on seeded random operations. */
class StreamMapTest {

    @Test
    void shouldAgreeWithHashMapUnderRandomPutsAndRemoves() {
        Random rnd = new Random(42);
        StreamMap map = new StreamMap();
        Map<Integer, MuxStream> oracle = new HashMap<>();
        MuxStream[] values = new MuxStream[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = allocateStream();
        }
        for (int op = 0; op < 200_000; op++) {
            // a narrow key range forces collisions and long probe chains; some keys near the int limits
            int key = rnd.nextBoolean() ? rnd.nextInt(300) * 2 + 1 : -rnd.nextInt(50);
            MuxStream v = values[rnd.nextInt(values.length)];
            if (rnd.nextInt(3) == 0) {
                MuxStream current = oracle.get(key);
                map.remove(key, current);
                oracle.remove(key);
            } else {
                map.put(key, v);
                oracle.put(key, v);
            }
            if (op % 1000 == 0) {
                for (int k = -60; k < 700; k++) {
                    assertSame(oracle.get(k), map.get(k), "key " + k + " after op " + op);
                }
            }
            assertEquals(oracle.size(), map.size());
        }
        mux.close();
    }

    @Test
    void shouldKeepBytesInOrderAcrossWrapAndGrowth() {
        Random rnd = new Random(9);
        ByteRing ring = new ByteRing();
        ByteRing.Spares spares = new ByteRing.Spares(1 << 20);
        java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int op = 0; op < 20_000; op++) {
            if (rnd.nextBoolean()) {
                byte[] b = new byte[rnd.nextInt(3000)];
                rnd.nextBytes(b);
                in.writeBytes(b);
                ring.write(ByteBuffer.wrap(b), b.length, spares);
            } else if (ring.size() > 0) {
                ByteBuffer dst = ByteBuffer.allocate(1 + rnd.nextInt(4000));
                int n = ring.read(dst, spares);
                out.write(dst.array(), 0, n);
                if (ring.size() == 0) {
                    assertEquals(0, ring.capacity(), "a drained ring gives its array back");
                }
            }
        }
        ByteBuffer rest = ByteBuffer.allocate(ring.size());
        ring.read(rest, spares);
        out.writeBytes(rest.array());
        org.junit.jupiter.api.Assertions.assertArrayEquals(in.toByteArray(), out.toByteArray());
        assertEquals(true, spares.bytes() <= 1 << 20);
    }

    /**
     * Eight streams that drain and refill, as a tunnel's do (frames of up to 32 KiB in, 16 KiB reads out), reuse
     * the session's spare arrays once warm: no new array per burst, whatever sizes the rings grew to.
     */
    @Test
    void shouldReuseSpareArraysWhenStreamsDrainAndRefill() {
        Random rnd = new Random(5);
        ByteRing[] rings = new ByteRing[8];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new ByteRing();
        }
        ByteRing.Spares spares = new ByteRing.Spares(4 << 20);
        java.util.Set<byte[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ByteBuffer dst = ByteBuffer.allocate(16 * 1024);
        byte[] frame = new byte[32 * 1024];
        int lateArrays = 0;
        for (int burst = 0; burst < 3_000; burst++) {
            ByteRing ring = rings[rnd.nextInt(rings.length)];
            for (int f = 1 + rnd.nextInt(8); f > 0; f--) {
                int n = 1 + rnd.nextInt(frame.length);
                ring.write(ByteBuffer.wrap(frame, 0, n), n, spares);
                if (seen.add(array(ring)) && burst >= 1_000) {
                    lateArrays++;
                }
            }
            // another ring drains (the application reads it empty)
            ByteRing reader = rings[rnd.nextInt(rings.length)];
            while (reader.size() > 0) {
                dst.clear();
                reader.read(dst, spares);
            }
        }
        // Taking only exact-size spares and dropping offers to a full set allocated about 2,000 here.
        assertTrue(lateArrays <= 5, lateArrays + " arrays allocated after the first 1,000 bursts (" + seen.size()
                + " in all)");
        assertEquals(true, spares.bytes() <= 4 << 20);
    }

    /** The ring's current array (test only). */
    private static byte[] array(ByteRing ring) {
        try {
            java.lang.reflect.Field f = ByteRing.class.getDeclaredField("buf");
            f.setAccessible(true);
            return (byte[]) f.get(ring);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Mux mux;

    /** Streams of a real session over a JDK pipe; the map only needs their identity. */
    private static MuxStream allocateStream() {
        try {
            if (mux == null) {
                java.nio.channels.Pipe p = java.nio.channels.Pipe.open();
                // the session reads from a pipe nobody writes: reading back its own SYNs (odd ids, "from the
                // server") would close it with an invalid-protocol error whenever its reader ran before the opens
                java.nio.channels.Pipe silent = java.nio.channels.Pipe.open();
                java.nio.channels.ByteChannel ch = new java.nio.channels.ByteChannel() {
                    @Override
                    public int read(ByteBuffer dst) throws java.io.IOException {
                        return silent.source().read(dst);
                    }

                    @Override
                    public int write(ByteBuffer src) throws java.io.IOException {
                        return p.sink().write(src);
                    }

                    @Override
                    public boolean isOpen() {
                        return p.sink().isOpen();
                    }

                    @Override
                    public void close() throws java.io.IOException {
                        p.sink().close();
                        p.source().close();
                    }
                };
                mux = new Mux(ch, kcp.smux.SmuxConfig.defaults().withKeepAliveDisabled(true), true,
                        KeepAliveScheduler.shared(), 16);
            }
            return mux.open();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
