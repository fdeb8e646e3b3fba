import type { KeyPair } from '@pujiang/crypto';
import type {
  HeaderResponse,
  ProvenQueryResponse,
  QueryResponse,
  SignedTx,
  StateResponse,
  StatusResponse,
  SubmitBatchResponse,
  SubmitResponse,
  TxResponse,
  ValidatorsResponse,
} from '@pujiang/protocol';
import { firstProblem } from '@pujiang/protocol';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { sdkError } from './client-errors.js';

export { parseAddress, toU64 } from './arguments.js';

/**
 * What a module's client entry needs of a node client. The SDK's `PujiangClient`
 * implements it; module packages depend on this interface, not on the SDK, so the SDK can
 * re-export their client calls without a dependency cycle.
 */
export type U64Like = bigint | number | string;

/** Options every client call accepts. */
export interface RequestOptions {
  /** Milliseconds before the call fails with `SDK_TIMEOUT` (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** Cancels the call; the rejection is the signal's reason. */
  signal?: AbortSignal;
}

export interface SubmitTxOptions extends RequestOptions {
  /** Answer only once the transaction is committed or `waitTimeoutMs` passes (then it is still pending). */
  wait?: boolean;
  /** How long the node waits when `wait` is set (node default 30,000, at most 60,000). */
  waitTimeoutMs?: number;
  /**
   * When waiting: a transaction committed with a receipt code other than `OK` throws
   * `TransactionFailedError` carrying the receipt (default true). False returns it as committed.
   */
  throwOnFailure?: boolean;
}

export interface WaitForTxOptions extends RequestOptions {
  /** Delay between polls (default 250 ms). */
  pollIntervalMs?: number;
  /** A transaction committed with a receipt code other than `OK` throws `TransactionFailedError` (default true). */
  throwOnFailure?: boolean;
}

export interface QueryProvenOptions extends RequestOptions {
  /** Run on the state committed by this header (default: the latest). */
  height?: number;
  /**
   * A transaction's hash: first wait until the state after it is provable (a header commits
   * to the state after the block before it, so that is the header after the transaction's
   * block), then read. A read right after a transaction then proves the new state.
   */
  provenAfter?: string;
}

export interface SendTransactionParameters extends SubmitTxOptions {
  key: KeyPair;
  module: string;
  type: string;
  payload: Uint8Array;
  gasLimit?: U64Like;
  /** Default: the sender's `pendingNonce` on this node. */
  nonce?: U64Like;
  /** How many blocks past the current height the transaction stays valid (default 100). */
  expiresIn?: number;
  /** Other members' keys that endorse it (for resources whose policy needs several organizations). */
  endorsers?: readonly KeyPair[];
}

/** Several messages from one key, signed with consecutive nonces and submitted in one request. */
export interface SendTransactionsParameters extends RequestOptions {
  key: KeyPair;
  messages: readonly { module: string; type: string; payload: Uint8Array; gasLimit?: U64Like }[];
  /** The first nonce (default: the sender's `pendingNonce` on this node). */
  nonce?: U64Like;
  /** How many blocks past the current height they stay valid (default 100). */
  expiresIn?: number;
}

export interface SendTransactionsReturnType {
  /** The first message's nonce; message i has nonce + i. */
  nonce: bigint;
  /** One per message, in order: its hash, or the node's refusal (the ones after a refusal wait on its nonce). */
  results: SubmitBatchResponse['results'];
}

export interface BuildTransactionReturnType {
  tx: SignedTx;
  /** The canonical encoding: what is submitted and what the block's tx root commits to. */
  wire: Uint8Array;
  /** `wire` as hex, the form `POST /v1/txs` takes. */
  hex: string;
  /** The transaction's id (chain hash of `wire`), hex. */
  hash: string;
}

export interface SendTransactionReturnType {
  hash: string;
  nonce: bigint;
  built: BuildTransactionReturnType;
  result: SubmitResponse;
}

/** Reads a verifier checked under a certified header: each key's value (hex key), or undefined for a proven absence. */
export interface ProvenReads {
  readonly height: number;
  readonly reads: ReadonlyMap<string, Uint8Array | undefined>;
}

/**
 * A client that answers module queries with their reads proven under headers it certified
 * itself from a pinned genesis (the SDK's `LightClient`): modules rebuild answers from these.
 */
export interface VerifiedQuerier {
  /** The latest header, certified by the chain's validators (its height, chain id and time). */
  getVerifiedLatestHeader(options?: RequestOptions): Promise<{
    readonly height: number;
    readonly header: { readonly chainId: string; readonly time: bigint };
  }>;
  verifiedQuery(
    module: string,
    name: string,
    params?: Record<string, string>,
    requiredKeys?: readonly Uint8Array[],
    options?: QueryProvenOptions,
  ): Promise<ProvenReads>;
}

export interface ChainClient {
  getStatus(options?: RequestOptions): Promise<StatusResponse>;
  getHeader(height: number, options?: RequestOptions): Promise<HeaderResponse>;
  /** The validator set of a height (default: the next one), as `/v1/validators` gives it. */
  getValidators(height?: number, options?: RequestOptions): Promise<ValidatorsResponse>;
  /** A state key's value with its proof under the header of `height` (default: the latest). */
  getState(key: Uint8Array | string, height?: number, options?: RequestOptions): Promise<StateResponse>;
  getTx(hash: string, options?: RequestOptions): Promise<TxResponse>;
  waitForTx(hash: string, timeoutMs?: number, options?: WaitForTxOptions): Promise<TxResponse>;
  query(
    module: string,
    name: string,
    params?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<QueryResponse>;
  queryProven(
    module: string,
    name: string,
    params?: Record<string, string>,
    options?: QueryProvenOptions,
  ): Promise<ProvenQueryResponse>;
  search(
    module: string,
    name: string,
    params?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<QueryResponse>;
  sendTransaction(parameters: SendTransactionParameters): Promise<SendTransactionReturnType>;
  sendTransactions(parameters: SendTransactionsParameters): Promise<SendTransactionsReturnType>;
  /** Builds and signs a module message as `sendTransaction` would (nonce, expiry), without submitting it. */
  signTransaction(parameters: SendTransactionParameters): Promise<BuildTransactionReturnType>;
  /**
   * A module's route (`/v1/modules/<module>/...`, or a well-known path): JSON in and out,
   * signed as the client signs its requests; a non-2xx answer is an `ApiError` with its code.
   */
  requestRoute(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<unknown>;
}

/** A query as clients see it: where it is and its typed parameters and result (shared with the chain's `defineQuery`). */
export interface QueryContract<P extends TObject = TObject, R extends TSchema = TSchema> {
  readonly module: string;
  readonly name: string;
  readonly summary: string;
  readonly params: P;
  readonly result: R;
  readonly invalidParams?: string;
  readonly paramCodes?: Readonly<Record<string, string>>;
}

export function defineQueryContract<P extends TObject, R extends TSchema>(
  c: QueryContract<P, R>,
): QueryContract<P, R> {
  return c;
}

const asText = (params: Record<string, unknown>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = String(v);
  return out;
};

/** The answer typed as the contract's result, or `SDK_BAD_RESPONSE` naming the first bad field. */
function typedAnswer<R extends TSchema>(contract: QueryContract<TObject, R>, result: unknown): Static<R> {
  const problem = firstProblem(contract.result, result);
  if (problem)
    throw sdkError(
      'SDK_BAD_RESPONSE',
      `${contract.module}/${contract.name}: malformed result at ${problem.path}`,
      {
        field: problem.path,
        problem: problem.message,
      },
    );
  return result as Static<R>;
}

/**
 * Runs a typed query through a client and checks the answer against the query's result
 * schema: what is returned is what its type says (else `SDK_BAD_RESPONSE`, naming the field).
 */
export async function queryTyped<P extends TObject, R extends TSchema>(
  client: ChainClient,
  contract: QueryContract<P, R>,
  params: Static<P>,
  options?: RequestOptions,
): Promise<{ height: number; result: Static<R> }> {
  const { height, result } = await client.query(contract.module, contract.name, asText(params), options);
  return { height, result: typedAnswer(contract, result) };
}

/** Runs a typed search (a module's index) through a client and checks the answer as `queryTyped` does. */
export async function searchTyped<P extends TObject, R extends TSchema>(
  client: ChainClient,
  contract: QueryContract<P, R>,
  params: Static<P>,
  options?: RequestOptions,
): Promise<{ height: number; result: Static<R> }> {
  const { height, result } = await client.search(contract.module, contract.name, asText(params), options);
  return { height, result: typedAnswer(contract, result) };
}
