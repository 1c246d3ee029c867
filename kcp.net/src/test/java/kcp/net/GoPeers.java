package kcp.net;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates and runs {@code kcpgo}, the kcp-go 5.6.1 twin of the {@code kcp} command line
 * ({@code interop/go/src/kcpjava/kcpgo}), as the live peer of these tests.
 * Finding and building them is {@link kcp.core.testing.GoPeers}'s job (the one "build Go, skip unless CI=true"
 * rule of every module); this class runs them and parses their reports.
 */
final class GoPeers {
    private GoPeers() {
    }

    static Path repoRoot() {
        return kcp.core.testing.GoPeers.repositoryRoot();
    }

    /** {@return the binary's path, building the peers if needed}; skips the test without Go, fails it under CI=true */
    static Path binary(String name) {
        return kcp.core.testing.GoPeers.find(name)
                .orElseGet(() -> Assumptions.abort(kcp.core.testing.GoPeers.missingReason(name)));
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
