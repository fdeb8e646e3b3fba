// `@pujiang/module-xchain`: light clients of other chains, and IBC-style connections,
// channels and packets between Pujiang chains (formats, query contracts, pure checks).

export * from './channel-formats.js';
export {
  channelQueryContract,
  connectionQueryContract,
  escrowQueryContract,
  packetQueryContract,
  pendingSearchContract,
} from './channel-schemas.js';
export type { XchainErrorCode } from './errors.js';
export { XCHAIN_ERRORS, xchainError } from './errors.js';
export * from './formats.js';
export * from './htlc-formats.js';
export { htlcQueryContract } from './htlc-schemas.js';
export type {
  ClientParameters,
  ClientState,
  ConsensusState,
  HeaderSubmission,
  HostClock,
  UpdateOutcome,
} from './light-client.js';
export { checkMisbehaviour, createClient, updateClient } from './light-client.js';
export { XCHAIN_MODULE } from './names.js';
export {
  clientQueryContract,
  consensusQueryContract,
  provenQueryContract,
  sectorsQueryContract,
} from './schemas.js';
export * from './sectors.js';
