// `@pujiang/module-privacy/verify`: decryptions checked offline (browser-safe).
export type { CombinedDecryption, PartialDecryptionJson } from './decryption.js';
export { combinePartials, verifyPartial } from './decryption.js';
export { verifyPaillierTotal } from './paillier.js';
