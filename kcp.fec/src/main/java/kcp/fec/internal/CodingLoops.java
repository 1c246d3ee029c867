package kcp.fec.internal;

/**
 * Chooses the {@link CodingLoop} at runtime. When the {@code jdk.incubator.vector} module is in the boot layer (run
 * the JVM with {@code --add-modules jdk.incubator.vector}) codecs get an {@link AdaptiveCodingLoop}, which runs the
 * portable loop until C2 has made the vector loop faster and the vector loop from then on; otherwise the portable
 * loop, {@link SwarCodingLoop} (which C2 vectorises by itself). The system property {@code kcp.fec.simd} overrides:
 * {@code true} = the vector loop from the first call, {@code false} = the portable loop.
 * {@code kcp.fec.vectorBits} (128, 256, 512) and {@code kcp.fec.scalar=table|wide} (the table loops of
 * {@link ScalarCodingLoop} instead of {@link SwarCodingLoop} as the portable loop) select variants for measurement.
 * The vector class is loaded reflectively only when the module is present, so the module never needs the incubator
 * module at run time.
 *
 * <p>Thread-safe: the choice is made once, in the static initialiser.
 */
public final class CodingLoops {
    private static final CodingLoop PORTABLE = portable(System.getProperty("kcp.fec.scalar", "swar"));
    private static final CodingLoop VECTOR = loadVector();
    private static final CodingLoop DEFAULT = chooseDefault(System.getProperty("kcp.fec.simd", "auto"));

    private CodingLoops() {
    }

    private static CodingLoop portable(String name) {
        return switch (name) {
            case "table" -> ScalarCodingLoop.bytewise();
            case "wide" -> ScalarCodingLoop.wide();
            default -> SwarCodingLoop.instance();
        };
    }

    private static CodingLoop chooseDefault(String simd) {
        if (VECTOR == null || "false".equals(simd)) {
            return PORTABLE;
        }
        return "true".equals(simd) ? VECTOR : new AdaptiveCodingLoop(PORTABLE, VECTOR, System::nanoTime);
    }

    /** True when the incubator Vector API module is resolved in the boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static CodingLoop loadVector() {
        if (!vectorModulePresent()) {
            return null;
        }
        try {
            return (CodingLoop) Class.forName("kcp.fec.internal.VectorCodingLoop")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | IllegalStateException e) {
            System.getLogger(CodingLoops.class.getName()).log(System.Logger.Level.WARNING,
                    "jdk.incubator.vector present but the vector coding loop failed to load; using scalar", e);
            return null;
        }
    }

    /** The loop codecs use by default. */
    public static CodingLoop defaultLoop() {
        return DEFAULT;
    }

    /**
     * The portable loop (always available): {@link SwarCodingLoop}, or one of {@link ScalarCodingLoop}'s table
     * loops when the system property {@code kcp.fec.scalar} is {@code table} (Backblaze's byte loop) or
     * {@code wide} (its 8-bytes-per-step variant); both measured slower and are kept for comparison.
     */
    public static CodingLoop portable() {
        return PORTABLE;
    }

    /** The vector loop, or null when the Vector API module is not present. */
    public static CodingLoop vectorOrNull() {
        return VECTOR;
    }
}
