package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * kcp.net must not use monitors: on JDK 21 a virtual thread blocked inside {@code synchronized} pins its
 * carrier (JEP 444). Tests run on a newer JDK where that no longer shows, so the compiled classes are
 * inspected instead.
 */
class NoMonitorsTest {

    /** A class that does use monitors, to prove the scanner finds them. */
    static final class UsesMonitors {
        private int n;

        synchronized void viaMethod() {
            n++;
        }

        void viaBlock() {
            synchronized (this) {
                n++;
            }
        }

        int withSwitches(int k) {
            int r = switch (k) {
                case 1 -> 10;
                case 2 -> 20;
                case 3 -> 30;
                default -> 0;
            };
            return switch (k * 1000) {
                case 1000 -> r + 1;
                case 200000 -> r + 2;
                default -> r + n;
            };
        }
    }

    @Test
    void shouldFindSynchronizedMethodsAndBlocksInAClassThatUsesThem() throws IOException {
        List<String> findings;
        try (InputStream in = UsesMonitors.class.getResourceAsStream("NoMonitorsTest$UsesMonitors.class")) {
            findings = ClassFileMonitorScanner.scan(in);
        }
        assertTrue(findings.stream().anyMatch(f -> f.endsWith("viaMethod: synchronized method")), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.contains("viaBlock: monitorenter")), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.contains("viaBlock: monitorexit")), findings::toString);
        assertTrue(findings.stream().noneMatch(f -> f.contains("withSwitches")), findings::toString);
    }

    @Test
    void shouldFindNoMonitorInAnyMainClassOfKcpNet() throws IOException {
        Path classes = Path.of(SessionOptions.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(files.size() >= 10, "expected kcp.net's compiled classes under " + classes + ", found " + files);
        List<String> findings = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                for (String finding : ClassFileMonitorScanner.scan(in)) {
                    findings.add(classes.relativize(f) + " " + finding);
                }
            }
        }
        assertEquals(List.of(), findings, "kcp.net main code must use ReentrantLock, not monitors");
    }
}
