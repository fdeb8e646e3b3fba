export type { CertificateProblem, CertifiedValidator } from './certificate.js';
export { checkCertificate } from './certificate.js';
export { advanceValidatorSet, newValidatorSet, proposerOf, totalPower } from './core/proposer.js';
export type { ConsensusState, StepResult } from './core/state-machine.js';
export { initialState, MAX_ROUNDS_AHEAD, step } from './core/state-machine.js';
export type {
  CommitCertificate,
  Effect,
  Input,
  Proposal,
  Signed,
  Step,
  TimeoutConfig,
  TimeoutKind,
  ValidatorSet,
  ValueId,
  Vote,
  VoteType,
} from './core/types.js';
export { DEFAULT_TIMEOUTS } from './core/types.js';
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
export { proposalSignBytes, signBytes, voteSignBytes } from './signing.js';
export type {
  SimMessageSummary,
  SimNodeView,
  SimOptions,
  SimResult,
  ValidatorChange,
} from './sim/simulator.js';
export { simulate } from './sim/simulator.js';
