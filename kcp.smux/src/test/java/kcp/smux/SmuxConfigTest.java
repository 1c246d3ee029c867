package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmuxConfigTest {

    @Test
    void shouldMatchSmuxDefaults() {
        SmuxConfig c = SmuxConfig.defaults();
        assertEquals(1, c.version());
        assertEquals(Duration.ofSeconds(10), c.keepAliveInterval());
        assertEquals(Duration.ofSeconds(30), c.keepAliveTimeout());
        assertEquals(32768, c.maxFrameSize());
        assertEquals(4194304, c.maxReceiveBuffer());
        assertEquals(65536, c.maxStreamBuffer());
    }

    @Test
    void shouldNameTheFieldInEveryRejection() {
        SmuxConfig d = SmuxConfig.defaults();
        assertMessage("version", () -> d.withVersion(3));
        assertMessage("maxFrameSize", () -> d.withMaxFrameSize(65536));
        assertMessage("maxFrameSize", () -> d.withMaxFrameSize(0));
        assertMessage("maxStreamBuffer", () -> d.withBuffers(1000, 2000));
        assertMessage("maxReceiveBuffer", () -> d.withBuffers(0, 0));
        assertMessage("keepAliveTimeout", () -> d.withKeepAlive(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertMessage("keepAliveInterval", () -> d.withKeepAlive(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void shouldSkipKeepAliveChecksWhenDisabled() {
        SmuxConfig c = SmuxConfig.defaults().withKeepAliveDisabled(true)
                .withKeepAlive(Duration.ZERO, Duration.ZERO);
        assertTrue(c.keepAliveDisabled());
    }

    private static void assertMessage(String field, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
