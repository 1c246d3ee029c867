package kcp.fec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Mirrors kcp-go v5.6.72 autotune_test.go (TestAutoTune groups, TestAutoTuneEdge, overflow). */
class AutoTuneTest {

    private static AutoTune tune(String signals, int firstSeq) {
        AutoTune t = new AutoTune();
        for (int i = 0; i < signals.length(); i++) {
            t.sample(signals.charAt(i) == '1', firstSeq + i);
        }
        return t;
    }

    @ParameterizedTest(name = "{0} -> false {1}, true {2}")
    @CsvSource({
        "000000, -1, -1",
        "010101, 1, 1",
        "101001, 1, 1",
        "100001, 4, -1",
        "111111, -1, -1",
        "110110, 1, 2",
        "011101, 1, 3",
        "011110, -1, 4",
        "001100, -1, 2",
        "000111, -1, -1",
        "000001, -1, -1",
        "100000, -1, -1",
        "'', -1, -1",
        "1, -1, -1",
        "10, -1, -1",
        "101, 1, -1",
    })
    void shouldFindPeriodsLikeKcpGo(String signals, int expectedFalse, int expectedTrue) {
        AutoTune t = tune(signals, 0);
        assertEquals(expectedFalse, t.findPeriod(false), "parity period of " + signals);
        assertEquals(expectedTrue, t.findPeriod(true), "data period of " + signals);
        AutoTune wrapped = tune(signals, -3);
        assertEquals(expectedFalse, wrapped.findPeriod(false), "across the u32 wrap: " + signals);
        assertEquals(expectedTrue, wrapped.findPeriod(true), "across the u32 wrap: " + signals);
    }

    @Test
    void shouldKeepOnlyTheLast258SamplesAndSortOutOfOrderArrivals() {
        AutoTune t = new AutoTune();
        for (int i = 0; i < 1024; i++) {
            t.sample(i % 13 < 10, i);
        }
        assertEquals(AutoTune.MAX_SAMPLES, t.size());
        assertEquals(10, t.findPeriod(true));
        assertEquals(3, t.findPeriod(false));
        AutoTune shuffled = new AutoTune();
        int[] order = {5, 3, 4, 0, 2, 1, 8, 6, 7, 9, 12, 10, 11, 13, 14, 15, 16, 17};
        for (int s : order) {
            shuffled.sample(s % 5 < 3, s);
        }
        assertEquals(3, shuffled.findPeriod(true));
        assertEquals(2, shuffled.findPeriod(false));
    }

    @Test
    void shouldForgetEverythingOnTrimAndWorkAgainAfterIt() {
        AutoTune t = tune("1110011100111001110011100", 1000);
        assertEquals(2, t.findPeriod(false));
        assertEquals(3, t.findPeriod(true));
        t.trim();
        assertEquals(0, t.size());
        assertEquals(-1, t.findPeriod(true), "no samples after a trim");
        for (int i = 0; i < 3 * AutoTune.MAX_SAMPLES; i++) { // wraps the ring: bits of old slots are overwritten
            t.sample(i % 7 < 5, 50 + i);
        }
        assertEquals(AutoTune.MAX_SAMPLES, t.size());
        assertEquals(5, t.findPeriod(true));
        assertEquals(2, t.findPeriod(false));
    }

    @Test
    void shouldFailOnGapsAndDuplicates() {
        AutoTune gap = new AutoTune();
        for (int s : new int[] {0, 1, 3, 4, 5, 6, 7, 8}) {
            gap.sample(s % 5 < 3, s);
        }
        assertEquals(-1, gap.findPeriod(true));
        AutoTune dup = new AutoTune();
        for (int s : new int[] {0, 1, 1, 2, 3, 4, 5, 6, 7, 8}) {
            dup.sample(s % 5 < 3, s);
        }
        assertEquals(-1, dup.findPeriod(false));
    }
}
