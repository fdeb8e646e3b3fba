// The consensus package without its driver and simulator (which need node:fs, node:zlib, ...):
// what a browser needs to check commit certificates. `index.ts` adds the Node-only parts.
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
export { proposalSignBytes, signBytes, voteSignBytes } from './signing.js';
