export type { CertifiedValidator, CommitCertificate } from '@pujiang/consensus';
export type { HashAlgorithm } from '@pujiang/crypto';
export type { GovernanceAction, PolicyJson } from '@pujiang/module-governance';
export type {
  KeyFile,
  KeyFileErrorCode,
  KeyPair,
  PublicKey,
  SecretKey,
  SuiteId,
} from '@pujiang/module-kit/keys';
export {
  addressOf,
  deriveAddress,
  formatKeyFile,
  generateKeyPair,
  keyPairFromHex,
  keyPairFromSecretKey,
  parseKeyFile,
  publicKeyFromHex,
  SUITE_IDS,
  secretKeyToHex,
} from '@pujiang/module-kit/keys';
export type { RequestSigner } from '@pujiang/module-kit/signed-requests';
export { requestSigner, signatureHeaders } from '@pujiang/module-kit/signed-requests';
export type {
  LineageProof,
  NotaryDocument,
  NotaryReceipt,
} from '@pujiang/module-notary';
export { digestDocument, NOTARY_RECEIPT_FORMAT, NotaryBatch } from '@pujiang/module-notary';
// Every module's client calls and offline verifiers, from the module list.
export * from '@pujiang/modules/client';
export * from '@pujiang/modules/verify';
export type {
  AccountResponse,
  ApiErrorBody,
  BannedPeerJson,
  BlockHeader,
  BlockReceiptsResponse,
  BlockResponse,
  ChainEvent,
  FailedCheckJson,
  Genesis,
  GenesisJson,
  HeaderResponse,
  HookReceiptsResponse,
  PeerJson,
  PeersResponse,
  ProvenQueryResponse,
  QueryResponse,
  Receipt,
  SignedTx,
  StateReadJson,
  StateResponse,
  StatusResponse,
  SubmitBatchResponse,
  SubmitResponse,
  TxBody,
  TxResponse,
  ValidatorJson,
  ValidatorsResponse,
} from '@pujiang/protocol';
export type {
  CertifiedHeader,
  CommittedTxProof,
  TrustedValidators,
  TrustParameters,
  VerifiedQuery,
  VerifiedStateRead,
  VerifiedTransaction,
  VerifyHeaderParameters,
  VerifyProvenQueryOptions,
} from '@pujiang/verify';
export { verifyHeader, verifyHookReceipt, verifyProvenQuery, verifyStateRead } from '@pujiang/verify';
export type {
  PujiangClientOptions,
  QueryProvenOptions,
  SendTransactionParameters,
  SendTransactionReturnType,
  SendTransactionsParameters,
  SendTransactionsReturnType,
  SendTransferParameters,
  SubmitTxOptions,
  SubmittableTx,
  WaitForProvableStateReturnType,
  WaitForTxOptions,
} from './client.js';
export { DEFAULT_EXPIRES_IN, PujiangClient } from './client.js';
export type { CodecErrorCode, CryptoErrorCode, SdkErrorCode, VerificationCheck } from './errors.js';
export {
  ApiError,
  CodecError,
  CryptoError,
  isPujiangError,
  PujiangError,
  TransactionFailedError,
  VerificationError,
} from './errors.js';
export type {
  EventMessage,
  EventStream,
  StreamMessage,
  SubscribeOptions,
  SubscribeParameters,
  Subscription,
  WebSocketConstructor,
  WebSocketLike,
} from './events.js';
export { eventStream, eventsUrl, subscribe } from './events.js';
export type { RequestOptions } from './http.js';
export type { SaveKeyFileOptions } from './key-file.js';
export { loadKeyFile, saveKeyFile } from './key-file.js';
export type { LightClientOptions } from './light-client.js';
export { LightClient } from './light-client.js';
export { decodeTx, parseGenesis, txHash, verifyTxSignature } from './protocol-calls.js';
export type {
  BuildTransactionParameters,
  BuildTransactionReturnType,
  BuildTransferParameters,
  U64Like,
} from './transactions.js';
export { buildTransaction, buildTransfer, DEFAULT_GAS_LIMIT } from './transactions.js';
export { committedTxProof, verifyTransaction } from './verify/transaction.js';
