// `@pujiang/module-scf`: formats, query contracts and record readers (browser-safe).
// The chain module is `./chain`, client calls `./client`, commands `./cli`.
export * from './dates.js';
export * from './formats.js';
export type { CreditLineJson, PartJson, ReceivableJson, ScfRead } from './records.js';
export {
  banksAnswer,
  creditLineAnswer,
  invoiceAnswer,
  partAnswer,
  partJson,
  readPart,
  receivableAnswer,
} from './records.js';
export * from './schemas.js';
