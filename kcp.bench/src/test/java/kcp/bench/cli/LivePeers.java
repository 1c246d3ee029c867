package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the live peers of the {@code *IT} tests (our Go programs, Debian's kcptun binaries) and decides what a
 * missing one means: the test is skipped, except with {@code CI=true}, where it fails.
 */
final class LivePeers {
    private LivePeers() {
    }

    /** @return the executable {@code exe} found on {@code PATH}, or null */
    static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** @return {@code exe} from {@code PATH}; skips the test (fails it when {@code CI=true}) if absent */
    static Path require(String exe, String installHint) {
        Path p = onPath(exe);
        if (p == null) {
            skipOrFail(exe + " is not on PATH (" + installHint + ")");
        }
        return p;
    }

    /** Skips the calling test with {@code why}, or fails it when {@code CI=true}. */
    static void skipOrFail(String why) {
        if ("true".equals(System.getenv("CI"))) {
            fail(why + "; required when CI=true");
        }
        Assumptions.abort(why);
    }
}
