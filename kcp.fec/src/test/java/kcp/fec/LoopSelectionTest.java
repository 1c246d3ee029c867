package kcp.fec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The coding loop is chosen at run time from the boot layer: checked in child JVMs with and without the flag. */
class LoopSelectionTest {

    private static String probe(String... jvmArgs) throws Exception {
        Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        String cp = module.resolve("target/classes") + File.pathSeparator + module.resolve("target/test-classes");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", cp, ImplementationProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe JVM did not finish: " + cmd);
        }
        assertEquals(0, p.exitValue(), "probe JVM failed: " + cmd);
        return out;
    }

    @Test
    void shouldUseTheSwarLoopWithoutTheIncubatorModule() throws Exception {
        assertEquals("swar", probe());
        assertEquals("scalar", probe("-Dkcp.fec.scalar=table"));
    }

    @Test
    void shouldUseTheVectorLoopWithAddModulesUnlessDisabled() throws Exception {
        assertEquals("adaptive-vector256", probe("--add-modules", "jdk.incubator.vector"));
        assertEquals("vector256", probe("--add-modules", "jdk.incubator.vector", "-Dkcp.fec.simd=true"));
        assertEquals("swar", probe("--add-modules", "jdk.incubator.vector", "-Dkcp.fec.simd=false"));
        assertEquals("adaptive-vector128", probe("--add-modules", "jdk.incubator.vector",
                "-Dkcp.fec.vectorBits=128"));
    }
}
