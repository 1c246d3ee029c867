package kcp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Runs {@code bench/downstream-check.sh}: a separate Maven project that imports the BOM, says
 * {@code requires kcp.net;}, builds offline against a private repository holding this build's jars, and runs a
 * client and a server. The library modules are packaged before this module's tests run in the reactor.
 */
class DownstreamProjectTest {
    @Test
    void shouldBuildAndRunAProjectThatRequiresKcpNet() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path log = root.resolve("examples/target/downstream-check.log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder("bash", root.resolve("bench/downstream-check.sh").toString(),
                root.resolve("examples/target/downstream").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "downstream check still running after 5 minutes");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("downstream echo: hello from downstream"), out);
        assertTrue(out.contains("modules: kcp.net org.bouncycastle.provider"), out);
        assertTrue(out.contains("DOWNSTREAM OK"), out);
    }
}
