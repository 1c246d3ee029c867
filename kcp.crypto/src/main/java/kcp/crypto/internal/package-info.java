/**
 * Implementations behind {@code kcp.crypto}: one class per cipher family (JCE-backed CFB for AES,
 * 3DES and Blowfish, hand-written TEA, XTEA, Salsa20 and SimpleXOR, Bouncy Castle engines for CAST5,
 * Twofish and SM4), the sealers and the default nonce source. Not exported. Nothing here is
 * thread-safe; every object has a single owner.
 */
package kcp.crypto.internal;
