package kcp.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    /** Exit status and the two streams of one in-process run. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "echo-client --bogus 1                    | unknown flag --bogus",
        "echo-server --listen                     | flag --listen needs a value",
        "sink-client --mode turbo                 | flag --mode must be normal, fast, fast2, fast3 or manual",
        "echo-client --crypt rot13                | flag --crypt must be one of null,",
        "sink-server --mtu 20                     | flag --mtu must be in [25, 1500]: 20",
        "echo-client --bytes lots                 | flag --bytes needs an integer: 'lots'",
        "echo-client --sessions 0                 | flag --sessions must be in [1, 100000]: 0",
        "echo-client --remote nowhere             | flag --remote needs HOST:PORT",
        "echo-server --listen 127.0.0.1:70000     | port must be in [0, 65535]",
        "speed --stream maybe                     | flag --stream needs true or false: 'maybe'",
        "speed extra                              | unexpected argument 'extra'",
        "speed --mode manual --interval 5         | flag --interval must be in [10, 5000]: 5",
        "speed --crypt aes --mtu 52               | mtu must be in [53, 1500]: 52",
        "echo-client --threads green              | flag --threads must be auto, platform or virtual: 'green'",
        "tunnel-client --bogus 1                  | unknown flag --bogus",
        "tunnel-client --remoteaddr 127.0.0.1     | flag --remoteaddr needs HOST:PORT",
        "tunnel-client -r 127.0.0.1:1 --conn 0    | flag --conn must be in [1, 65535]: 0",
        "tunnel-server --smuxver 3                | flag --smuxver must be in [1, 2]: 3",
        "tunnel-server --keepalive 31             | flag --keepalive must be in [1, 30]: 31",
        "tunnel-server --ds x                     | flag --datashard needs an integer: 'x'",
        "tunnel-server --mode turbo               | flag --mode must be normal, fast, fast2, fast3 or manual",
        "tunnel-server --tcp                      | flag --tcp (kcptun's raw TCP emulation) is not supported",
        "tunnel-server -c /nonexistent/k.json     | flag -c: cannot read /nonexistent/k.json",
        "tunnel-server --stream false             | unknown flag --stream",
    })
    void shouldExitTwoWithOneLineNamingTheProblem(String commandLine, String expected) {
        Run r = run(commandLine.trim().split("\\s+"));
        assertEquals(2, r.status, r.err);
        assertEquals(1, r.err.lines().count(), "one line expected: " + r.err);
        assertTrue(r.err.contains(expected), r.err);
        assertTrue(r.err.startsWith("kcp "), r.err);
        assertEquals("", r.out);
    }

    @Test
    void shouldExitTwoOnUnknownCommand() {
        Run r = run("turbo");
        assertEquals(2, r.status);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.contains("unknown command 'turbo'"), r.err);
    }

    @Test
    void shouldExitTwoAndListCommandsWithoutArguments() {
        Run r = run();
        assertEquals(2, r.status);
        assertTrue(r.err.contains("echo-server") && r.err.contains("sink-client"), r.err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"speed", "echo-server", "echo-client", "sink-server", "sink-client"})
    void shouldDocumentEveryFlagOnHelp(String command) {
        Run r = run(command, "--help");
        assertEquals(0, r.status, r.err);
        List<String> expected = List.of("--crypt", "--key", "--datashard", "--parityshard", "--mode", "--nodelay",
                "--interval", "--resend", "--nc", "--mtu", "--sndwnd", "--rcvwnd", "--stream", "--acknodelay",
                "--compat561", "--sockbuf", "--timeout", "--threads", "--help");
        for (String flag : expected) {
            assertTrue(r.out.contains(flag + " "), command + " --help lacks " + flag + ":\n" + r.out);
        }
        if (command.endsWith("-server")) {
            assertTrue(r.out.contains("--listen HOST:PORT"), r.out);
        }
        if (command.endsWith("-client")) {
            for (String flag : List.of("--remote", "--bytes", "--chunk", "--sessions")) {
                assertTrue(r.out.contains(flag + " "), command + " --help lacks " + flag);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tunnel-client", "tunnel-server"})
    void shouldDocumentEveryKcptunFlagOnTunnelHelp(String command) {
        Run r = run(command, "--help");
        assertEquals(0, r.status, r.err);
        List<String> expected = new java.util.ArrayList<>(List.of("--key", "--crypt", "--mode", "--nodelay",
                "--interval", "--resend", "--nc", "--mtu", "--sndwnd", "--rcvwnd", "--datashard", "--parityshard",
                "--dscp", "--nocomp", "--acknodelay", "--sockbuf", "--smuxver", "--smuxbuf", "--streambuf",
                "--keepalive", "--quiet", "--log", "--snmplog", "--snmpperiod", "--c"));
        expected.addAll(command.equals("tunnel-client")
                ? List.of("--localaddr", "--remoteaddr", "--conn", "--autoexpire", "--scavengettl")
                : List.of("--listen", "--target"));
        for (String flag : expected) {
            assertTrue(r.out.contains(flag + " "), command + " --help lacks " + flag + ":\n" + r.out);
        }
        assertTrue(r.out.contains("also --ds") && r.out.contains("also --ps"), r.out);
    }

    @Test
    void shouldAcceptHelpAfterOtherFlags() {
        Run r = run("echo-client", "--mtu", "1400", "-h");
        assertEquals(0, r.status);
        assertTrue(r.out.startsWith("usage: ./kcp echo-client"), r.out);
    }
}
