/** kcp-go's packet ciphers (CFB family with nonce + CRC32, and AES-GCM framing), byte-compatible. */
module kcp.crypto {
    requires org.bouncycastle.provider;
}
