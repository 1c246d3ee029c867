/**
 * kcp-go's forward error correction: the packet layer ({@link kcp.fec.FecEncoder}, {@link kcp.fec.FecDecoder},
 * {@link kcp.fec.FecHeader}) and the Reed-Solomon codec it runs on ({@link kcp.fec.ReedSolomon}). Encoders,
 * decoders and codecs are NOT thread-safe (one per session and direction); {@link kcp.fec.FecHeader} is stateless.
 */
package kcp.fec;
