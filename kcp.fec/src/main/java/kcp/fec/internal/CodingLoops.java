package kcp.fec.internal;

/**
 * Chooses the {@link CodingLoop} at runtime. When the {@code jdk.incubator.vector} module is in the boot layer (run
 * the JVM with {@code --add-modules jdk.incubator.vector}) codecs get an {@link AdaptiveCodingLoop}, which runs the
 * scalar loop until C2 has made the vector loop faster and the vector loop from then on; otherwise the scalar loop.
 * The system property {@code kcp.fec.simd} overrides: {@code true} = the vector loop from the first call,
 * {@code false} = scalar. {@code kcp.fec.vectorBits} (128, 256, 512) and {@code kcp.fec.scalar=wide} select variants
 * for measurement. The vector class is loaded reflectively only when the module is present, so the module never
 * needs the incubator module at run time.
 *
 * <p>Thread-safe: the choice is made once, in the static initialiser.
 */
public final class CodingLoops {
    private static final CodingLoop SCALAR = "wide".equals(System.getProperty("kcp.fec.scalar"))
            ? ScalarCodingLoop.wide() : ScalarCodingLoop.bytewise();
    private static final CodingLoop VECTOR = loadVector();
    private static final CodingLoop DEFAULT = chooseDefault(System.getProperty("kcp.fec.simd", "auto"));

    private CodingLoops() {
    }

    private static CodingLoop chooseDefault(String simd) {
        if (VECTOR == null || "false".equals(simd)) {
            return SCALAR;
        }
        return "true".equals(simd) ? VECTOR : new AdaptiveCodingLoop(SCALAR, VECTOR, System::nanoTime);
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
     * The portable loop (always available): Backblaze's byte-at-a-time table loop, or the 8-bytes-per-step
     * variant when the system property {@code kcp.fec.scalar=wide} is set (measured slower; kept for comparison).
     */
    public static CodingLoop scalar() {
        return SCALAR;
    }

    /** The vector loop, or null when the Vector API module is not present. */
    public static CodingLoop vectorOrNull() {
        return VECTOR;
    }
}
