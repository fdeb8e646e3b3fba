export type { CertifiedValidator, CommitCertificate } from '@pujiang/consensus';
export type { HashAlgorithm } from '@pujiang/crypto';
export type { VerifiedBalance } from '@pujiang/module-bank/verify';
export { verifyBalanceQuery } from '@pujiang/module-bank/verify';
export type {
  AccountResponse,
  ApiErrorBody,
  BlockHeader,
  BlockResponse,
  ChainEvent,
  Genesis,
  GenesisJson,
  GovernanceAction,
  HeaderResponse,
  PolicyJson,
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
export { decodeTx, parseGenesis, txHash, verifyTxSignature } from '@pujiang/protocol';
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
export { verifyHeader, verifyProvenQuery, verifyStateRead } from '@pujiang/verify';
export type {
  PujiangClientOptions,
  QueryProvenOptions,
  SendTransactionParameters,
  SendTransactionReturnType,
  SendTransferParameters,
  SubmitTxOptions,
  SubmittableTx,
  WaitForTxOptions,
} from './client.js';
export { DEFAULT_EXPIRES_IN, PujiangClient } from './client.js';
export type { SdkErrorCode, VerificationCheck } from './errors.js';
export { ApiError, VerificationError } from './errors.js';
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
export type { GovernanceSendParameters, ProposalJson } from './governance.js';
export {
  finalizeProposal,
  getProposal,
  listProposals,
  proposalStatusAt,
  registerIdentity,
  revokeCertificate,
  submitProposal,
  vetoProposal,
  voteOnProposal,
} from './governance.js';
export type { RequestOptions } from './http.js';
export type { KeyPair, PublicKey, SecretKey, SuiteId } from './keys.js';
export {
  addressOf,
  deriveAddress,
  generateKeyPair,
  keyPairFromHex,
  keyPairFromSecretKey,
  publicKeyFromHex,
  SUITE_IDS,
  secretKeyToHex,
} from './keys.js';
export type { LightClientOptions } from './light-client.js';
export { LightClient } from './light-client.js';
export type { NotarizeParameters, NotarizeReturnType } from './notary/anchor.js';
export { awaitNotaryReceipts, getAnchor, notarize, receiptsOfExistingAnchor } from './notary/anchor.js';
export type { NotaryDocument } from './notary/batch.js';
export { digestDocument, NotaryBatch } from './notary/batch.js';
export type { LineageProof, NotarySearchParameters, NotarySendParameters } from './notary/lineage.js';
export { createAsset, getLineageProof, recordLineageEvent, searchNotary } from './notary/lineage.js';
export type { NotaryReceipt } from './notary/receipt.js';
export { completeNotaryReceipts, NOTARY_RECEIPT_FORMAT, pendingNotaryReceipts } from './notary/receipt.js';
export type {
  BuildTransactionParameters,
  BuildTransactionReturnType,
  BuildTransferParameters,
  U64Like,
} from './transactions.js';
export { buildTransaction, buildTransfer, DEFAULT_GAS_LIMIT } from './transactions.js';
export type { VerifiedLineage } from './verify/lineage.js';
export { parseLineageProof, verifyLineage, verifyLineageProof } from './verify/lineage.js';
export type {
  VerifyNotaryReceiptErrorType,
  VerifyNotaryReceiptParameters,
  VerifyNotaryReceiptReturnType,
} from './verify/notary.js';
export { parseNotaryReceipt, verifyNotaryReceipt } from './verify/notary.js';
export { committedTxProof, verifyTransaction } from './verify/transaction.js';
