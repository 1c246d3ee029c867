package kcp.bench.cli;

/** Thrown by {@link FlagSet#parse} on {@code --help} / {@code -h}: print the usage and exit 0. */
final class HelpRequested extends Exception {
    private static final long serialVersionUID = 1L;

    HelpRequested() {
        super("help requested", null, false, false);
    }
}
