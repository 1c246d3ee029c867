package kcp.examples;

import static kcp.examples.EchoExampleTest.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ObservabilityExampleTest {
    private static final Pattern ROW =
            Pattern.compile("(\\w+) +session +(\\d+) +jmx +(\\d+) +process +(\\d+)");

    @Test
    void shouldReportTheSessionsCountersDirectlyAndThroughJmx() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Observability.run(256 * 1024, utf8(out));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("session \\d+ /[0-9.]+:\\d+ -> /127\\.0\\.0\\.1:\\d+"), lines.get(0));
        assertTrue(lines.get(1).matches("srtt \\d+ ms, rttvar \\d+ ms, rto \\d+ ms, waitSnd \\d+ segments"),
                lines.get(1));
        Matcher sent = row(lines.get(2), "BytesSent");
        // 1 byte to open the session, then 32 writes of 8 KiB: the counter, its MBean and the process total agree.
        assertEquals(1 + 32 * 8192, Long.parseLong(sent.group(2)));
        assertEquals(sent.group(2), sent.group(3));
        assertTrue(Long.parseLong(sent.group(4)) >= 2L * (1 + 32 * 8192), "process total counts both sides");
        assertEquals(1 + 32 * 8192, Long.parseLong(row(lines.get(3), "BytesReceived").group(2)));
        assertTrue(Long.parseLong(row(lines.get(4), "OutPkts").group(2)) > 32 * 8192 / 1400);
        assertTrue(Long.parseLong(row(lines.get(7), "FECParityShards").group(4)) > 0, lines.get(7));
        assertTrue(lines.get(8).matches("jmx names: kcp\\.net:type=NetStats,name=session-\\d+-\\d+-\\d+, "
                + "kcp\\.net:type=NetStats,name=global"), lines.get(8));
    }

    private static Matcher row(String line, String label) {
        Matcher m = ROW.matcher(line);
        assertTrue(m.matches() && m.group(1).equals(label), line);
        return m;
    }
}
