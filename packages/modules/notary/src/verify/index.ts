// `@pujiang/module-notary/verify`: receipts and lineage checked offline (browser-safe).
export type { VerifiedLineage } from './lineage.js';
export { parseLineageProof, verifyLineage, verifyLineageProof } from './lineage.js';
export type {
  VerifyNotaryReceiptErrorType,
  VerifyNotaryReceiptParameters,
  VerifyNotaryReceiptReturnType,
} from './receipt.js';
export { parseNotaryReceipt, verifyNotaryReceipt } from './receipt.js';
