package kcp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Reads the module descriptors of the built jars and checks them against the rules table in the "Architecture"
 * section of docs/design.md: a module of ours may require only the modules of ours its row lists.
 */
class ModuleGraphTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String BEGIN = "<!-- module rules: begin -->";
    private static final String END = "<!-- module rules: end -->";

    @Test
    void shouldRequireOnlyWhatTheArchitectureAllows() throws IOException {
        Map<String, Set<String>> allowed = rules();
        Map<String, ModuleDescriptor> built = builtModules();
        assertEquals(allowed.keySet(), built.keySet(),
                "docs/design.md's module rules and the built module jars must name the same modules");
        List<String> violations = new ArrayList<>();
        for (ModuleDescriptor d : built.values()) {
            for (ModuleDescriptor.Requires r : d.requires()) {
                if (r.name().startsWith("kcp.") && !allowed.get(d.name()).contains(r.name())) {
                    violations.add(d.name() + " requires " + r.name());
                }
            }
        }
        assertTrue(violations.isEmpty(), "not allowed by docs/design.md (Architecture): " + violations);
    }

    @Test
    void shouldKeepTheRulesThatMakeTheLayers() throws IOException {
        Map<String, Set<String>> allowed = rules();
        for (String leaf : List.of("kcp.core", "kcp.fec", "kcp.crypto")) {
            assertEquals(Set.of(), allowed.get(leaf), leaf + " is a leaf: it may require nothing of ours");
        }
        assertEquals(Set.of("kcp.core", "kcp.fec", "kcp.crypto"), allowed.get("kcp.net"));
        assertEquals(Set.of("kcp.net"), allowed.get("kcp.smux"));
        for (Set<String> requires : allowed.values()) {
            assertTrue(!requires.contains("kcp.bench") && !requires.contains("kcp.examples"),
                    "nothing may require the CLI or the examples: " + allowed);
        }
    }

    /** Parses the table between the markers: "| module | may require |" rows, "-" for nothing. */
    private static Map<String, Set<String>> rules() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/design.md"), StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/design.md has no module rules table");
        Map<String, Set<String>> rules = new TreeMap<>();
        for (String line : doc.substring(begin + BEGIN.length(), end).lines().toList()) {
            String[] cells = line.split("\\|");
            if (cells.length < 3 || !cells[1].strip().startsWith("`kcp.")) {
                continue;
            }
            Set<String> requires = Arrays.stream(cells[2].split(","))
                    .map(s -> s.replace("`", "").strip())
                    .filter(s -> s.startsWith("kcp."))
                    .collect(Collectors.toCollection(TreeSet::new));
            rules.put(cells[1].replace("`", "").strip(), requires);
        }
        return rules;
    }

    private static Map<String, ModuleDescriptor> builtModules() {
        String version = System.getProperty("kcp.version");
        List<Path> jars = new ArrayList<>();
        for (String dir : List.of("kcp.core", "kcp.fec", "kcp.crypto", "kcp.net", "kcp.smux", "kcp.bench",
                "examples")) {
            String artifact = dir.equals("examples") ? "kcp.examples" : dir;
            Path jar = ROOT.resolve(dir).resolve("target").resolve(artifact + "-" + version + ".jar");
            Path classes = ROOT.resolve(dir).resolve("target/classes");
            // This module's own jar is not built yet while its tests run: read its compiled classes instead.
            jars.add(Files.exists(jar) ? jar : classes);
        }
        Map<String, ModuleDescriptor> built = new TreeMap<>();
        for (ModuleReference ref : ModuleFinder.of(jars.toArray(Path[]::new)).findAll()) {
            built.put(ref.descriptor().name(), ref.descriptor());
        }
        return built;
    }
}
