package kcp.net.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import kcp.crypto.PacketSealer;

/**
 * A socket-wide record of recently seen datagram nonces that drops exact repeats (replayed or duplicated
 * datagrams) within a time window, in fixed memory whatever the traffic. kcp-go draws a fresh random nonce for
 * every datagram it seals (data, parity and retransmissions alike), so a nonce seen twice is a copy of one
 * datagram: a replay by a stranger, a network duplicate, or kcp-go's {@code SetDUP} test copies, which are
 * byte-identical (sess.go {@code output}, 5.6.1 and v5.6.72) and therefore redundant.
 *
 * <pre>
 *  where the nonce is, after {@link PacketSealer#open} succeeded (both decrypt in place or leave it in clear):
 *    CFB family, "none": | nonce 16 | CRC32 4 | payload ... |        (nonceLength 16, headerSize 20)
 *    AES-GCM:            | nonce 12 | payload ...    | tag 16 |       (nonceLength 12, headerSize 12)
 *
 *  two generations of an open-addressing table, each {@code slots} entries of two longs:
 *    key   = fmix64(nonce[0..8) LE ^ seed)       slot index = key &amp; (slots - 1), linear probing, 0 = empty
 *    check = nonce[8..16) LE (or [8..12) for a 12-byte nonce, zero-extended)
 *  admit(): look in current, then previous; found = repeat (counted, drop); else insert into current.
 *  rotate (previous := current, current := cleared old previous) when current is {@code windowMs} old or half
 *  full; after two windows without a datagram both are cleared.
 * </pre>
 *
 * <p><b>Guarantee.</b> A repeat is caught if it arrives less than {@code windowMs} after the first copy and fewer
 * than {@code slots / 2} new nonces came in between; nonces are forgotten after at most about two windows. Under
 * capacity pressure (more than {@code slots / 2} datagrams per window) the table rotates early
 * ({@link #earlyRotations()} counts it) and the effective window shrinks to the time those datagrams take; memory
 * never grows ({@link #memoryBytes()} is fixed at construction).
 *
 * <p><b>False positives.</b> The pair (key, check) is a bijection of the nonce (its first 16 bytes; fmix64 is
 * invertible), so two different nonces never match; the only exception, the remap of key 0 to a constant, needs a
 * nonce whose mixed key is 0 (probability 2^-64) and a second one with the same check word. A genuine datagram is
 * therefore dropped only if its peer really repeated a random nonce: at most 2^15 remembered nonces per generation
 * give about 2^16 / 2^96 = 2^-80 per datagram for GCM's 96 bits (2^-112 for CFB's 128), and even then KCP
 * retransmits the lost segments as it does for any loss.
 *
 * <p><b>Order.</b> Call {@link #admit} only after the sealer authenticated the datagram (CRC or GCM tag): a
 * stranger without the key then cannot insert nonces and evict genuine ones; a replay still costs one
 * decryption, like any garbage. The seed (random per socket) keeps slot positions unpredictable, so even with the
 * forgeable "none" cipher nobody can aim nonces at one probe chain.
 *
 * <p>Thread-safety: NOT thread-safe. One receive loop per socket calls {@link #admit}; the counters are
 * volatile and may be read from any thread. Allocation: none after construction.
 */
public final class ReplayFilter {
    /** Default slots per generation: 2^16 (2 MiB for both generations; at most 32,768 nonces per generation). */
    public static final int DEFAULT_SLOTS = 1 << 16;
    /** Default window: 30 s (kcp-go's dead link is about 20-38 s, kcptun's keepalive timeout 30 s). */
    public static final long DEFAULT_WINDOW_MS = 30_000;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    /** Stands in for a key that mixes to 0 (0 marks an empty slot). */
    private static final long ZERO_KEY = 0x9E3779B97F4A7C15L;

    private final int mask;
    private final int limit;
    private final long windowMs;
    private final long seed;
    private long[] current;
    private long[] previous;
    private int count;
    private long generationStartMs;
    private boolean started;
    private volatile long repeats;
    private volatile long rotations;
    private volatile long earlyRotations;

    /**
     * Creates a filter.
     *
     * @param slots    table slots per generation, a power of two in [16, 2^24]; at most {@code slots / 2} nonces
     *                 per generation, memory {@code 32 * slots} bytes
     * @param windowMs how long a nonce is remembered at least, in milliseconds (1 ms .. 1 day)
     * @param seed     a random secret per socket that scatters nonces over the slots
     * @throws IllegalArgumentException if {@code slots} or {@code windowMs} is out of range
     */
    public ReplayFilter(int slots, long windowMs, long seed) {
        if (slots < 16 || slots > 1 << 24 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two in [16, 16777216]: " + slots);
        }
        if (windowMs < 1 || windowMs > 86_400_000L) {
            throw new IllegalArgumentException("windowMs must be in [1, 86400000]: " + windowMs);
        }
        this.mask = slots - 1;
        this.limit = slots / 2;
        this.windowMs = windowMs;
        this.seed = seed;
        this.current = new long[2 * slots];
        this.previous = new long[2 * slots];
    }

    /**
     * Returns how many leading bytes of a sealer's datagrams the filter keys on: 16 for kcp-go's CFB framing
     * ({@code headerSize() == 20}: nonce + CRC32), 12 for the 12-byte AEAD nonces (AES-GCM, ChaCha20-Poly1305),
     * and the first 16 of XChaCha20-Poly1305's 24 random nonce bytes ({@code headerSize() == 24}).
     *
     * @param sealer the socket's receive sealer
     * @return 16 or 12
     * @throws IllegalArgumentException for a sealer whose framing has no known nonce (no filter then)
     */
    public static int nonceLength(PacketSealer sealer) {
        Objects.requireNonNull(sealer, "sealer is null: without crypto there is no nonce to filter on");
        return switch (sealer.headerSize()) {
            case 20 -> 16;
            case 12 -> 12;
            case 24 -> 16;
            default -> throw new IllegalArgumentException("unknown sealer framing (header " + sealer.headerSize()
                    + " bytes): the replay filter knows CFB (20), 12-byte AEAD nonces (12) and XChaCha20 (24)");
        };
    }

    /**
     * Checks one authenticated datagram's nonce: records it and returns true the first time, returns false (and
     * counts a repeat) if the same nonce was seen within the window.
     *
     * @param buf      the opened datagram
     * @param off      where its nonce starts (the datagram's first byte)
     * @param nonceLen nonce bytes, 8 to 16 (see {@link #nonceLength})
     * @param nowMs    monotonic milliseconds, never decreasing by more than noise (a backward step is treated
     *                 as no time passing)
     * @return true to pass the datagram on, false to drop it as a repeat
     */
    public boolean admit(byte[] buf, int off, int nonceLen, long nowMs) {
        if (nonceLen < 8 || nonceLen > 16) {
            throw new IllegalArgumentException("nonceLen must be in [8, 16]: " + nonceLen);
        }
        Objects.checkFromIndexSize(off, nonceLen, buf.length);
        long key = mix((long) LONG_LE.get(buf, off) ^ seed);
        if (key == 0) {
            key = ZERO_KEY;
        }
        long check = checkWord(buf, off, nonceLen);
        advance(nowMs);
        if (contains(previous, key, check)) {
            repeats++;
            return false;
        }
        long[] t = current;
        int i = (int) key & mask;
        while (true) {
            long k = t[2 * i];
            if (k == 0) {
                break;
            }
            if (k == key && t[2 * i + 1] == check) {
                repeats++;
                return false;
            }
            i = (i + 1) & mask;
        }
        t[2 * i] = key;
        t[2 * i + 1] = check;
        if (++count >= limit) {
            earlyRotations++;
            rotate(nowMs);
        }
        return true;
    }

    private static long checkWord(byte[] buf, int off, int nonceLen) {
        int rest = nonceLen - 8;
        if (rest == 8) {
            return (long) LONG_LE.get(buf, off + 8);
        }
        if (rest == 4) {
            return Integer.toUnsignedLong((int) INT_LE.get(buf, off + 8));
        }
        long w = 0;
        for (int j = rest - 1; j >= 0; j--) {
            w = w << 8 | (buf[off + 8 + j] & 0xFF);
        }
        return w;
    }

    private boolean contains(long[] t, long key, long check) {
        int i = (int) key & mask;
        while (true) {
            long k = t[2 * i];
            if (k == 0) {
                return false;
            }
            if (k == key && t[2 * i + 1] == check) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    private void advance(long nowMs) {
        if (!started) {
            started = true;
            generationStartMs = nowMs;
            return;
        }
        long age = nowMs - generationStartMs;
        if (age >= 2 * windowMs) {
            // every nonce in both generations is older than the window: forget them all
            Arrays.fill(current, 0);
            rotate(nowMs);
        } else if (age >= windowMs) {
            rotate(nowMs);
        }
    }

    private void rotate(long nowMs) {
        long[] t = previous;
        previous = current;
        Arrays.fill(t, 0);
        current = t;
        count = 0;
        generationStartMs = nowMs;
        rotations++;
    }

    /** MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the whole word. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /**
     * Returns repeats dropped so far (the engine exposes them as an SNMP-style counter).
     *
     * @return repeats dropped so far
     */
    public long repeats() {
        return repeats;
    }

    /**
     * Returns how often the generations rotated, for time or for capacity.
     *
     * @return rotations so far
     */
    public long rotations() {
        return rotations;
    }

    /**
     * Returns how often a generation filled up before its window ended: each one means the effective window was
     * shorter than configured (more than {@code slots / 2} datagrams per window).
     *
     * @return rotations forced by capacity
     */
    public long earlyRotations() {
        return earlyRotations;
    }

    /**
     * Returns the nonces remembered in the current generation.
     *
     * @return the nonces remembered in the current generation
     */
    public int currentCount() {
        return count;
    }

    /**
     * Returns the configured window.
     *
     * @return the window in milliseconds
     */
    public long windowMs() {
        return windowMs;
    }

    /**
     * Returns the bytes held by both generations' tables, fixed at construction ({@code 32 * slots}).
     *
     * @return table bytes
     */
    public long memoryBytes() {
        return 8L * (current.length + previous.length);
    }
}
