package kcp.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Regenerates the golden vectors with the Go program (real kcp-go 5.6.1) and requires them to equal the
 * committed file. Skipped when Go is absent, except with {@code CI=true}, where Go is required.
 */
class GoldenRegenerationTest {
    @Test
    void shouldRegenerateTheCommittedVectorsWithRealKcpGo() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path bin = root.resolve("interop/go/bin/cryptovec");
        boolean ci = "true".equals(System.getenv("CI"));
        Path source = root.resolve("interop/go/src/kcpjava/cryptovec/main.go");
        boolean stale = !Files.isExecutable(bin)
                || Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(bin)) > 0;
        if (stale) {
            if (!onPath("go")) {
                String msg = "Go is not installed (interop/go/bin/cryptovec missing or older than its source, no 'go' "
                        + "on PATH): cannot regenerate the kcp-go vectors; apt-get install golang-go "
                        + "golang-github-xtaci-kcp-dev";
                if (ci) {
                    fail("CI=true requires Go: " + msg);
                }
                Assumptions.abort(msg);
            }
            run(root, 300, root.resolve("interop/go/build.sh").toString());
        }
        assertTrue(Files.isExecutable(bin), "interop/go/build.sh did not produce " + bin);
        String generated = run(root, 60, bin.toString());
        String[] committed = GoldenVectors.load().text.split("\n", -1);
        String[] fresh = generated.split("\n", -1);
        for (int i = 0; i < Math.max(committed.length, fresh.length); i++) {
            String c = i < committed.length ? committed[i] : "<end of file>";
            String g = i < fresh.length ? fresh[i] : "<end of output>";
            if (!c.equals(g)) {
                fail("kcp-go output differs from the committed golden/crypt-vectors.txt at line " + (i + 1)
                        + ":\n committed: " + abbreviate(c) + "\n kcp-go:    " + abbreviate(g)
                        + "\nregenerate with interop/go/build.sh && interop/go/bin/cryptovec"
                        + " > kcp.crypto/src/test/resources/golden/crypt-vectors.txt");
            }
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    private static String run(Path dir, int timeoutSeconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed");
        return new String(out, StandardCharsets.US_ASCII);
    }
}
