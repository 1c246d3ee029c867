package kcp.smux.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Seeded test payloads: random bytes, English-like text, byte runs, and a mix of all three. */
final class TestData {
    static final int RANDOM = 0;
    static final int TEXT = 1;
    static final int RUNS = 2;
    static final int MIXED = 3;

    private static final String[] WORDS = ("the quick brown fox jumps over a lazy dog while kcp sends segments "
            + "with acknowledgements windows and retransmission timers over udp in a tunnel of streams").split(" ");

    private TestData() {
    }

    static byte[] make(SplittableRandom rnd, int size, int kind) {
        byte[] b = new byte[size];
        switch (kind) {
            case RANDOM -> rnd.nextBytes(b);
            case TEXT -> text(rnd, b, 0, size);
            case RUNS -> {
                for (int i = 0; i < size; ) {
                    int run = Math.min(size - i, 1 + rnd.nextInt(300));
                    byte v = (byte) rnd.nextInt(4);
                    for (int k = 0; k < run; k++) {
                        b[i++] = v;
                    }
                }
            }
            default -> {
                for (int i = 0; i < size; ) {
                    int part = Math.min(size - i, 1 + rnd.nextInt(5000));
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            for (int k = 0; k < part; k++) {
                                b[i + k] = (byte) rnd.nextInt(256);
                            }
                        }
                        case 1 -> text(rnd, b, i, part);
                        default -> java.util.Arrays.fill(b, i, i + part, (byte) rnd.nextInt(256));
                    }
                    i += part;
                }
            }
        }
        return b;
    }

    private static void text(SplittableRandom rnd, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            byte[] w = (WORDS[rnd.nextInt(WORDS.length)] + " ").getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(w.length, end - i);
            System.arraycopy(w, 0, b, i, n);
            i += n;
        }
    }
}
