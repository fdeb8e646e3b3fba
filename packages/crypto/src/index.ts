export { signatureFromDer, signatureToDer } from './der.js';
export type { CryptoErrorCode } from './errors.js';
export { CryptoError } from './errors.js';
export type { HashAlgorithm } from './hash.js';
export { assertHashAlgorithm, HASH_ALGORITHMS, HASH_LENGTH, hash } from './hash.js';
export type { EphemeralKeyPair } from './key-exchange.js';
export { generateEphemeralKeyPair, hkdfSha256, x25519SharedSecret } from './key-exchange.js';
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
  merkleProof,
  merkleRoot,
  merkleRootOfLeafHashes,
  rootFromProof,
  verifyMerkleProof,
} from './merkle.js';
export type { Jwk } from './pem.js';
export {
  keyFromJwk,
  keyToJwk,
  publicKeyFromPem,
  publicKeyToPem,
  secretKeyFromPem,
  secretKeyToPem,
} from './pem.js';
export type { VerifyItem } from './pool/batch.js';
export type { VerifyPoolOptions } from './pool/verify-pool.js';
export { VerifyPool } from './pool/verify-pool.js';
export { getSuite, getSuiteByCode, isSuiteId } from './suites/registry.js';
export { SM2_DEFAULT_USER_ID, sm2MessageDigest, sm2UserHash } from './suites/sm2.js';
export type { SignatureOptions, SignatureSuite, SuiteId } from './suites/suite.js';
export { SUITE_IDS } from './suites/suite.js';
export type { AeadAlgorithm } from './symmetric.js';
export {
  AEAD_ALGORITHMS,
  AEAD_NONCE_LENGTH,
  AEAD_TAG_LENGTH,
  aeadDecrypt,
  aeadEncrypt,
  createSm4BlockCipher,
  sm4DecryptBlock,
  sm4EncryptBlock,
} from './symmetric.js';
export type { Certificate, CertificateTemplate, DistinguishedName } from './x509.js';
export {
  certificateFromPem,
  certificateToPem,
  issueCertificate,
  parseCertificate,
  serialHex,
  verifyCertificateSignature,
  X509_HYBRID_KEY_OIDS,
} from './x509.js';
