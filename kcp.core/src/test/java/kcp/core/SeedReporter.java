package kcp.core;

/** Prints the seed of a failing randomized test so the run can be replayed exactly (like Aeron's RandomWatcher). */
final class SeedReporter {
    /** A test body that may throw. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private SeedReporter() {
    }

    static void run(String what, long seed, Body body) throws Exception {
        try {
            body.run();
        } catch (Exception | Error e) {
            System.err.println("FAILED " + what + " with seed " + seed + " (replay with this seed)");
            throw e;
        }
    }
}
