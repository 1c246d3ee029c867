package kcp.bench.smux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** SnappyBench's payloads are the bytes snappyvec's generator makes, so the Java/Go comparison is like for like. */
class SnappyBenchPayloadTest {
    @Test
    void shouldGenerateWhatSnappyvecGenerates() throws Exception {
        // sha256 of interop/go/bin/snappyvec gen's 64k.raw (text(9, 65536)) and 64k+1-random.raw (random(11, 65537))
        assertEquals("1df9700dcd62bba8bff3ed2e264502d0fd68479e5d0af193a77326b2ec459526",
                sha(SnappyBench.text(9, 65536)));
        assertEquals("aa00e0b13e1f5a9a2a1ed4a5435e6a82d452ab070f07203285739a77b2a7eecb",
                sha(SnappyBench.random(11, 65537)));
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
