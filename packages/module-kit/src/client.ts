import type { KeyPair } from '@pujiang/crypto';
import { ADDRESS_LENGTH } from '@pujiang/crypto';
import type {
  HeaderResponse,
  ProvenQueryResponse,
  QueryResponse,
  SignedTx,
  StatusResponse,
  SubmitResponse,
  TxResponse,
} from '@pujiang/protocol';
import { firstProblem } from '@pujiang/protocol';
import { type ErrorDetails, hexToBytes, PujiangError } from '@pujiang/types';
import type { Static, TObject, TSchema } from '@sinclair/typebox';

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
}

export interface QueryProvenOptions extends RequestOptions {
  /** Run on the state committed by this header (default: the latest). */
  height?: number;
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
  getTx(hash: string, options?: RequestOptions): Promise<TxResponse>;
  waitForTx(hash: string, timeoutMs?: number, options?: RequestOptions): Promise<TxResponse>;
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

/** Codes the SDK raises itself; a node's refusals keep the node's own code (see `ApiError`). */
export type SdkErrorCode =
  /** The request never got an HTTP answer (refused, reset, DNS, TLS). */
  | 'SDK_NETWORK_ERROR'
  /** No answer within the request's timeout. */
  | 'SDK_TIMEOUT'
  /** An answer that is not the JSON the API promises. */
  | 'SDK_BAD_RESPONSE'
  /** A non-2xx answer without an API error body (a proxy's page, for instance). */
  | 'SDK_HTTP_ERROR'
  /** Data from the server failed a check against the pinned genesis; `details.check` names it. */
  | 'SDK_VERIFICATION_FAILED'
  /** The transaction is known but not in a block yet, so there is nothing to verify. */
  | 'SDK_TX_PENDING'
  /** A caller's argument is malformed (caught before anything is signed or sent). */
  | 'SDK_INVALID_ARGUMENT'
  /** A notary receipt or lineage proof that is not one (not JSON of the format and version, a field missing or mistyped). */
  | 'SDK_DOCUMENT_MALFORMED'
  /** An event subscription ended without the client closing it. */
  | 'SDK_SUBSCRIPTION_CLOSED';

export function sdkError(
  code: SdkErrorCode,
  message: string,
  details: ErrorDetails = {},
  cause?: unknown,
): PujiangError<SdkErrorCode> {
  return new PujiangError<SdkErrorCode>(code, message, details, cause === undefined ? undefined : { cause });
}

/**
 * A refusal by the node: the node's stable code (e.g. `API_NOT_FOUND`, `TX_NONCE_TOO_LOW`,
 * `MEMPOOL_FULL`) and the HTTP status, so callers branch on `code` exactly as the node's
 * own callers do.
 */
export class ApiError extends PujiangError<string> {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(code, message, details);
    this.name = 'ApiError';
  }
}

const U64_MAX = (1n << 64n) - 1n;
const ADDRESS_HEX = new RegExp(`^[0-9a-f]{${ADDRESS_LENGTH * 2}}$`);

const invalidArgument = (message: string, parameter: string) =>
  sdkError('SDK_INVALID_ARGUMENT', message, { parameter });

/** A u64 from a bigint, a safe integer or a decimal string; anything else is `SDK_INVALID_ARGUMENT`. */
export function toU64(value: U64Like, name: string): bigint {
  let n: bigint;
  try {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError('unsafe');
    if (typeof value === 'string' && !/^(0|[1-9][0-9]*)$/.test(value)) throw new RangeError('not decimal');
    n = BigInt(value);
  } catch {
    throw invalidArgument(`${name} must be an integer from 0 to 2^64-1`, name);
  }
  if (n < 0n || n > U64_MAX) throw invalidArgument(`${name} must be an integer from 0 to 2^64-1`, name);
  return n;
}

/** A 21-byte address from 42 hex digits or bytes; anything else is `SDK_INVALID_ARGUMENT`. */
export function parseAddress(address: string | Uint8Array, name = 'address'): Uint8Array {
  if (typeof address === 'string') {
    const hex = address.toLowerCase();
    if (!ADDRESS_HEX.test(hex))
      throw invalidArgument(`${name} must be ${ADDRESS_LENGTH * 2} hex digits`, name);
    return hexToBytes(hex);
  }
  if (address.length !== ADDRESS_LENGTH)
    throw invalidArgument(`${name} must be ${ADDRESS_LENGTH} bytes`, name);
  return address;
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
