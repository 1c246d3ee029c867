/**
 * kcp-go's packet ciphers (CFB family with nonce + CRC32, and AES-GCM framing), byte-compatible with
 * kcp-go on the wire. Only {@code kcp.crypto} is exported; the cipher implementations live in
 * {@code kcp.crypto.internal}.
 */
module kcp.crypto {
    requires org.bouncycastle.provider;

    exports kcp.crypto;
}
