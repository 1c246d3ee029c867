package kcp.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;

/**
 * Blowfish's initial state is the fractional part of pi, which {@link BlowfishCrypt} reads from a resource: here it
 * is computed again, with Machin's formula, and the resource must hold exactly those bytes.
 */
class BlowfishPiTest {
    private static final int WORDS = 18 + 4 * 256;

    @Test
    void shouldShipTheFirst1042WordsOfPisFractionalPart() throws Exception {
        byte[] shipped;
        try (InputStream in = BlowfishCrypt.class.getResourceAsStream(BlowfishCrypt.RESOURCE)) {
            shipped = in.readAllBytes();
        }
        assertEquals(WORDS * 4, shipped.length);
        assertArrayEquals(piFraction(WORDS * 4), shipped);
    }

    /** The first {@code n} bytes of pi's fractional part, big-endian. */
    private static byte[] piFraction(int n) {
        int guard = 64;
        int bits = n * 8 + guard;
        BigInteger one = BigInteger.ONE.shiftLeft(bits);
        // Machin: pi = 16 atan(1/5) - 4 atan(1/239); each term truncates, the guard bits absorb it.
        BigInteger pi = arctanInverse(5, one).shiftLeft(4).subtract(arctanInverse(239, one).shiftLeft(2));
        byte[] be = pi.subtract(BigInteger.valueOf(3).shiftLeft(bits)).shiftRight(guard).toByteArray();
        byte[] out = new byte[n];
        int skip = be.length - n; // toByteArray may add a leading sign byte or drop leading zeros
        for (int i = 0; i < n; i++) {
            out[i] = skip + i < 0 ? 0 : be[skip + i];
        }
        return out;
    }

    /** atan(1/x) scaled by {@code one}, by its Taylor series. */
    private static BigInteger arctanInverse(int x, BigInteger one) {
        BigInteger x2 = BigInteger.valueOf((long) x * x);
        BigInteger power = one.divide(BigInteger.valueOf(x));
        BigInteger sum = power;
        for (int k = 1; power.signum() != 0; k++) {
            power = power.divide(x2);
            BigInteger term = power.divide(BigInteger.valueOf(2L * k + 1));
            sum = (k & 1) == 1 ? sum.subtract(term) : sum.add(term);
        }
        return sum;
    }
}
