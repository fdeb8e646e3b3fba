// The Node entry: everything in the browser entry, plus what needs Node (node:crypto ciphers
// and key exchange, Buffer-based PEM/X.509, the worker-thread verification pool).
export * from './browser.js';
export type { CertificationRequest } from './csr.js';
export { createCsr, csrFromPem, csrToPem, parseCsr, verifiedCsr, verifyCsrSignature } from './csr.js';
export type { EphemeralKeyPair } from './key-exchange.js';
export {
  generateEphemeralKeyPair,
  hkdfSha256,
  x25519PublicKey,
  x25519SharedSecret,
} from './key-exchange.js';
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
export type { SealOptions } from './sealed-envelope.js';
export { envelopeMissing, MAX_SEALED_RECIPIENTS, openEnvelope, sealEnvelope } from './sealed-envelope.js';
export { ED25519_IMPLEMENTATION } from './suites/ed25519-node.js';
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
