/** Reed-Solomon erasure coding (GF(2^8), klauspost/Backblaze matrix) and kcp-go's FEC packet layer. */
module kcp.fec {
}
