/**
 * The package's entry under the `browser` condition: everything that runs without Node
 * (no node:* module, no Buffer). Hashes, Ed25519 and randomness come from the `#hash`,
 * `#ed25519` and `#platform` imports' browser files. Not here: the worker-thread
 * `VerifyPool`, SM4/AES-GCM, X25519/HKDF, PEM/JWK and X.509, which are in `index.ts` only.
 */
export { randomBytes } from '#platform';
export { signatureFromDer, signatureToDer } from './der.js';
export type { CryptoErrorCode } from './errors.js';
export { CryptoError } from './errors.js';
export { ethereumAddress, keccak256, recoverEthereumSigner, signEthereumDigest } from './ethereum.js';
export type { HashAlgorithm } from './hash.js';
export { assertHashAlgorithm, HASH_ALGORITHMS, HASH_LENGTH, hash } from './hash.js';
export type { KeyPair, PublicKey, SecretKey, Signature } from './keys.js';
export {
  ADDRESS_LENGTH,
  deriveAddress,
  generateKeyPair,
  keyPairFromSecretKey,
  sign,
  verify,
} from './keys.js';
export type { MerkleProof } from './merkle.js';
export {
  hashChildren,
  hashLeaf,
  merkleLevels,
  merkleProof,
  merkleProofFromLevels,
  merkleRoot,
  merkleRootOfLeafHashes,
  rootFromProof,
  verifyMerkleProof,
} from './merkle.js';
export { getSuite, getSuiteByCode, isSuiteId } from './suites/registry.js';
export { SM2_DEFAULT_USER_ID, sm2MessageDigest, sm2UserHash, sm2VerifyDigest } from './suites/sm2.js';
export type { SignatureOptions, SignatureSuite, SuiteId } from './suites/suite.js';
export { SUITE_IDS } from './suites/suite.js';
