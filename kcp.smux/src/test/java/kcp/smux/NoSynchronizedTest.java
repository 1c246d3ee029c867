package kcp.smux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * kcp.smux uses no {@code synchronized} (a virtual thread blocked inside one pins its carrier on JDK 21): every
 * main source file is checked for the keyword outside comments and strings.
 */
class NoSynchronizedTest {
    private static final Pattern KEYWORD = Pattern.compile("\\bsynchronized\\b");

    @Test
    void shouldUseNoSynchronizedInMainSources() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> offenders;
        int files;
        try (Stream<Path> all = Files.walk(main)) {
            List<Path> sources = all.filter(p -> p.toString().endsWith(".java")).toList();
            files = sources.size();
            offenders = sources.stream().filter(NoSynchronizedTest::usesKeyword).map(Path::toString).toList();
        }
        assertTrue(files >= 10, "found only " + files + " sources under " + main.toAbsolutePath());
        assertEquals(List.of(), offenders);
        assertTrue(usesKeywordIn("class A { synchronized void f() { } }"), "the check finds the keyword");
        assertTrue(!usesKeywordIn("class A { /* synchronized */ String s = \"synchronized\"; }"));
    }

    private static boolean usesKeyword(Path p) {
        try {
            return usesKeywordIn(Files.readString(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean usesKeywordIn(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
        return KEYWORD.matcher(code).find();
    }
}
