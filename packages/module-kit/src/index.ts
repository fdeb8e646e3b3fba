export type { HttpMethod } from '@pujiang/protocol';
export { compilePath, firstProblem, Schemas } from '@pujiang/protocol';
export { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
export {
  bytesArgument,
  chainHashArgument,
  dateArgument,
  encodePayload,
  hashArgument,
  heightArgument,
  invalidArgument,
  keyPairArgument,
  listArgument,
  objectArgument,
  stringArgument,
} from './arguments.js';
export type { ModuleGraph } from './capabilities.js';
export { grantKey, selectModules, wireModules } from './capabilities.js';
export { checkValue, parseParams } from './check.js';
export type {
  BuildTransactionReturnType,
  ChainClient,
  ProvenReads,
  QueryContract,
  QueryProvenOptions,
  RequestOptions,
  SendTransactionParameters,
  SendTransactionReturnType,
  SendTransactionsParameters,
  SendTransactionsReturnType,
  SubmitTxOptions,
  U64Like,
  VerifiedQuerier,
  WaitForTxOptions,
} from './client.js';
export {
  defineQueryContract,
  parseAddress,
  queryTyped,
  searchTyped,
  toU64,
} from './client.js';
export type { SdkErrorCode } from './client-errors.js';
export { ApiError, sdkError, TransactionFailedError, throwIfFailed } from './client-errors.js';
export type { TypedExport } from './define.js';
export {
  defineExport,
  defineHook,
  defineMessage,
  defineModule,
  defineQuery,
  defineSearch,
  importsOf,
  MAX_HOOK_GAS,
  MEMBER_NAME,
  MODULE_NAME,
  onChainsNamingModules,
} from './define.js';
export type { ModuleKitErrorCode } from './errors.js';
export { ERROR_CODE, kitError, moduleError } from './errors.js';
export { GAS, GasMeter } from './gas.js';
export type {
  AttemptResult,
  BlockHook,
  BlockHookPhase,
  CallContext,
  ChainModule,
  HookContext,
  KernelServices,
  KernelValidator,
  MessageContext,
  MessageHandler,
  ModuleContext,
  ModuleExport,
  QueryDefinition,
  RemoteCaller,
  SearchDefinition,
  SearchIndexUpdate,
  SearchScan,
  StateRead,
  TxEnvelope,
  TxIndexEntry,
  TxSigner,
  UnmeteredState,
} from './module.js';
export type { NodeService, NodeServiceHost } from './node-service.js';
export type { DrainResult } from './queue.js';
export { drainQueue, enqueue, MAX_DRAIN_ITEMS, queueLength } from './queue.js';
export type {
  ModuleRoute,
  ModuleSocket,
  RequestReader,
  RouteBlocks,
  RouteHost,
  RouteInput,
  RouteReplyDoc,
  SocketConnection,
} from './routes.js';
export { checkRoutes, defineRoute, RouteReply } from './routes.js';
