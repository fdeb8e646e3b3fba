export { fieldOf, firstProblem } from './api/check.js';
export {
  coreOpenApi,
  finishOpenApi,
  type OpenApiDocument,
  operationOf,
  SchemaPublisher,
} from './api/openapi.js';
export * from './api/peers.js';
export * from './api/responses.js';
export {
  API,
  type ApiRoute,
  type ApiRouteId,
  compilePath,
  type HttpMethod,
  MAX_API_HEIGHT,
  pathOf,
  pathParamProblem,
  queryParamProblem,
  type ResponseOf,
} from './api/routes.js';
export * from './api/schemas.js';
export type { ReadAuthErrorCode } from './api/signed-requests.js';
export { READ_AUTH_ERRORS, SIGNED_REQUEST } from './api/signed-requests.js';
export {
  Block,
  BlockHeader,
  blockHash,
  decodeBlock,
  encodeBlock,
  encodedBlockSize,
  txRoot,
  ZERO_HASH,
} from './block.js';
export { decodeCertificate, encodeCertificate } from './certificate.js';
export type { EthereumTx } from './ethereum-tx.js';
export {
  decodeEthereumTx,
  ETHEREUM_TX_MODULE,
  ETHEREUM_TX_VERSION,
  ethereumChainId,
  ethereumChainLabel,
  ethereumTxHash,
  MAX_INITCODE_BYTES,
} from './ethereum-tx.js';
export type { BlockLimits, Genesis, GenesisErrorCode, GenesisJson, GenesisValidator } from './genesis.js';
export {
  ADDRESS_HEX,
  genesisToJson,
  isGenesisValidator,
  LEGACY_ENABLED_MODULES,
  parseGenesis,
} from './genesis.js';
export type {
  BlockHeaderJson,
  CommitCertificateJson,
  MerkleProofJson,
  ProtocolErrorCode,
  StateProofJson,
  StateProofValue,
  TxJson,
} from './json.js';
export {
  badJson,
  certificateFromJson,
  certificateToJson,
  headerFromJson,
  headerToJson,
  merkleProofFromJson,
  merkleProofToJson,
  stateProofFromJson,
  stateProofToJson,
  txToJson,
} from './json.js';
export type { BlockHookPhase, ChainEvent, Receipt } from './receipt.js';
export {
  decodeReceipt,
  decodeReceiptLeaves,
  decodeReceipts,
  encodeReceipt,
  encodeReceiptLeaves,
  encodeReceipts,
  encodeReceiptWithCodec,
  hookId,
  RECEIPT_LIMITS,
  receiptProof,
  resultsRoot,
  truncateUtf8,
} from './receipt.js';
export {
  AUTH_MODULE,
  decodeU64,
  encodeU64,
  moduleKey,
  moduleKeyText,
  moduleParamKey,
  nonceKey,
  nonceKeyText,
} from './state-keys.js';
export type { TxErrorCode, TxSignatureCheck } from './transaction.js';
export {
  decodeTx,
  Endorsement,
  encodeTx,
  endorsementSignBytes,
  endorserKeys,
  endorseTx,
  MAX_ENDORSEMENTS,
  MAX_TX_BYTES,
  SignedTx,
  senderKey,
  signTx,
  TxBody,
  txHash,
  txIsForChain,
  txSignatureChecks,
  txSignBytes,
  txSignBytesFromWire,
  verifyTxSignature,
} from './transaction.js';
export type { WireErrorCode } from './wire.js';
export {
  consensusToWire,
  decodeWire,
  encodeWire,
  MAX_BLOCKS_PER_REQUEST,
  MAX_TX_HASHES,
  WireMessage,
  wireToConsensus,
} from './wire.js';
