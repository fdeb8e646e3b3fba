import type { KeyPair } from '@pujiang/crypto';
import type { SendTransferParameters } from '@pujiang/module-bank/client';
import type {
  ChainClient,
  QueryProvenOptions,
  RequestOptions,
  SendTransactionParameters,
  SendTransactionReturnType,
  SendTransactionsParameters,
  SendTransactionsReturnType,
  Static,
  SubmitTxOptions,
  TSchema,
  U64Like,
  WaitForTxOptions,
} from '@pujiang/module-kit';
import {
  bytesArgument,
  hashArgument,
  heightArgument,
  invalidArgument,
  keyPairArgument,
  objectArgument,
  stringArgument,
  throwIfFailed,
} from '@pujiang/module-kit';
import { addressOf } from '@pujiang/module-kit/keys';
import { requestSigner } from '@pujiang/module-kit/signed-requests';
import {
  type AccountResponse,
  API,
  type ApiRoute,
  type ApiRouteId,
  type BlockReceiptsResponse,
  type BlockResponse,
  encodeTx,
  type Genesis,
  type HeaderResponse,
  type HookReceiptsResponse,
  type PeersResponse,
  type ProvenQueryResponse,
  ProvenQuerySchema,
  parseGenesis,
  pathOf,
  pathParamProblem,
  type QueryResponse,
  QuerySchema,
  queryParamProblem,
  type SignedTx,
  type StateResponse,
  type StatusResponse,
  type SubmitBatchResponse,
  type SubmitRequest,
  type SubmitResponse,
  type TxResponse,
  type ValidatorsResponse,
} from '@pujiang/protocol';
import { bytesToHex, isPujiangError } from '@pujiang/types';
import { sdkError } from './errors.js';
import {
  type EventMessage,
  type EventStream,
  eventStream,
  type SubscribeOptions,
  type SubscribeParameters,
  type Subscription,
  subscribe,
} from './events.js';
import { type HttpTransport, requestJson } from './http.js';
import { expectResponse } from './shapes.js';
import { submitOptionsArgument } from './submit-options.js';
import {
  type BuildTransactionParameters,
  type BuildTransactionReturnType,
  buildTransaction,
  buildTransfer,
  parseAddress,
  toU64,
} from './transactions.js';

export interface PujiangClientOptions {
  /** The node's base URL, e.g. `http://127.0.0.1:26657` (the `/v1` paths are appended). */
  url: string;
  /** Default per-request timeout in milliseconds (default 10,000). */
  timeoutMs?: number;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
  /** Headers sent with every request (an API gateway's token, for instance). */
  headers?: Record<string, string>;
  /**
   * A member's key that signs every request (RFC 9421): what a node whose reads are
   * members-only (`api.reads: "members"`) needs. Its address comes from the chain's hash,
   * asked once of `/v1/status` (which stays public).
   */
  signer?: KeyPair;
}

/** A transaction to submit: as built, as signed, or already encoded (bytes or hex). */
export type SubmittableTx = BuildTransactionReturnType | SignedTx | Uint8Array | string;

/** What `waitForProvableState` answers: the committed transaction, and the first header proving the state after it. */
export interface WaitForProvableStateReturnType {
  readonly tx: TxResponse;
  /** Header `height` commits to the state after block `height - 1`, the transaction's block. */
  readonly height: number;
}

export const DEFAULT_EXPIRES_IN = 100;
/** Extra time a waiting submit may take beyond the node's wait before the client gives up. */
const WAIT_MARGIN_MS = 5_000;
const NODE_DEFAULT_WAIT_MS = 30_000;

function wireHex(tx: SubmittableTx): string {
  if (typeof tx === 'string') {
    const hex = tx.startsWith('0x') ? tx.slice(2) : tx;
    if (!/^([0-9a-fA-F]{2})+$/.test(hex))
      throw invalidArgument('tx must be a transaction encoding in hex', 'tx');
    return hex;
  }
  if (tx instanceof Uint8Array) return bytesToHex(tx);
  if (typeof tx !== 'object' || tx === null)
    throw invalidArgument('tx must be a built or signed transaction, its bytes or their hex', 'tx');
  if ('hex' in tx && typeof tx.hex === 'string') return wireHex(tx.hex);
  try {
    return bytesToHex(encodeTx(tx as SignedTx));
  } catch {
    throw invalidArgument('tx must be a built or signed transaction, its bytes or their hex', 'tx');
  }
}

function queryString(params: Record<string, string | number | boolean | bigint | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The recipient and amount are checked before any request (the transfer is built after the node's status). */
function buildTransferPayloadCheck(to: unknown, amount: unknown): void {
  parseAddress(to as string, 'to');
  toU64(amount as bigint, 'amount');
}

/**
 * The node's HTTP API, one method per endpoint, each answer checked for shape. Nothing here
 * is verified: a `PujiangClient` trusts its node. Use `LightClient` to check answers
 * against a pinned genesis instead.
 */
export class PujiangClient implements ChainClient {
  readonly url: string;
  private transport: HttpTransport;

  constructor(options: PujiangClientOptions | string) {
    const o = typeof options === 'string' ? { url: options } : objectArgument(options, 'options');
    if (typeof o.url !== 'string' || !/^https?:\/\/[^\s/]+/.test(o.url))
      throw invalidArgument('url must be the http(s) URL of a node', 'url');
    if (o.timeoutMs !== undefined && !(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0))
      throw invalidArgument('timeoutMs must be a positive number', 'timeoutMs');
    this.url = o.url.replace(/\/+$/, '');
    this.transport = {
      baseUrl: this.url,
      timeoutMs: o.timeoutMs ?? 10_000,
      fetch: o.fetch ?? globalThis.fetch.bind(globalThis),
      headers: { ...o.headers },
    };
    if (o.signer !== undefined) {
      // The signer's address needs the chain's hash: asked of `/v1/status` (public), unsigned.
      const unsigned = this.transport;
      const chainHash = async () => {
        const json = await requestJson(unsigned, 'GET', API.status.path, undefined);
        return (expectResponse(API.status.response, json, 'GET /v1/status') as StatusResponse).chainHash;
      };
      this.transport = { ...unsigned, signer: requestSigner(keyPairArgument(o.signer, 'signer'), chainHash) };
    }
  }

  /**
   * One request to a route of the API contract: its path built from `params` (each checked
   * against the route's schema first: `SDK_INVALID_ARGUMENT` naming it), the answer checked
   * against the route's response schema (or `schema`, a variant of it).
   */
  private async call<K extends ApiRouteId, S extends TSchema = (typeof API)[K]['response']>(
    id: K,
    request: {
      params?: Record<string, string | number>;
      query?: Record<string, string | number | boolean | bigint | undefined>;
      body?: unknown;
    } = {},
    options?: RequestOptions,
    schema?: S,
  ): Promise<Static<S>> {
    const route: ApiRoute = API[id];
    const params = Object.fromEntries(Object.entries(request.params ?? {}).map(([k, v]) => [k, String(v)]));
    const bad = pathParamProblem(route, params);
    if (bad !== undefined)
      throw sdkError('SDK_INVALID_ARGUMENT', `${bad} is malformed for ${route.path}`, { parameter: bad });
    const query = Object.entries(request.query ?? {}).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, String(v)] as [string, string]],
    );
    const badQuery = queryParamProblem(route, query);
    if (badQuery)
      throw sdkError('SDK_INVALID_ARGUMENT', `${badQuery.parameter} ${badQuery.message}`, {
        parameter: badQuery.parameter,
      });
    const path = `${pathOf(route, params)}${queryString(request.query ?? {})}`;
    const json = await requestJson(this.transport, route.method, path, request.body, options);
    return expectResponse(schema ?? route.response, json, `${route.method} ${path}`) as Static<S>;
  }

  async getStatus(options?: RequestOptions): Promise<StatusResponse> {
    return this.call('status', {}, options);
  }

  /** The chain's genesis as the node states it; pin it out of band rather than trusting this. */
  async getGenesis(options?: RequestOptions): Promise<Genesis> {
    const json = await this.call('genesis', {}, options);
    try {
      return parseGenesis(json);
    } catch (error) {
      if (!isPujiangError(error)) throw error;
      throw sdkError(
        'SDK_BAD_RESPONSE',
        `GET /v1/genesis: ${error.message}`,
        { source: 'GET /v1/genesis', cause: error.code, ...error.details },
        error,
      );
    }
  }

  async getValidators(height?: number, options?: RequestOptions): Promise<ValidatorsResponse> {
    const query = { height: height === undefined ? undefined : heightArgument(height) };
    return this.call('validators', { query }, options);
  }

  /** The node's peers: links, scores, rate-limit drops, bans and failed checks by source. */
  async getPeers(options?: RequestOptions): Promise<PeersResponse> {
    return this.call('peers', {}, options);
  }

  async getLatestBlock(options?: RequestOptions): Promise<BlockResponse> {
    return this.call('block', { params: { height: 'latest' } }, options);
  }

  async getBlock(height: number, options?: RequestOptions): Promise<BlockResponse> {
    return this.call('block', { params: { height: heightArgument(height) } }, options);
  }

  async getBlockByHash(hash: string, options?: RequestOptions): Promise<BlockResponse> {
    return this.call('blockByHash', { params: { hash: hashArgument(hash) } }, options);
  }

  async getHeader(height: number, options?: RequestOptions): Promise<HeaderResponse> {
    return this.call('header', { params: { height: heightArgument(height) } }, options);
  }

  /** A transaction by hash; an unknown one is an `ApiError` with code `API_NOT_FOUND`. */
  /** A block's module hook receipts with their proofs (check them with `verifyHookReceipt`). */
  async getHookReceipts(height: number, options?: RequestOptions): Promise<HookReceiptsResponse> {
    return this.call('hooks', { params: { height: heightArgument(height) } }, options);
  }

  /**
   * A block's transactions' receipts in block order, one request for the whole block, each
   * with its proof under header `height + 1` (null until that header exists).
   */
  async getBlockReceipts(height: number, options?: RequestOptions): Promise<BlockReceiptsResponse> {
    return this.call('receipts', { params: { height: heightArgument(height) } }, options);
  }

  async getTx(hash: string, options?: RequestOptions): Promise<TxResponse> {
    return this.call('tx', { params: { hash: hashArgument(hash) } }, options);
  }

  async getAccount(address: string, options?: RequestOptions): Promise<AccountResponse> {
    return this.call('account', { params: { address: bytesToHex(parseAddress(address)) } }, options);
  }

  /** Runs a module query on the latest state, unproven. */
  async query(
    module: string,
    name: string,
    params: Record<string, string> = {},
    options?: RequestOptions,
  ): Promise<QueryResponse> {
    const path = { module: stringArgument(module, 'module'), name: stringArgument(name, 'name') };
    return this.call(
      'query',
      { params: path, query: objectArgument(params, 'params') },
      options,
      QuerySchema,
    );
  }

  /** Runs a module's search over the node's index of committed events (unproven; see `searchNotary`). */
  async search(
    module: string,
    name: string,
    params: Record<string, string> = {},
    options?: RequestOptions,
  ): Promise<QueryResponse> {
    const path = { module: stringArgument(module, 'module'), name: stringArgument(name, 'name') };
    return this.call('search', { params: path, query: objectArgument(params, 'params') }, options);
  }

  /**
   * Runs a module query with a proof of every state key it read, on the state committed by
   * header `height` (check it with `verifyProvenQuery`). `prove` and `height` are reserved
   * and cannot be query parameters.
   */
  async queryProven(
    module: string,
    name: string,
    params: Record<string, string> = {},
    options: QueryProvenOptions = {},
  ): Promise<ProvenQueryResponse> {
    const { height, provenAfter, ...request } = objectArgument(options, 'options');
    const path = { module: stringArgument(module, 'module'), name: stringArgument(name, 'name') };
    if (height !== undefined) heightArgument(height);
    if (provenAfter !== undefined)
      await this.provableAfter(hashArgument(provenAfter, 'provenAfter'), height, request);
    const query = { ...objectArgument(params, 'params'), prove: 'true', height };
    return this.call('query', { params: path, query }, request, ProvenQuerySchema);
  }

  /** For `provenAfter`: waits until the state after the transaction is provable, and checks `height` is not older. */
  private async provableAfter(
    hash: string,
    height: number | undefined,
    request: RequestOptions,
  ): Promise<void> {
    const { height: first } = await this.waitForProvableState(hash, request.timeoutMs ?? 30_000, {
      ...request,
      throwOnFailure: false, // a failed transaction changed state too (its nonce): that is provable
    });
    if (height !== undefined && height < first)
      throw sdkError(
        'SDK_INVALID_ARGUMENT',
        `height ${height} is before the state after ${hash} (header ${first} is the first to prove it)`,
        { parameter: 'height', provableFrom: first },
      );
  }

  /** One raw state key with its proof against header `height` (default: the latest). */
  async getState(
    key: Uint8Array | string,
    height?: number,
    options?: RequestOptions,
  ): Promise<StateResponse> {
    const keyHex =
      typeof key === 'string' && /^([0-9a-fA-F]{2})+$/.test(key)
        ? key.toLowerCase()
        : key instanceof Uint8Array && key.length > 0
          ? bytesToHex(key)
          : undefined;
    if (keyHex === undefined) throw invalidArgument('key must be a state key: bytes, or their hex', 'key');
    const query = { height: height === undefined ? undefined : heightArgument(height) };
    return this.call('state', { params: { key: keyHex }, query }, options);
  }

  /** Submits one transaction. Without `wait` the answer is `pending` once the mempool admits it. */
  async submitTx(tx: SubmittableTx, options: SubmitTxOptions = {}): Promise<SubmitResponse> {
    submitOptionsArgument(objectArgument(options, 'options'));
    const body: SubmitRequest = {
      tx: wireHex(tx),
      ...(options.wait ? { wait: true } : {}),
      ...(options.wait && options.waitTimeoutMs !== undefined ? { timeoutMs: options.waitTimeoutMs } : {}),
    };
    // A waiting submit legitimately takes as long as the node waits: give the request longer.
    const timeoutMs = options.wait
      ? Math.max(
          options.timeoutMs ?? this.transport.timeoutMs,
          (options.waitTimeoutMs ?? NODE_DEFAULT_WAIT_MS) + WAIT_MARGIN_MS,
        )
      : options.timeoutMs;
    const result = await this.call(
      'submit',
      { body },
      {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    );
    if (options.throwOnFailure !== false) throwIfFailed(result);
    return result;
  }

  /** Submits up to 10,000 transactions; each result is `{hash}` or the refusal's error body. */
  async submitBatch(txs: readonly SubmittableTx[], options?: RequestOptions): Promise<SubmitBatchResponse> {
    if (!Array.isArray(txs)) throw invalidArgument('txs must be an array of transactions', 'txs');
    return this.call('submitBatch', { body: { txs: txs.map(wireHex) } }, options);
  }

  /**
   * Polls until the transaction is committed; `SDK_TIMEOUT` after `timeoutMs` (default
   * 30,000). Not found yet counts as pending, since a just-submitted transaction may reach
   * this node only through gossip. A committed transaction that failed in its block throws
   * `TransactionFailedError` unless `throwOnFailure` is false.
   */
  async waitForTx(hash: string, timeoutMs = 30_000, options: WaitForTxOptions = {}): Promise<TxResponse> {
    hashArgument(hash);
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 0))
      throw invalidArgument('timeoutMs must be a number of milliseconds', 'timeoutMs');
    submitOptionsArgument(objectArgument(options, 'options'));
    const deadline = Date.now() + timeoutMs;
    const interval = options.pollIntervalMs ?? 250;
    for (;;) {
      const left = deadline - Date.now();
      try {
        const tx = await this.getTx(hash, {
          timeoutMs: Math.max(1, Math.min(left, options.timeoutMs ?? this.transport.timeoutMs)),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        if (tx.status === 'committed') {
          if (options.throwOnFailure !== false) throwIfFailed(tx);
          return tx;
        }
      } catch (error) {
        if (!isPujiangError(error, 'API_NOT_FOUND') && !isPujiangError(error, 'SDK_TIMEOUT')) throw error;
      }
      if (Date.now() + interval > deadline)
        throw sdkError('SDK_TIMEOUT', `transaction ${hash} not committed within ${timeoutMs} ms`, {
          hash,
          timeoutMs,
        });
      await sleep(interval, options.signal);
    }
  }

  /**
   * Waits until the state after a transaction can be proven: it is committed at height H,
   * and header H + 1 (which commits to the state after block H) exists on this node. Verified
   * reads at the answer's `height` or later then see the transaction's effects. Throws as
   * `waitForTx` does (a failed transaction too, unless `throwOnFailure` is false).
   */
  async waitForProvableState(
    hash: string,
    timeoutMs = 30_000,
    options: WaitForTxOptions = {},
  ): Promise<WaitForProvableStateReturnType> {
    const deadline = Date.now() + timeoutMs;
    const tx = await this.waitForTx(hash, timeoutMs, options);
    const height = tx.height! + 1;
    const interval = options.pollIntervalMs ?? 100;
    for (;;) {
      const left = deadline - Date.now();
      const status = await this.getStatus({
        timeoutMs: Math.max(1, Math.min(left, options.timeoutMs ?? this.transport.timeoutMs)),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (status.height >= height) return { tx, height };
      if (Date.now() + interval > deadline)
        throw sdkError('SDK_TIMEOUT', `the state after ${hash} not provable within ${timeoutMs} ms`, {
          hash,
          timeoutMs,
          height,
        });
      await sleep(interval, options.signal);
    }
  }

  /**
   * Builds, signs and submits a module message from `key`, taking the chain id, hash and
   * height from `/v1/status` and the nonce from the sender's `pendingNonce`. Concurrent
   * sends from one key may pick the same nonce: pass `nonce` explicitly for those.
   */
  async sendTransaction(parameters: SendTransactionParameters): Promise<SendTransactionReturnType> {
    const { key, module, type, payload } = objectArgument(parameters, 'parameters');
    stringArgument(module, 'module');
    stringArgument(type, 'type');
    bytesArgument(payload, 'payload');
    return this.send(parameters, (common) => buildTransaction({ ...common, module, type, payload }), key);
  }

  /**
   * Builds and signs several module messages from `key` with consecutive nonces (from its
   * `pendingNonce`, or `nonce`) and submits them in one batch request, without waiting.
   * Each result is `{hash}` or the node's refusal; messages after a refusal wait on its nonce,
   * so a caller stops there and sends the rest again from the next `pendingNonce`.
   */
  async sendTransactions(parameters: SendTransactionsParameters): Promise<SendTransactionsReturnType> {
    const { key, messages } = objectArgument(parameters, 'parameters');
    keyPairArgument(key);
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > 10_000)
      throw invalidArgument('messages must be an array of 1 to 10,000 messages', 'messages');
    // Every message is checked before any request.
    const checked = messages.map((m, i) => {
      objectArgument(m, `messages[${i}]`);
      return {
        module: stringArgument(m.module, `messages[${i}].module`),
        type: stringArgument(m.type, `messages[${i}].type`),
        payload: bytesArgument(m.payload, `messages[${i}].payload`),
        ...(m.gasLimit === undefined ? {} : { gasLimit: m.gasLimit }),
      };
    });
    const { request, status, nonce } = await this.senderState(parameters, key);
    const expiresAtHeight = toU64(status.height + (parameters.expiresIn ?? DEFAULT_EXPIRES_IN), 'expiresIn');
    const built = checked.map((m, i) =>
      buildTransaction({
        chainId: status.chainId,
        chainHash: status.chainHash,
        key,
        nonce: nonce + BigInt(i),
        expiresAtHeight,
        ...m,
      }),
    );
    const { results } = await this.submitBatch(built, request);
    return { nonce, results };
  }

  async signTransaction(parameters: SendTransactionParameters): Promise<BuildTransactionReturnType> {
    const { key, module, type, payload } = objectArgument(parameters, 'parameters');
    keyPairArgument(key);
    stringArgument(module, 'module');
    stringArgument(type, 'type');
    bytesArgument(payload, 'payload');
    const { status, nonce } = await this.senderState(parameters, key);
    return buildTransaction({
      chainId: status.chainId,
      chainHash: status.chainHash,
      key,
      nonce,
      expiresAtHeight: toU64(status.height + (parameters.expiresIn ?? DEFAULT_EXPIRES_IN), 'expiresIn'),
      module,
      type,
      payload,
      ...(parameters.gasLimit === undefined ? {} : { gasLimit: parameters.gasLimit }),
      ...(parameters.endorsers === undefined ? {} : { endorsers: parameters.endorsers }),
    });
  }

  async requestRoute(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<unknown> {
    if (method !== 'GET' && method !== 'POST') throw invalidArgument('method is GET or POST', 'method');
    if (
      typeof path !== 'string' ||
      !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/.test(path) ||
      path.startsWith('//')
    )
      throw invalidArgument('path is an absolute path of this node', 'path');
    if (method === 'GET' && body !== undefined) throw invalidArgument('a GET has no body', 'body');
    return requestJson(this.transport, method, path, body, options);
  }

  /** A `bank/transfer` of `amount` from `key` to `to`, as `sendTransaction`. */
  async sendTransfer(parameters: SendTransferParameters): Promise<SendTransactionReturnType> {
    const { key, to, amount } = objectArgument(parameters, 'parameters');
    buildTransferPayloadCheck(to, amount);
    return this.send(parameters, (common) => buildTransfer({ ...common, to, amount }), key);
  }

  /** The chain's status and the sender's next nonce (`nonce`, else its `pendingNonce` here), with the request options. */
  private async senderState(
    parameters: RequestOptions & { nonce?: U64Like | undefined },
    key: KeyPair,
  ): Promise<{ request: RequestOptions; status: StatusResponse; nonce: bigint }> {
    const request: RequestOptions = {
      ...(parameters.timeoutMs === undefined ? {} : { timeoutMs: parameters.timeoutMs }),
      ...(parameters.signal === undefined ? {} : { signal: parameters.signal }),
    };
    const status = await this.getStatus(request);
    const nonce =
      parameters.nonce === undefined
        ? toU64(
            (await this.getAccount(addressOf(status.chainHash, key), request)).pendingNonce,
            'pendingNonce',
          )
        : toU64(parameters.nonce, 'nonce');
    return { request, status, nonce };
  }

  private async send(
    parameters: Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>,
    build: (
      common: Omit<BuildTransactionParameters, 'module' | 'type' | 'payload'>,
    ) => BuildTransactionReturnType,
    key: KeyPair,
  ): Promise<SendTransactionReturnType> {
    submitOptionsArgument(objectArgument(parameters, 'parameters'));
    keyPairArgument(key);
    const { request, status, nonce } = await this.senderState(parameters, key);
    const built = build({
      chainId: status.chainId,
      chainHash: status.chainHash,
      key,
      nonce,
      expiresAtHeight: toU64(status.height + (parameters.expiresIn ?? DEFAULT_EXPIRES_IN), 'expiresIn'),
      ...(parameters.gasLimit === undefined ? {} : { gasLimit: parameters.gasLimit }),
      ...(parameters.endorsers === undefined ? {} : { endorsers: parameters.endorsers }),
    });
    const result = await this.submitTx(built, {
      ...request,
      ...(parameters.wait === undefined ? {} : { wait: parameters.wait }),
      ...(parameters.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: parameters.waitTimeoutMs }),
      ...(parameters.throwOnFailure === undefined ? {} : { throwOnFailure: parameters.throwOnFailure }),
    });
    return { hash: built.hash, nonce, built, result };
  }

  /** The node's event stream (WebSocket on the same host); see `subscribe`. */
  subscribe(
    parameters: Omit<SubscribeParameters, 'url'>,
    onMessage: (message: EventMessage) => void,
    options?: SubscribeOptions,
  ): Subscription {
    return subscribe({ ...parameters, url: this.url }, onMessage, options);
  }

  /** The node's event stream as an async iterator; see `eventStream`. */
  events(parameters: Omit<SubscribeParameters, 'url'> = {}): EventStream {
    return eventStream({ ...parameters, url: this.url });
  }
}

export type { SendTransferParameters } from '@pujiang/module-bank/client';
export type {
  QueryProvenOptions,
  SendTransactionParameters,
  SendTransactionReturnType,
  SendTransactionsParameters,
  SendTransactionsReturnType,
  SubmitTxOptions,
  WaitForTxOptions,
} from '@pujiang/module-kit';
