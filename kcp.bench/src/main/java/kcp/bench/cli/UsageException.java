package kcp.bench.cli;

/**
 * A bad command line: unknown subcommand or flag, missing or malformed value, value out of range. The
 * launcher prints the message as one line and exits with status 2.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the flag, the value and what is allowed */
    UsageException(String message) {
        super(message);
    }
}
