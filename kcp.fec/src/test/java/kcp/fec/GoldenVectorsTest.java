package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte equality with klauspost/reedsolomon and kcp-go 5.6.1's own FEC encoder, from
 * {@code src/test/resources/golden/fec-vectors.txt} (written by {@code interop/go/bin/fecvec}).
 */
class GoldenVectorsTest {
    static final Path MODULE = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    static final Path GOLDEN = MODULE.resolve("src/test/resources/golden/fec-vectors.txt");
    static final String REGENERATE = "interop/go/build.sh && interop/go/bin/fecvec > "
            + "kcp.fec/src/test/resources/golden/fec-vectors.txt";

    record Scenario(int d, int p, int offset, List<byte[]> in, List<byte[]> data, List<List<byte[]>> parity) {
    }

    static List<String> lines() throws IOException {
        return Files.readAllLines(GOLDEN, StandardCharsets.US_ASCII);
    }

    static List<Scenario> scenarios() throws IOException {
        List<Scenario> out = new ArrayList<>();
        Scenario cur = null;
        for (String line : lines()) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "encoder" -> {
                    cur = new Scenario(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                            new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                    out.add(cur);
                }
                case "in" -> {
                    cur.in().add(f.length > 1 ? HexFormat.of().parseHex(f[1]) : new byte[0]);
                    cur.parity().add(new ArrayList<>());
                }
                case "data" -> cur.data().add(HexFormat.of().parseHex(f[1]));
                case "parity" -> cur.parity().get(cur.parity().size() - 1).add(HexFormat.of().parseHex(f[1]));
                default -> { }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldComputeKlauspostParityForEveryVector(boolean simd) throws IOException {
        int checked = 0;
        for (String line : lines()) {
            if (!line.startsWith("rs ")) {
                continue;
            }
            String[] f = line.split(" ");
            int d = Integer.parseInt(f[1]);
            int p = Integer.parseInt(f[2]);
            int n = Integer.parseInt(f[3]);
            byte[][] shards = new byte[d + p][n];
            for (int k = 0; k < d; k++) {
                for (int i = 0; i < n; i++) {
                    shards[k][i] = (byte) (31 * k + 7 * i + 1);
                }
            }
            ReedSolomon rs = ReedSolomonTest.codec(d, p, simd);
            rs.encodeParity(shards, 0, n);
            byte[] expected = HexFormat.of().parseHex(f[4]);
            for (int j = 0; j < p; j++) {
                assertArrayEquals(Arrays.copyOfRange(expected, j * n, (j + 1) * n), shards[d + j],
                        "parity " + j + " of rs " + d + " " + p + " " + n);
            }
            checked++;
        }
        assertTrue(checked >= 5, "rs vectors in " + GOLDEN + ": " + checked);
    }

    @Test
    void shouldEncodeExactlyLikeKcpGo() throws IOException {
        List<Scenario> scenarios = scenarios();
        assertTrue(scenarios.size() >= 4);
        for (Scenario s : scenarios) {
            FecEncoder enc = new FecEncoder(s.d(), s.p(), s.offset());
            enc.setParitySkip(false);
            for (int i = 0; i < s.in().size(); i++) {
                byte[] kcp = s.in().get(i);
                byte[] buf = new byte[s.offset() + 8 + kcp.length];
                System.arraycopy(kcp, 0, buf, s.offset() + 8, kcp.length);
                int ready = enc.encode(buf, 0, buf.length, 0);
                String where = "encoder " + s.d() + " " + s.p() + " " + s.offset() + " packet " + i;
                assertArrayEquals(s.data().get(i), buf, where);
                List<byte[]> parity = s.parity().get(i);
                assertEquals(parity.size(), ready, where);
                for (int k = 0; k < ready; k++) {
                    assertArrayEquals(parity.get(k), Arrays.copyOf(enc.parityBuffer(k), enc.parityLength()),
                            where + " parity " + k);
                }
            }
        }
    }

    @Test
    void shouldRecoverPacketsEncodedByKcpGo() throws IOException {
        Scenario s = scenarios().stream().filter(x -> x.d() == 10 && x.offset() == 0).findFirst().orElseThrow();
        FecDecoder dec = new FecDecoder(10, 3);
        List<byte[]> recovered = new ArrayList<>();
        for (int i = 0; i < s.in().size(); i++) {
            if (i % 10 != 2 && i % 10 != 7) {
                byte[] pkt = s.data().get(i);
                dec.decode(pkt, 0, pkt.length, 0);
            }
            for (byte[] par : s.parity().get(i)) {
                int n = dec.decode(par, 0, par.length, 0);
                for (int k = 0; k < n; k++) {
                    recovered.add(Arrays.copyOfRange(dec.recovered(k), dec.recoveredOffset(k),
                            dec.recoveredOffset(k) + dec.recoveredLength(k)));
                }
            }
        }
        assertEquals(4, recovered.size());
        assertArrayEquals(s.in().get(2), recovered.get(0));
        assertArrayEquals(s.in().get(7), recovered.get(1));
        assertArrayEquals(s.in().get(12), recovered.get(2));
        assertArrayEquals(s.in().get(17), recovered.get(3));
    }

    @Test
    void shouldRegenerateTheCommittedVectorsWithGo() throws Exception {
        String generated = goOutput("fecvec");
        assertEquals(Files.readString(GOLDEN, StandardCharsets.US_ASCII), generated,
                "Go output differs from " + GOLDEN + "; regenerate with " + REGENERATE);
    }

    /**
     * Runs interop/go/bin/PROGRAM (building it when missing or older than its source) and returns its output;
     * aborts the test when Go is absent, fails it when CI=true.
     */
    static String goOutput(String program) throws Exception {
        Path root = MODULE.getParent();
        Path bin = root.resolve("interop/go/bin/" + program);
        Path source = root.resolve("interop/go/src/kcpjava/" + program + "/main.go");
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(bin)
                || Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(bin)) > 0) {
            if (!onPath("go")) {
                String msg = "Go is not installed (no current interop/go/bin/" + program + ", no 'go' on PATH): cannot"
                        + " regenerate the kcp-go vectors; apt-get install golang-go golang-github-xtaci-kcp-dev "
                        + "golang-github-klauspost-reedsolomon-dev";
                if (ci) {
                    fail("CI=true requires Go: " + msg);
                }
                Assumptions.abort(msg);
            }
            run(root, 300, root.resolve("interop/go/build.sh").toString());
        }
        assertTrue(Files.isExecutable(bin), "interop/go/build.sh did not produce " + bin);
        return run(root, 60, bin.toString());
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
        Process proc = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        proc.getOutputStream().close();
        byte[] out = proc.getInputStream().readAllBytes();
        if (!proc.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
        }
        assertEquals(0, proc.exitValue(), String.join(" ", cmd) + " failed");
        return new String(out, StandardCharsets.US_ASCII);
    }
}
