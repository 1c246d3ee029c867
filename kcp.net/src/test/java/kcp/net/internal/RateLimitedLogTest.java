package kcp.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    /** A System.Logger that keeps what reaches it at INFO and above (DEBUG off). */
    static final class Captured implements System.Logger {
        record Line(Level level, String message, Throwable thrown) {
        }

        final List<Line> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "captured";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                lines.add(new Line(level, msg, thrown));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                lines.add(new Line(level, format, null));
            }
        }
    }

    @Test
    void shouldLogTheFirstAtOnceThenOncePerIntervalWithTheCountSwallowed() {
        Captured log = new Captured();
        AtomicLong now = new AtomicLong(5_000);
        RateLimitedLog limited = new RateLimitedLog(log, 60_000_000_000L, now::get);
        RuntimeException first = new RuntimeException("first");
        for (int i = 0; i < 10_000; i++) {
            limited.log(System.Logger.Level.ERROR, "handler failed", i == 0 ? first : new RuntimeException());
            now.addAndGet(1_000_000L); // 1 ms apart: 10 s in all
        }
        assertEquals(1, log.lines.size());
        assertEquals(System.Logger.Level.ERROR, log.lines.get(0).level());
        assertEquals("handler failed", log.lines.get(0).message());
        assertSame(first, log.lines.get(0).thrown(), "the first occurrence with its stack trace");
        assertEquals(9_999, limited.suppressed());
        now.addAndGet(60_000_000_000L);
        limited.log(System.Logger.Level.ERROR, "handler failed", null);
        assertEquals(2, log.lines.size());
        assertTrue(log.lines.get(1).message().startsWith("handler failed (9999 more since the last report"),
                log.lines.get(1).message());
        assertEquals(2, limited.reports());
        assertEquals(0, limited.suppressed());
    }
}
