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
 * Regenerates the golden vectors with the Go programs (cryptovec: real kcp-go 5.6.1; aeadvec: kcp-go
 * v5.6.72's AEAD framing over golang.org/x/crypto) and requires them to equal the committed files. Skipped when
 * Go is absent, except with {@code CI=true}, where Go is required.
 */
class GoldenRegenerationTest {
    @Test
    void shouldRegenerateTheCommittedVectorsWithRealKcpGo() throws Exception {
        Path root = root();
        Path bin = goBinary(root, "cryptovec");
        String generated = run(root, 60, null, bin.toString());
        assertSameLines(GoldenVectors.load().text, generated, "crypt-vectors.txt", "cryptovec");
    }

    @Test
    void shouldRegenerateTheCommittedAeadVectorsWithGo() throws Exception {
        Path root = root();
        String generated = run(root, 60, null, goBinary(root, "aeadvec").toString());
        assertSameLines(AeadVectors.load().text, generated, "aead-vectors.txt", "aeadvec");
    }

    private static void assertSameLines(String committedText, String generated, String file, String program) {
        String[] committed = committedText.split("\n", -1);
        String[] fresh = generated.split("\n", -1);
        for (int i = 0; i < Math.max(committed.length, fresh.length); i++) {
            String c = i < committed.length ? committed[i] : "<end of file>";
            String g = i < fresh.length ? fresh[i] : "<end of output>";
            if (!c.equals(g)) {
                fail("Go output differs from the committed golden/" + file + " at line " + (i + 1)
                        + ":\n committed: " + abbreviate(c) + "\n Go:        " + abbreviate(g)
                        + "\nregenerate with interop/go/build.sh && interop/go/bin/" + program
                        + " > kcp.crypto/src/test/resources/golden/" + file);
            }
        }
    }

    /** The worktree root (tests run with the module directory as working directory). */
    static Path root() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    /**
     * Returns interop/go/bin/NAME, building it with interop/go/build.sh when missing or older than its source;
     * aborts the test when Go is absent, fails it when CI=true.
     */
    static Path goBinary(Path root, String name) throws Exception {
        Path bin = root.resolve("interop/go/bin/" + name);
        boolean ci = "true".equals(System.getenv("CI"));
        Path source = root.resolve("interop/go/src/kcpjava/" + name + "/main.go");
        boolean stale = !Files.isExecutable(bin)
                || Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(bin)) > 0;
        if (stale) {
            if (!onPath("go")) {
                String msg = "Go is not installed (interop/go/bin/" + name + " missing or older than its source, no"
                        + " 'go' on PATH): cannot run the Go side of this test; apt-get install golang-go"
                        + " golang-github-xtaci-kcp-dev golang-golang-x-crypto-dev";
                if (ci) {
                    fail("CI=true requires Go: " + msg);
                }
                Assumptions.abort(msg);
            }
            run(root, 300, null, root.resolve("interop/go/build.sh").toString());
        }
        assertTrue(Files.isExecutable(bin), "interop/go/build.sh did not produce " + bin);
        return bin;
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

    /** Runs cmd in dir with stdin (null: none), requires exit 0 within the timeout, returns stdout. */
    static String run(Path dir, int timeoutSeconds, String stdin, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed");
        return new String(out, StandardCharsets.US_ASCII);
    }
}
