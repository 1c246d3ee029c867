/**
 * Internals of the Reed-Solomon codec: GF(2^8) arithmetic ({@link kcp.fec.internal.Galois}), matrices
 * ({@link kcp.fec.internal.Matrix}), the coding-loop seam with its SWAR, table and Vector API implementations
 * ({@link kcp.fec.internal.CodingLoop}, {@link kcp.fec.internal.CodingLoops}), the erasure-pattern cache
 * ({@link kcp.fec.internal.InversionCache}) and the FEC auto-tuner ({@link kcp.fec.internal.AutoTune}).
 * Not exported. Thread-safety is stated per class: tables and prepared matrices are immutable, caches and the
 * tuner have a single owner.
 */
package kcp.fec.internal;
