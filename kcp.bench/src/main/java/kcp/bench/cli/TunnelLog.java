package kcp.bench.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

import kcp.net.NetStats;
import kcp.net.NetStatsSnapshot;

/**
 * The tunnel's log, as kcptun writes it with Go's {@code log} package: one line per event prefixed with the local
 * date and time ({@code 2006/01/02 15:04:05}), to stderr or appended to {@code --log FILE}; "stream opened/closed"
 * lines are left out with {@code --quiet}. Also kcptun's SNMP CSV logger ({@link #snmpLine}).
 *
 * <p>Thread-safe: lines are written whole through one {@link PrintStream}.
 */
final class TunnelLog implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT);

    private final PrintStream out;
    private final boolean ownStream;
    private final boolean quiet;

    private TunnelLog(PrintStream out, boolean ownStream, boolean quiet) {
        this.out = out;
        this.ownStream = ownStream;
        this.quiet = quiet;
    }

    /**
     * Opens the log.
     *
     * @param file   {@code --log}: a file to append to, or empty for {@code stderr}
     * @param stderr where the log goes without a file
     * @param quiet  {@code --quiet}
     * @throws IOException if the file cannot be opened
     */
    static TunnelLog open(String file, PrintStream stderr, boolean quiet) throws IOException {
        if (file.isEmpty()) {
            return new TunnelLog(stderr, false, quiet);
        }
        return new TunnelLog(new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8), true,
                quiet);
    }

    /** Logs one line. */
    void log(String message) {
        out.println(LocalDateTime.now().format(STAMP) + " " + message);
    }

    /** Logs a stream event, unless {@code --quiet}. */
    void stream(String message) {
        if (!quiet) {
            log(message);
        }
    }

    @Override
    public void close() {
        if (ownStream) {
            out.close();
        }
    }

    /**
     * Appends one CSV line of the global counters to the SNMP log, as kcptun's {@code SnmpLogger} does: the file
     * name is the path's last element formatted as a Go time layout at {@code now}, and a new file starts with
     * the header {@code Unix,BytesSent,...}.
     *
     * @param path the {@code --snmplog} value
     * @param now  the time of the line
     * @throws IOException if the file cannot be written
     */
    static void snmpLine(String path, ZonedDateTime now) throws IOException {
        int slash = path.lastIndexOf('/') + 1;
        String name = goFormat(path.substring(slash), now);
        java.nio.file.Path file = java.nio.file.Path.of(path.substring(0, slash) + name);
        NetStatsSnapshot s = NetStats.global().snapshot();
        StringBuilder sb = new StringBuilder();
        if (!java.nio.file.Files.exists(file) || java.nio.file.Files.size(file) == 0) {
            sb.append("Unix,").append(String.join(",", NetStatsSnapshot.header())).append('\n');
        }
        sb.append(now.toEpochSecond()).append(',').append(String.join(",", s.toSlice())).append('\n');
        java.nio.file.Files.writeString(file, sb, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * Formats a time with a Go layout ({@code time.Format}): the tokens {@code 2006 06 January Jan 01 1 Monday Mon
     * 02 2 15 03 3 04 4 05 5 PM pm} are replaced, everything else is copied.
     */
    static String goFormat(String layout, ZonedDateTime t) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < layout.length()) {
            String rest = layout.substring(i);
            String token = null;
            String value = null;
            for (String[] tv : List.of(
                    new String[] {"2006", String.format(Locale.ROOT, "%04d", t.getYear())},
                    new String[] {"January", t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)},
                    new String[] {"Jan", t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)},
                    new String[] {"Monday", t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)},
                    new String[] {"Mon", t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)},
                    new String[] {"01", two(t.getMonthValue())},
                    new String[] {"02", two(t.getDayOfMonth())},
                    new String[] {"03", two(hour12(t))},
                    new String[] {"04", two(t.getMinute())},
                    new String[] {"05", two(t.getSecond())},
                    new String[] {"06", two(t.getYear() % 100)},
                    new String[] {"15", two(t.getHour())},
                    new String[] {"PM", t.getHour() < 12 ? "AM" : "PM"},
                    new String[] {"pm", t.getHour() < 12 ? "am" : "pm"},
                    new String[] {"1", Integer.toString(t.getMonthValue())},
                    new String[] {"2", Integer.toString(t.getDayOfMonth())},
                    new String[] {"3", Integer.toString(hour12(t))},
                    new String[] {"4", Integer.toString(t.getMinute())},
                    new String[] {"5", Integer.toString(t.getSecond())})) {
                if (rest.startsWith(tv[0])) {
                    token = tv[0];
                    value = tv[1];
                    break;
                }
            }
            if (token == null) {
                sb.append(layout.charAt(i++));
            } else {
                sb.append(value);
                i += token.length();
            }
        }
        return sb.toString();
    }

    private static String two(int v) {
        return String.format(Locale.ROOT, "%02d", v);
    }

    private static int hour12(ZonedDateTime t) {
        int h = t.getHour() % 12;
        return h == 0 ? 12 : h;
    }

    /** @return now in the local zone, as Go's {@code time.Now()} formats it */
    static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneId.systemDefault());
    }
}
