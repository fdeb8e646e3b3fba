// `@pujiang/module-evm/client`: contracts from an application, over any `ChainClient`
// (browser-safe: no interpreter here). Native accounts of any suite deploy and call through
// native transactions; reads go through the node's Ethereum JSON-RPC.

export { evmAddressOf } from './address.js';
export type { CallContractParameters, CallContractReturnType } from './call.js';
export { callContract } from './call.js';
export type { DeployContractParameters, DeployContractReturnType } from './deploy.js';
export { deployContract } from './deploy.js';
export type { EvmClientErrorCode } from './errors.js';
export type { EvmLog } from './logs.js';
export { evmLogsOf } from './logs.js';
export type { ReadContractParameters, ReadContractReturnType } from './read.js';
export { readContract } from './read.js';
export type { EvmSendParameters, EvmTransactionReturnType } from './send.js';
export type {
  GetStorageProvenParameters,
  GetStorageProvenReturnType,
  GetStorageVerifiedParameters,
  GetStorageVerifiedReturnType,
} from './storage.js';
export { getStorageProven, getStorageVerified } from './storage.js';
