// `@pujiang/module-scf/client`: supply-chain finance from an application (the SDK re-exports it).
export type { AmountLike, ScfSendParameters } from './receivables.js';
export {
  cancelFinancing,
  confirmReceivable,
  financeReceivable,
  getCreditLine,
  getInvoice,
  getReceivable,
  getReceivablePart,
  getScfBanks,
  releasePledge,
  requestFinancing,
  setCreditLine,
  settleReceivable,
  splitReceivable,
  transferReceivable,
} from './receivables.js';
export { verifiedInvoice, verifiedReceivable } from './verify.js';
