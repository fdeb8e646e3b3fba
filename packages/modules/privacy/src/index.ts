// `@pujiang/module-privacy`: formats, query contracts and the cryptography clients and the
// chain share (browser-safe). The chain module is `./chain`, client calls `./client`,
// offline verification `./verify`, commands `./cli`.
export * from './contexts.js';
export {
  combineCommitments,
  commitmentsOf,
  evaluate,
  lagrangeAtZero,
  openShare,
  randomPolynomial,
  sealShare,
  shareCommitment,
} from './crypto/dkg.js';
export type { ElGamalCiphertext } from './crypto/elgamal.js';
export {
  addCiphertexts,
  CIPHERTEXT_BYTES,
  decodeCiphertext,
  decryptWithSecret,
  discreteLog,
  encodeCiphertext,
  encryptToKey,
  verifyEncryptionProof,
} from './crypto/elgamal.js';
export {
  decodePoint,
  decodeScalar,
  encodePoint,
  encodeScalar,
  G,
  IDENTITY,
  invert,
  ORDER,
  type Point,
  randomScalar,
  times,
} from './crypto/group.js';
export {
  addPaillier,
  bigintFromBytes,
  bigintToBytes,
  ciphertextLength,
  opensTo,
  PAILLIER_MAX_BITS,
  PAILLIER_MIN_BITS,
  parseCiphertext,
  parseModulus,
  privateKeyOf,
  publicKeyOf,
} from './crypto/paillier.js';
export { proveEqualLogs, proveKnowledge, verifyEqualLogs, verifyKnowledge } from './crypto/proofs.js';
export * from './formats.js';
export * from './schemas.js';
