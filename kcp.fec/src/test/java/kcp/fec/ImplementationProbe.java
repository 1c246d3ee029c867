package kcp.fec;

/** Prints the coding loop a default codec picks; run in a child JVM by {@link LoopSelectionTest}. */
public final class ImplementationProbe {
    private ImplementationProbe() {
    }

    /** Prints the implementation name of ReedSolomon.create(10, 3). */
    public static void main(String[] args) {
        System.out.print(ReedSolomon.create(10, 3).implementation());
    }
}
