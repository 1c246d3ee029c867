package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import kcp.core.testing.GoPeers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SnappyChannel against golang/snappy 0.0.2 itself, through {@code interop/go/bin/snappyvec}
 * ({@code interop/go/src/kcpjava/snappyvec}): Go's framed vectors decode byte-exact in Java, Java's encoder
 * produces the very bytes golang/snappy's writer produces for the same writes, golang/snappy's reader decodes
 * what Java writes, and both readers accept or reject the same mutated streams. Skipped without Go, except with
 * {@code CI=true}, where Go is required.
 */
class SnappyGoVectorsIT {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    static Path dir;
    private static Path bin;
    private static List<String[]> manifest;

    @BeforeAll
    static void generate() throws Exception {
        bin = goProgram("snappyvec");
        run(List.of(bin.toString(), "gen", dir.toString()));
        manifest = Files.readAllLines(dir.resolve("manifest.txt"), StandardCharsets.US_ASCII).stream()
                .map(l -> l.split(" ")).toList();
        assertTrue(manifest.size() >= 10, "snappyvec wrote " + manifest.size() + " vectors");
    }

    @Test
    void shouldDecodeGolangSnappyVectorsByteExact() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        for (String[] v : manifest) {
            byte[] raw = Files.readAllBytes(dir.resolve(v[0] + ".raw"));
            byte[] framed = Files.readAllBytes(dir.resolve(v[0] + ".sz"));
            assertEquals(v[2], sha(raw), v[0] + ".raw");
            for (int step : new int[] {1, 1 + rnd.nextInt(2000), Integer.MAX_VALUE}) {
                SnappyChannel c = SnappyChannel.over(new SnappyChannelTest.MemoryChannel(framed, step));
                assertArrayEquals(raw, readAll(c, rnd), v[0] + " read " + step + " bytes at a time");
            }
        }
    }

    @Test
    void shouldEncodeTheSameBytesAsGolangSnappyForTheSameWrites() throws Exception {
        for (String[] v : manifest) {
            byte[] raw = Files.readAllBytes(dir.resolve(v[0] + ".raw"));
            byte[] framed = Files.readAllBytes(dir.resolve(v[0] + ".sz"));
            SnappyChannelTest.MemoryChannel out = new SnappyChannelTest.MemoryChannel(new byte[0], 1);
            SnappyChannel c = SnappyChannel.over(out);
            int at = 0;
            for (int n : writes(v[1])) {
                c.write(raw, at, n);
                at += n;
            }
            assertEquals(raw.length, at);
            byte[] ours = out.written();
            assertEquals(framed.length, ours.length, v[0] + " framed length");
            assertTrue(Arrays.equals(framed, ours), v[0] + ": Java's framing differs from golang/snappy's at byte "
                    + Arrays.mismatch(framed, ours));
        }
    }

    @Test
    void shouldBeDecodedByGolangSnappy() throws Exception {
        SplittableRandom rnd = new SplittableRandom(12);
        List<String> files = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] payload = Files.readAllBytes(dir.resolve(manifest.get(rnd.nextInt(manifest.size()))[0] + ".raw"));
            if (i == 0) {
                payload = Files.readAllBytes(dir.resolve("mixed-1m.raw"));
            }
            SnappyChannelTest.MemoryChannel out = new SnappyChannelTest.MemoryChannel(new byte[0], 1);
            SnappyChannel c = SnappyChannel.over(out);
            for (int at = 0; at < payload.length; ) {
                int n = Math.min(payload.length - at, rnd.nextInt(4) == 0 ? rnd.nextInt(200_000) : rnd.nextInt(3000));
                if (rnd.nextBoolean()) {
                    c.write(ByteBuffer.allocateDirect(n).put(payload, at, n).flip());
                } else {
                    c.outputStream().write(payload, at, n);
                }
                at += n;
            }
            Path f = dir.resolve("java-" + i + ".sz");
            Files.write(f, out.written());
            files.add(f.toString());
            expected.add("RESULT ok bytes=" + payload.length + " sha256=" + sha(payload));
        }
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "decode"));
        cmd.addAll(files);
        assertEquals(expected, run(cmd).lines().toList());
    }

    @Test
    void shouldAcceptAndRejectExactlyWhatGolangSnappyDoes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(13);
        // identifier, a compressed chunk, padding, an uncompressed chunk, a repeated identifier, another chunk
        SnappyChannelTest.MemoryChannel out = new SnappyChannelTest.MemoryChannel(new byte[0], 1);
        SnappyChannel c = SnappyChannel.over(out);
        c.write(ByteBuffer.wrap("abcabcabcabcabcabcabcabcabc hello hello hello".getBytes(StandardCharsets.US_ASCII)));
        byte[] first = out.written();
        byte[] random = new byte[40];
        rnd.nextBytes(random);
        c.write(ByteBuffer.wrap(random));
        byte[] all = out.written();
        ByteArrayOutputStream base = new ByteArrayOutputStream();
        base.writeBytes(first);
        base.writeBytes(HEX.parseHex("fe030000000000" + "8a020000abcd"));
        base.writeBytes(Arrays.copyOfRange(all, first.length, all.length));
        base.writeBytes(Arrays.copyOf(first, 10));
        base.writeBytes(Arrays.copyOfRange(first, 10, first.length));
        byte[] good = base.toByteArray();

        List<byte[]> cases = new ArrayList<>();
        cases.add(good);
        for (int i = 0; i < 400; i++) {
            byte[] bad = good.clone();
            switch (i % 4) {
                case 0 -> bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
                case 2 -> bad = Arrays.copyOf(bad, rnd.nextInt(bad.length));
                default -> {
                    // a chunk header byte: type or length
                    int[] headers = {0, 1, 2, 3, 10, 11, 12, 13};
                    bad[headers[rnd.nextInt(headers.length)]] = (byte) rnd.nextInt(256);
                }
            }
            cases.add(bad);
        }
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "decode"));
        for (int i = 0; i < cases.size(); i++) {
            Path f = dir.resolve("mutant-" + i + ".sz");
            Files.write(f, cases.get(i));
            cmd.add(f.toString());
        }
        List<String> go = run(cmd).lines().toList();
        assertEquals(cases.size(), go.size());
        int rejected = 0;
        for (int i = 0; i < cases.size(); i++) {
            String java;
            try {
                var raw = new SnappyChannelTest.MemoryChannel(cases.get(i), 1 + rnd.nextInt(100));
                byte[] got = readAll(SnappyChannel.over(raw), rnd);
                java = "RESULT ok bytes=" + got.length + " sha256=" + sha(got);
            } catch (SnappyFormatException e) {
                java = "RESULT FAIL";
                rejected++;
            }
            String goVerdict = go.get(i).startsWith("RESULT FAIL") ? "RESULT FAIL" : go.get(i);
            assertEquals(goVerdict, java, "case " + i + ": " + HEX.formatHex(cases.get(i)));
        }
        assertTrue(go.get(0).startsWith("RESULT ok"), "the unmutated stream is valid: " + go.get(0));
        assertTrue(rejected > 100 && rejected < cases.size() - 20, "rejected " + rejected + " of " + cases.size());
    }

    // ---- helpers

    private static int[] writes(String list) {
        return list.equals("-") ? new int[0] : Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static byte[] readAll(SnappyChannel c, SplittableRandom rnd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(70_000);
        while (true) {
            buf.clear().limit(1 + rnd.nextInt(buf.capacity()));
            int n = c.read(buf);
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf.array(), 0, n);
        }
    }

    private static String sha(byte[] b) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail(cmd.get(0) + " " + cmd.get(1) + " failed: " + out);
        }
        return out;
    }

    /** Finds (building it if needed) one of our Go programs: kcp.core's {@link GoPeers} rule. */
    private static Path goProgram(String name) {
        return GoPeers.find(name).orElseGet(() -> Assumptions.abort(GoPeers.missingReason(name)
                + " (and golang-github-golang-snappy-dev)"));
    }
}
