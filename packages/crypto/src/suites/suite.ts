/** Identifiers of the signature suites; every key, address and signature names one. */
export const SUITE_IDS = [
  'ed25519',
  'sm2',
  'secp256k1',
  'ml-dsa-44',
  'ml-dsa-65',
  'sm2+ml-dsa-65',
  'ed25519+ml-dsa-44',
] as const;
export type SuiteId = (typeof SUITE_IDS)[number];

/** Per-call options; each suite reads only the ones that apply to it. */
export interface SignatureOptions {
  /** SM2 user identity hashed into Z_A (GM/T 0003.2); default `1234567812345678`. */
  sm2UserId?: string;
  /** FIPS 204 context string for ML-DSA (0-255 bytes); default empty. */
  mlDsaContext?: Uint8Array;
}

/**
 * One signature algorithm behind a uniform interface. Keys and signatures are raw bytes of
 * fixed length per suite; `verify` returns false for any signature that does not verify
 * (including one of the wrong length) and throws a CryptoError only for a malformed key.
 */
export interface SignatureSuite {
  readonly id: SuiteId;
  /** Stable one-byte code used in binary encodings and addresses. */
  readonly code: number;
  readonly publicKeyLength: number;
  readonly secretKeyLength: number;
  readonly signatureLength: number;
  generateSecretKey(): Uint8Array;
  publicKeyFromSecretKey(secretKey: Uint8Array): Uint8Array;
  sign(secretKey: Uint8Array, message: Uint8Array, options?: SignatureOptions): Uint8Array;
  verify(
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    options?: SignatureOptions,
  ): boolean;
}
