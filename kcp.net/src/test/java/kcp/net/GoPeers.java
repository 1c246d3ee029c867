package kcp.net;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates and runs {@code kcpgo}, the kcp-go 5.6.1 twin of the {@code kcp} command line
 * ({@code interop/go/src/kcpjava/kcpgo}), as the live peer of these tests.
 * Builds them with {@code interop/go/build.sh} when a binary is missing and {@code go} exists. Without Go
 * the calling test is skipped with a message, except when {@code CI=true}, where it fails.
 */
final class GoPeers {
    private GoPeers() {
    }

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("interop/go/build.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("interop/go/build.sh not found above " + dir);
    }

    /** @return the binary's path, building the peers if needed; skips or fails the test without Go */
    static Path binary(String name) {
        Path root = repoRoot();
        Path bin = root.resolve("interop/go/bin").resolve(name);
        if (Files.isExecutable(bin)) {
            return bin;
        }
        if (!goAvailable()) {
            String msg = "Go is not installed (apt-get install golang-go golang-github-xtaci-kcp-dev); live interop "
                    + "tests against kcp-go 5.6.1 need interop/go/bin/" + name;
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " and CI=true requires them");
            }
            Assumptions.abort(msg);
        }
        try {
            Process p = new ProcessBuilder(root.resolve("interop/go/build.sh").toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isExecutable(bin)) {
                fail("interop/go/build.sh failed: " + out);
            }
        } catch (IOException e) {
            fail("cannot run interop/go/build.sh: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while building the Go peers");
        }
        return bin;
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

    /** kcpgo flags matching {@link #javaOptions}: fast3 (1, 10, 2, 1), windows 1024/1024, MTU 1400. */
    static List<String> flags(String crypt, int d, int p, boolean stream) {
        return List.of("--crypt", crypt == null ? "null" : crypt, "--key", KEY, "--datashard", Integer.toString(d),
                "--parityshard", Integer.toString(p), "--mode", "fast3", "--sndwnd", "1024", "--rcvwnd", "1024",
                "--mtu", "1400", "--stream", Boolean.toString(stream));
    }

    static final String KEY = "it's a secret";

    /** Java options equal to {@link #flags}: fast3, 1024/1024, kcptun key derivation. */
    static SessionOptions javaOptions(String crypt, int d, int p, boolean stream) {
        SessionOptions.Builder b = SessionOptions.builder().mode(KcpMode.FAST3).windowSize(1024, 1024).fec(d, p)
                .streamMode(stream);
        if (crypt != null) {
            b.cipherWithPassphrase(crypt, KEY);
        }
        return b.build();
    }

    /**
     * Parses kcpgo's report: the {@code RESULT} line ({@code key=value} pairs; a bare {@code ok} or {@code FAIL}
     * becomes {@code status}) and the SNMP counter lines after it ({@code Name value}).
     *
     * @param output everything the process printed on stdout
     * @return the values by name
     */
    static Map<String, String> parseReport(String output) {
        List<String> lines = output.lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size() && at < 0; i++) {
            at = lines.get(i).startsWith("RESULT ") ? i : -1;
        }
        if (at < 0) {
            throw new IllegalArgumentException("no RESULT line in: " + output);
        }
        Map<String, String> m = new HashMap<>();
        for (String kv : lines.get(at).substring(7).split(" ")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                m.put("status", kv);
            } else {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        for (String line : lines.subList(at + 1, lines.size())) {
            String[] nv = line.trim().split("\\s+");
            if (nv.length == 2 && nv[1].matches("-?\\d+")) {
                m.put(nv[0], nv[1]);
            }
        }
        return m;
    }

    static BufferedReader stdout(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
