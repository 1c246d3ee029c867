package kcp.bench.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

import kcp.net.NetStatsSnapshot;
import kcp.net.SnmpField;

/**
 * Output helpers shared by the subcommands: the {@code RESULT} line, MB/s and the SNMP counters as a
 * table with one column per counter set (kcp-go's {@code Snmp.Header()} names as row labels).
 *
 * <p>Stateless and thread-safe. MB/s means 10^6 bytes per second, as Go's {@code testing} reports it.
 */
final class Report {
    private Report() {
    }

    /** @return bytes per second in MB/s (10^6), 0 when no time elapsed */
    static double mbps(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes * 1e3 / nanos;
    }

    /** @return {@code "%.2f"} in the root locale */
    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * Adds snapshots field by field (gauges too: the sum is the total over the sessions).
     *
     * @param sets snapshots of several sessions
     * @return every field's sum over {@code sets}, as a column for {@link #counters}
     */
    static ToLongFunction<SnmpField> sum(List<NetStatsSnapshot> sets) {
        long[] total = new long[SnmpField.values().length];
        for (NetStatsSnapshot s : sets) {
            for (SnmpField f : SnmpField.values()) {
                total[f.ordinal()] += s.get(f);
            }
        }
        return f -> total[f.ordinal()];
    }

    /**
     * Prints the counters as a table.
     *
     * @param out     destination
     * @param columns column titles
     * @param sets    one column of values per title (e.g. {@code snapshot::get})
     */
    static void counters(PrintStream out, List<String> columns, List<ToLongFunction<SnmpField>> sets) {
        int labelWidth = 0;
        for (SnmpField f : SnmpField.values()) {
            labelWidth = Math.max(labelWidth, f.label().length());
        }
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (SnmpField f : SnmpField.values()) {
                widths[c] = Math.max(widths[c], Long.toString(sets.get(c).applyAsLong(f)).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("counter", labelWidth, false));
        for (int c = 0; c < columns.size(); c++) {
            sb.append("  ").append(pad(columns.get(c), widths[c], true));
        }
        sb.append('\n').append("-".repeat(labelWidth));
        for (int w : widths) {
            sb.append("  ").append("-".repeat(w));
        }
        sb.append('\n');
        for (SnmpField f : SnmpField.values()) {
            sb.append(pad(f.label(), labelWidth, false));
            for (int c = 0; c < columns.size(); c++) {
                sb.append("  ").append(pad(Long.toString(sets.get(c).applyAsLong(f)), widths[c], true));
            }
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    /** @return {@code label=value} pairs of every counter on one line (like the Go peers' RESULT lines) */
    static String counterLine(NetStatsSnapshot s) {
        StringBuilder sb = new StringBuilder();
        for (SnmpField f : SnmpField.values()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(f.label()).append('=').append(s.get(f));
        }
        return sb.toString();
    }
}
