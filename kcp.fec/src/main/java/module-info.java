/**
 * Reed-Solomon erasure coding (GF(2^8), klauspost/Backblaze matrix) and kcp-go's FEC packet layer.
 *
 * <p>The Vector API is optional: {@code requires static} makes it a compile-time dependency only. At run time the
 * SIMD coding loop is used when the JVM is started with {@code --add-modules jdk.incubator.vector}; without it the
 * module runs on the portable SWAR loop (plain Java that the JIT vectorises) and never touches the incubator classes.
 */
module kcp.fec {
    requires static jdk.incubator.vector;

    exports kcp.fec;
}
