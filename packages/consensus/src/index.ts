export * from './browser.js';
export type { ConsensusMessage, DriverEnvironment, ValidatorsAtHeight } from './driver/driver.js';
export { ConsensusDriver } from './driver/driver.js';
export type { ConsensusErrorCode } from './driver/errors.js';
export { ConsensusError } from './driver/errors.js';
export type { WalRecord } from './driver/records.js';
export { decodeRecord, encodeRecord } from './driver/records.js';
export type { SignStep } from './driver/signer.js';
export { DurableSigner } from './driver/signer.js';
export type { WalOpenResult } from './driver/wal.js';
export { Wal } from './driver/wal.js';
export type {
  SimMessageSummary,
  SimNodeView,
  SimOptions,
  SimResult,
  ValidatorChange,
} from './sim/simulator.js';
export { simulate } from './sim/simulator.js';
