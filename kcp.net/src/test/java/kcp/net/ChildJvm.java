package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe of kcp.net's tests in a child JVM, with the module path Surefire gives this one, for what only a fresh
 * JVM shows (what a class's initialisation does, what a property changes at start).
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Runs {@code kcp.net/<probe>} and returns what it printed, stripped; fails unless it exits with 0 within 30 s.
     *
     * @param probe      the main class, in kcp.net's test classes
     * @param jvmOptions options before the module path
     * @return standard output and error
     */
    static String run(String probe, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("--module-path", System.getProperty("jdk.module.path"),
                "--patch-module", "kcp.net=" + Path.of("target", "test-classes").toAbsolutePath(),
                "-m", "kcp.net/" + probe));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe finished");
        assertEquals(0, p.exitValue(), out);
        return out.strip();
    }
}
