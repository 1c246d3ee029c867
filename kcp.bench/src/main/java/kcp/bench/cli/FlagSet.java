package kcp.bench.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The flags of one subcommand, kcptun style: {@code --name value} or {@code --name=value} (a single dash
 * works too, as in Go's flag package). Boolean flags may stand alone ({@code --acknodelay}) or take
 * {@code true|false}. Values are kept as strings and converted by the typed getters, which name the flag
 * and the bad value in their {@link UsageException}.
 *
 * <p>Not thread-safe; one instance per command line.
 */
final class FlagSet {
    private final String command;
    private final String summary;
    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    private record Flag(String name, String valueName, String help, String defaultValue, boolean bool) {
    }

    /**
     * @param command the subcommand name, used in messages ({@code echo-client})
     * @param summary one paragraph printed at the top of {@code --help}
     */
    FlagSet(String command, String summary) {
        this.command = command;
        this.summary = summary;
    }

    /** @return the subcommand name */
    String command() {
        return command;
    }

    /**
     * Declares a flag that takes a value.
     *
     * @param name         without dashes
     * @param valueName    placeholder in the usage text ({@code N}, {@code HOST:PORT})
     * @param defaultValue the value when the flag is absent
     * @param help         one line
     * @return this
     */
    FlagSet value(String name, String valueName, String defaultValue, String help) {
        flags.put(name, new Flag(name, valueName, help, defaultValue, false));
        return this;
    }

    /** Declares a boolean flag ({@code --name}, {@code --name true|false}, {@code --name=false}). */
    FlagSet bool(String name, boolean defaultValue, String help) {
        flags.put(name, new Flag(name, "true|false", help, Boolean.toString(defaultValue), true));
        return this;
    }

    /**
     * Declares another name for a declared flag ({@code -l} for {@code --localaddr}, {@code --ds} for
     * {@code --datashard}, as kcptun spells them).
     *
     * @param alias without dashes
     * @param name  the declared flag it stands for
     * @return this
     */
    FlagSet alias(String alias, String name) {
        if (!flags.containsKey(name)) {
            throw new IllegalStateException("alias --" + alias + " for undeclared flag --" + name);
        }
        aliases.put(alias, name);
        return this;
    }

    /**
     * Parses {@code args[from..]}.
     *
     * @throws UsageException on an unknown flag, a missing value or a positional argument
     * @throws HelpRequested  on {@code --help} or {@code -h}
     */
    void parse(String[] args, int from) throws UsageException, HelpRequested {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h") || arg.equals("-help")) {
                throw new HelpRequested();
            }
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (flags look like --name value)");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String inline = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                inline = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            body = aliases.getOrDefault(body, body);
            Flag flag = flags.get(body);
            if (flag == null) {
                throw new UsageException("unknown flag --" + body);
            }
            String value;
            if (inline != null) {
                value = inline;
            } else if (flag.bool) {
                boolean next = i + 1 < args.length && isBoolWord(args[i + 1]);
                value = next ? args[++i] : "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException("flag --" + body + " needs a value (" + flag.valueName + ")");
                }
                value = args[++i];
            }
            values.put(body, value);
        }
    }

    private static boolean isBoolWord(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.equals("true") || l.equals("false");
    }

    /** @return true if this subcommand declares the flag */
    boolean declares(String name) {
        return flags.containsKey(name);
    }

    /** @return true if the declared flag is a boolean one (it may stand alone on the command line) */
    boolean isBool(String name) {
        Flag f = flags.get(name);
        return f != null && f.bool;
    }

    /**
     * Sets a declared flag as if it had been given on the command line (a {@code -c} config file's value).
     *
     * @throws IllegalStateException if the flag is not declared
     */
    void set(String name, String value) {
        if (!flags.containsKey(name)) {
            throw new IllegalStateException("flag --" + name + " is not declared for " + command);
        }
        values.put(name, value);
    }

    /** @return true if the flag was given on the command line */
    boolean isSet(String name) {
        return values.containsKey(name);
    }

    /** @return the flag's value or its default */
    String string(String name) {
        Flag f = flags.get(name);
        if (f == null) {
            throw new IllegalStateException("flag --" + name + " is not declared for " + command);
        }
        return values.getOrDefault(name, f.defaultValue);
    }

    /** @return the flag as an int in {@code [min, max]} */
    int integer(String name, int min, int max) throws UsageException {
        long v = longValue(name, min, max);
        return (int) v;
    }

    /** @return the flag as a long in {@code [min, max]}; accepts K/M/G (x1024) and KiB/MiB/GiB suffixes */
    long longValue(String name, long min, long max) throws UsageException {
        String raw = string(name).trim();
        long v = parseSize(name, raw);
        if (v < min || v > max) {
            throw new UsageException("flag --" + name + " must be in [" + min + ", " + max + "]: " + raw);
        }
        return v;
    }

    private static long parseSize(String name, String raw) throws UsageException {
        String s = raw.toUpperCase(Locale.ROOT);
        long mult = 1;
        for (String[] unit : new String[][] {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
                {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}}) {
            if (s.endsWith(unit[0])) {
                mult = Long.parseLong(unit[1]);
                s = s.substring(0, s.length() - unit[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("flag --" + name + " needs an integer: '" + raw + "'");
        }
    }

    /** @return the flag as a boolean ({@code true/false}, also {@code 1/0}) */
    boolean bool(String name) throws UsageException {
        String raw = string(name).trim().toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new UsageException("flag --" + name + " needs true or false: '" + string(name) + "'");
        };
    }

    /** @return the {@code --help} text: summary, then one line per flag with its default */
    String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ./kcp ").append(command).append(" [flags]\n\n").append(summary).append("\n\nflags:\n");
        int width = 0;
        for (Flag f : flags.values()) {
            width = Math.max(width, f.name.length() + f.valueName.length() + 4);
        }
        for (Flag f : flags.values()) {
            String left = "--" + f.name + " " + f.valueName;
            sb.append("  ").append(left).append(" ".repeat(Math.max(1, width - left.length() + 2)))
                    .append(f.help).append(aliasesOf(f.name));
            if (!f.defaultValue.isEmpty()) {
                sb.append(" (default ").append(f.defaultValue).append(')');
            }
            sb.append('\n');
        }
        sb.append("  --help").append(" ".repeat(Math.max(1, width - 4))).append("print this text\n");
        return sb.toString();
    }

    private String aliasesOf(String name) {
        StringBuilder sb = new StringBuilder();
        aliases.forEach((alias, target) -> {
            if (target.equals(name)) {
                sb.append(sb.isEmpty() ? "; also " : ", ").append(alias.length() == 1 ? "-" : "--").append(alias);
            }
        });
        return sb.toString();
    }
}
