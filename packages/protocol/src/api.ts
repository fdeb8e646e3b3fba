import type { HashAlgorithm, SuiteId } from '@pujiang/crypto';
import type {
  BlockHeaderJson,
  CommitCertificateJson,
  MerkleProofJson,
  StateProofJson,
  TxJson,
} from './json.js';
import type { ChainEvent, Receipt } from './receipt.js';

/**
 * The shapes of the node's HTTP/JSON API under `/v1` (served with an OpenAPI document at
 * `/v1/openapi.json`). The node produces them and the SDK reads them; both import them from
 * here so they cannot drift apart. Conventions: bytes are lowercase hex, u64 values decimal
 * strings, heights JSON numbers.
 */

/** Every 4xx/5xx answer. `code` is stable; callers branch on it. */
export interface ApiErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** GET /v1/status */
export interface StatusResponse {
  chainId: string;
  nodeId: string;
  /** Latest decided and committed height (0 before the first block). */
  height: number;
  /** Hash of the latest block (64 zero digits at height 0). */
  latestBlockHash: string;
  /** Milliseconds since the epoch, as a decimal string. */
  latestBlockTime: string;
  /** More than a block behind the best peer: catching up through block sync. */
  syncing: boolean;
  /** Whether this node is a validator (else a full node, which follows and serves). */
  validator: boolean;
  /** Connected peers. */
  peers: number;
  round: number;
  chainHash: HashAlgorithm;
  acceptedSuites: SuiteId[];
  genesisHash: string;
  mempool: { size: number; bytes: number };
}

export interface ValidatorJson {
  name?: string;
  suite: SuiteId;
  publicKey: string;
  power: number;
  address: string;
}

/** GET /v1/validators?height=H */
export interface ValidatorsResponse {
  height: number;
  validators: ValidatorJson[];
}

/** GET /v1/blocks/{height}, /v1/blocks/latest, /v1/blocks/hash/{hash} */
export interface BlockResponse {
  hash: string;
  header: BlockHeaderJson;
  /** The transactions' canonical encodings (hex), in block order. */
  txs: string[];
  txHashes: string[];
  certificate: CommitCertificateJson;
}

/** GET /v1/headers/{height}: a header and its commit certificate, for light verification. */
export interface HeaderResponse {
  hash: string;
  header: BlockHeaderJson;
  certificate: CommitCertificateJson;
}

/** GET /v1/txs/{hash} */
export interface TxResponse {
  hash: string;
  status: 'pending' | 'committed';
  tx: TxJson;
  /** The canonical encoding (hex): the leaf of the block's transaction tree. */
  raw: string;
  height?: number;
  index?: number;
  receipt?: Receipt;
  proof?: {
    /** Inclusion of `raw` under the `txRoot` of the header at `height`. */
    tx: MerkleProofJson;
    /** Inclusion of the receipt's encoding under the `resultsRoot` of the header at `height + 1`; null until that block exists. */
    receipt: MerkleProofJson | null;
  };
}

/** POST /v1/txs */
export interface SubmitRequest {
  /** The signed transaction's canonical encoding, hex. */
  tx: string;
  /** Answer only when the transaction is committed (or `timeoutMs` passes: then status stays pending). */
  wait?: boolean;
  /** At most 60,000; default 30,000. */
  timeoutMs?: number;
}

export interface SubmitResponse {
  hash: string;
  status: 'pending' | 'committed';
  height?: number;
  index?: number;
  receipt?: Receipt;
}

/** POST /v1/txs/batch: up to 10,000 transactions; each is admitted or refused on its own. */
export interface SubmitBatchRequest {
  txs: string[];
}

export interface SubmitBatchResponse {
  results: ({ hash: string } | ApiErrorBody)[];
}

/** GET /v1/accounts/{address} */
export interface AccountResponse {
  address: string;
  /** Next nonce in the committed state. */
  nonce: string;
  /** Next nonce counting this node's pending transactions: the one to sign next. */
  pendingNonce: string;
  height: number;
}

/** GET /v1/query/{module}/{name}?param=value... on the state after the latest block. */
export interface QueryResponse {
  height: number;
  result: unknown;
}

export interface StateReadJson {
  /** The full state key (module prefix included), hex. */
  key: string;
  /** The value, hex, or null when the key is absent. */
  value: string | null;
  proof: StateProofJson;
}

/**
 * GET /v1/query/{module}/{name}?prove=true&...: the query run on the state committed by the
 * header at `height` (its `stateRoot`, the state after block `height - 1`), with a proof of
 * every key it read, so a client can check the answer against a certified header.
 */
export interface ProvenQueryResponse {
  height: number;
  stateRoot: string;
  result: unknown;
  reads: StateReadJson[];
}

/** GET /v1/state/{key hex}?height=H: one raw state key with its proof against header H (default latest). */
export interface StateResponse extends StateReadJson {
  height: number;
  stateRoot: string;
}

/** Messages on the `/v1/events` WebSocket. */
export type EventMessage =
  | { type: 'block'; height: number; hash: string; time: string; txCount: number }
  | { type: 'tx'; height: number; index: number; hash: string; code: string }
  | {
      type: 'event';
      height: number;
      txHash: string;
      txIndex: number;
      eventIndex: number;
      event: ChainEvent;
    }
  /** Replay from `fromHeight` reached the latest block; live messages follow. */
  | { type: 'caughtUp'; height: number }
  | ({ type: 'error' } & ApiErrorBody);

/** GET /v1/blocks/{height}/hooks: the block's module hook receipts, proven under header height + 1. */
export interface HookReceiptsResponse {
  height: number;
  /** The block's transactions: hook receipts follow theirs in the results tree. */
  txCount: number;
  hooks: { index: number; receipt: Receipt; proof: MerkleProofJson | null }[];
}
