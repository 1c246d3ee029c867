package kcp.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds the Go peers of the interop tests ({@code interop/go/bin/<name>}, kcp-go 5.6.1 programs built by
 * {@code interop/go/build.sh}), building them when a binary is missing or older than its {@code main.go} and
 * {@code go} is installed. The one "build Go, skip unless CI=true" rule of every module's interop tests:
 *
 * <pre>{@code
 * Path kcpgo = GoPeers.find("kcpgo").orElseGet(() -> Assumptions.abort(GoPeers.missingReason("kcpgo")));
 * }</pre>
 *
 * Without Go the binary is absent and the caller skips; with {@code CI=true} in the environment a missing peer is an
 * error ({@link IllegalStateException}), so CI never passes by skipping. This class starts processes and reads the
 * file system: it is for tests, not for the ARQ (which has no I/O). Thread-safe.
 */
public final class GoPeers {
    private static final ReentrantLock BUILD = new ReentrantLock();

    private GoPeers() {
    }

    /**
     * Returns the repository root: the nearest directory at or above the working directory that holds
     * {@code interop/go/build.sh}.
     *
     * @return the root
     * @throws IllegalStateException if there is none
     */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("interop/go/build.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("interop/go/build.sh not found at or above " + dir);
    }

    /**
     * Returns the peer's executable, running {@code interop/go/build.sh} first if it is missing or older than its
     * source and Go is installed.
     *
     * @param name the program, e.g. {@code "kcpgo"} or {@code "arqecho"}
     * @return the executable, or empty if Go is not installed (the caller skips)
     * @throws IllegalStateException if the build fails, or if the peer is unavailable while {@code CI=true}
     */
    public static Optional<Path> find(String name) {
        Path root = repositoryRoot();
        Path bin = root.resolve("interop/go/bin").resolve(name);
        Build.build(root, bin);
        if (Files.isExecutable(bin)) {
            return Optional.of(bin);
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(missingReason(name) + "; CI=true requires the Go peers");
        }
        return Optional.empty();
    }

    /**
     * Returns why a peer is missing, for the skip message.
     *
     * @param name the program
     * @return a sentence naming the binary and how to get Go
     */
    public static String missingReason(String name) {
        return "Go is not installed (apt-get install golang-go golang-github-xtaci-kcp-dev): the tests against kcp-go "
                + "5.6.1 need interop/go/bin/" + name;
    }

    /** Builds the peers at most once at a time; a failed build is an error, a missing Go is not. */
    private static final class Build {
        static void build(Path root, Path bin) {
            BUILD.lock();
            try {
                if (Files.isExecutable(bin) && !olderThanSource(root, bin) || !goAvailable()) {
                    return;
                }
                Process p = new ProcessBuilder(root.resolve("interop/go/build.sh").toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isExecutable(bin)) {
                    throw new IllegalStateException("interop/go/build.sh failed: " + out);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run interop/go/build.sh: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the Go peers", e);
            } finally {
                BUILD.unlock();
            }
        }

        /** Whether the binary is older than its {@code main.go} (a stale binary is still used when Go is absent). */
        private static boolean olderThanSource(Path root, Path bin) {
            Path source = root.resolve("interop/go/src/kcpjava").resolve(bin.getFileName()).resolve("main.go");
            try {
                return Files.isRegularFile(source)
                        && Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(bin)) > 0;
            } catch (IOException e) {
                throw new IllegalStateException("cannot compare the modification times of " + bin + " and " + source
                        + " (delete the binary to rebuild it): " + e, e);
            }
        }

        private static boolean goAvailable() {
            try {
                Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
