// `@pujiang/module-notary/client`: notarization and traceability from an application.
export type { NotarizeParameters, NotarizeReturnType } from './anchor.js';
export { awaitNotaryReceipts, getAnchor, notarize, receiptsOfExistingAnchor } from './anchor.js';
export type { NotarySearchParameters, NotarySendParameters } from './lineage.js';
export { createAsset, getLineageProof, recordLineageEvent, searchNotary } from './lineage.js';
export { completeNotaryReceipts, pendingNotaryReceipts } from './receipt.js';
