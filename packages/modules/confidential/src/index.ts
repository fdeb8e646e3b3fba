// `@pujiang/module-confidential`: formats, Baby Jubjub commitments, the Groth16 verifier and
// memos (the chain module is `./chain`, client calls `./client`).
export * from './babyjub.js';
export * from './formats.js';
export {
  encodeSnarkjsProof,
  loadVerificationKey,
  PROOF_BYTES,
  type SnarkjsVerificationKey,
  type VerificationKey,
  verifyGroth16,
} from './groth16.js';
export { openMemo, sealMemo } from './memo.js';
export * from './schemas.js';
