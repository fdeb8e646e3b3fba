// `@pujiang/module-xchain`: light clients of other chains (this step), the ground for
// IBC-style connections, channels and packets between Pujiang chains.
export const XCHAIN_MODULE = 'xchain';

export type { XchainErrorCode } from './errors.js';
export { XCHAIN_ERRORS, xchainError } from './errors.js';
export type {
  ClientParameters,
  ClientState,
  ConsensusState,
  HeaderSubmission,
  HostClock,
  UpdateOutcome,
} from './light-client.js';
export { checkMisbehaviour, createClient, updateClient } from './light-client.js';
