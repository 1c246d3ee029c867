package kcp.fec.internal;

/**
 * Chooses the {@link CodingLoop} at runtime. The vector loop is used when the {@code jdk.incubator.vector} module
 * is in the boot layer (run the JVM with {@code --add-modules jdk.incubator.vector}) and the system property
 * {@code kcp.fec.simd} is not {@code false}; otherwise the scalar loop. {@code kcp.fec.vectorBits} (128, 256, 512)
 * and {@code kcp.fec.scalar=wide} select variants for measurement. The vector class is loaded reflectively
 * only in the first case, so the module never needs the incubator module at run time.
 *
 * <p>Thread-safe: the choice is made once, in the static initialiser.
 */
public final class CodingLoops {
    private static final CodingLoop SCALAR = "wide".equals(System.getProperty("kcp.fec.scalar"))
            ? ScalarCodingLoop.wide() : ScalarCodingLoop.bytewise();
    private static final CodingLoop VECTOR = loadVector();
    private static final CodingLoop DEFAULT = VECTOR != null && !"false".equals(System.getProperty("kcp.fec.simd"))
            ? VECTOR : SCALAR;

    private CodingLoops() {
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
