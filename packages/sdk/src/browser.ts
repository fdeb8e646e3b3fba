// `@pujiang/sdk/browser`: what a web page needs from the SDK (the HTTP client, the light
// client, transactions, keys, events over the page's WebSocket and verification), without
// the Node-only parts: key files on disk, and signed reads (RFC 9421 needs node:crypto; a
// page reads nodes whose reads are open). Every module's client calls are not re-exported
// here, because some of them seal envelopes with ciphers the browser crypto entry lacks:
// import a module's `./client` entry where it is browser-safe. Keep this a plain list of
// re-exports.

export type { KeyFile, KeyPair, PublicKey, SecretKey, SuiteId } from '@pujiang/module-kit/keys';
export {
  addressOf,
  generateKeyPair,
  keyPairFromHex,
  keyPairFromSecretKey,
  parseKeyFile,
  publicKeyFromHex,
  SUITE_IDS,
} from '@pujiang/module-kit/keys';
export type {
  AccountResponse,
  BlockResponse,
  ChainEvent,
  Genesis,
  GenesisJson,
  HeaderResponse,
  Receipt,
  StatusResponse,
  TxResponse,
  ValidatorsResponse,
} from '@pujiang/protocol';
export type { PujiangClientOptions, QueryProvenOptions, SubmitTxOptions } from './client.js';
export { PujiangClient } from './client.js';
export {
  ApiError,
  isPujiangError,
  PujiangError,
  TransactionFailedError,
  VerificationError,
} from './errors.js';
export type { EventMessage, EventStream, StreamMessage, SubscribeParameters } from './events.js';
export { eventStream, subscribe } from './events.js';
export type { RequestOptions } from './http.js';
export type { LightClientOptions } from './light-client.js';
export { LightClient } from './light-client.js';
export { decodeTx, parseGenesis, txHash } from './protocol-calls.js';
export type { BuildTransactionParameters, BuildTransactionReturnType } from './transactions.js';
export { buildTransaction, DEFAULT_GAS_LIMIT } from './transactions.js';
export { committedTxProof, verifyTransaction } from './verify/transaction.js';
