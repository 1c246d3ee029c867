/**
 * kcp-go's packet ciphers (CFB family with nonce + CRC32, and AES-GCM framing), byte-compatible with
 * kcp-go on the wire. Only {@code kcp.crypto} is exported; the cipher implementations live in
 * {@code kcp.crypto.internal}.
 *
 * <p>The Vector API is optional ({@code requires static}): Salsa20 uses a SIMD kernel when the JVM runs
 * with {@code --add-modules jdk.incubator.vector}, and portable scalar code otherwise.
 */
module kcp.crypto {
    requires org.bouncycastle.provider;
    requires static jdk.incubator.vector;

    exports kcp.crypto;
}
