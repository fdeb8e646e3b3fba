import { HASH_ALGORITHMS } from '@pujiang/crypto';
import type {
  AccountResponse,
  BlockResponse,
  EventMessage,
  HeaderResponse,
  ProvenQueryResponse,
  QueryResponse,
  Receipt,
  StateResponse,
  StatusResponse,
  SubmitBatchResponse,
  SubmitResponse,
  TxResponse,
  ValidatorsResponse,
} from '@pujiang/protocol';
import {
  certificateFromJson,
  headerFromJson,
  merkleProofFromJson,
  stateProofFromJson,
} from '@pujiang/protocol';
import { sdkError } from './errors.js';
import type { LineageProof } from './notary/lineage.js';
import type { NotaryReceipt } from './notary/receipt.js';

/**
 * Shape checks for the API's answers, so a method's typed return value is what its type
 * says, whatever the server sent. A check returns the path of the first bad field, or
 * undefined. Values that are hashed or proven later (headers, certificates, proofs) are
 * checked with the protocol's own `...FromJson` parsers, so there is one definition of each.
 */
type Shape = (value: unknown, path: string) => string | undefined;

const is =
  (test: (v: unknown) => boolean): Shape =>
  (v, path) =>
    test(v) ? undefined : path;

const str = is((v) => typeof v === 'string');
const bool = is((v) => typeof v === 'boolean');
const nat = is((v) => Number.isSafeInteger(v) && (v as number) >= 0);
const hex = is((v) => typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v));
const hash32 = is((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
const u64 = is((v) => typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v) && BigInt(v) < 1n << 64n);
const any: Shape = () => undefined;
const literal = (...values: readonly string[]) => is((v) => values.includes(v as string));
const parsedBy =
  (parse: (v: unknown) => unknown): Shape =>
  (v, path) => {
    try {
      parse(v);
      return undefined;
    } catch {
      return path;
    }
  };

const optional =
  (shape: Shape): Shape =>
  (v, path) =>
    v === undefined ? undefined : shape(v, path);
const nullable =
  (shape: Shape): Shape =>
  (v, path) =>
    v === null ? undefined : shape(v, path);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const object =
  (fields: Record<string, Shape>): Shape =>
  (v, path) => {
    if (!isRecord(v)) return path || '(root)';
    for (const [name, shape] of Object.entries(fields)) {
      const bad = shape(v[name], path ? `${path}.${name}` : name);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };

const array =
  (item: Shape): Shape =>
  (v, path) => {
    if (!Array.isArray(v)) return path;
    for (let i = 0; i < v.length; i++) {
      const bad = item(v[i], `${path}[${i}]`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };

const record =
  (value: Shape): Shape =>
  (v, path) => {
    if (!isRecord(v)) return path;
    for (const [k, x] of Object.entries(v)) {
      const bad = value(x, `${path}.${k}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };

const either =
  (...shapes: Shape[]): Shape =>
  (v, path) =>
    shapes.some((s) => s(v, path) === undefined) ? undefined : path;

const chainEvent = object({ module: str, type: str, attributes: record(str) });
const receipt = object({
  txHash: hash32,
  code: str,
  message: optional(str),
  gasUsed: nat,
  events: array(chainEvent),
});
const header = parsedBy(headerFromJson);
const certificate = parsedBy(certificateFromJson);
const merkleProof = parsedBy(merkleProofFromJson);
const stateProof = parsedBy(stateProofFromJson);
const apiErrorBody = object({ error: object({ code: str, message: str, details: any }) });
const txJson = object({
  version: nat,
  chainId: str,
  suite: str,
  publicKey: hex,
  nonce: u64,
  expiresAtHeight: u64,
  gasLimit: u64,
  module: str,
  type: str,
  payload: hex,
  signature: hex,
});
const stateRead = { key: hex, value: nullable(hex), proof: stateProof };

export const shapes = {
  status: object({
    chainId: str,
    nodeId: str,
    height: nat,
    latestBlockHash: hash32,
    latestBlockTime: u64,
    syncing: bool,
    round: nat,
    chainHash: literal(...HASH_ALGORITHMS),
    acceptedSuites: array(str),
    genesisHash: hex,
    mempool: object({ size: nat, bytes: nat }),
  }),
  validators: object({
    height: nat,
    validators: array(object({ name: optional(str), suite: str, publicKey: hex, power: nat, address: hex })),
  }),
  block: object({ hash: hash32, header, txs: array(hex), txHashes: array(hash32), certificate }),
  header: object({ hash: hash32, header, certificate }),
  tx: object({
    hash: hash32,
    status: literal('pending', 'committed'),
    tx: txJson,
    raw: hex,
    height: optional(nat),
    index: optional(nat),
    receipt: optional(receipt),
    proof: optional(object({ tx: merkleProof, receipt: nullable(merkleProof) })),
  }),
  submit: object({
    hash: hash32,
    status: literal('pending', 'committed'),
    height: optional(nat),
    index: optional(nat),
    receipt: optional(receipt),
  }),
  submitBatch: object({ results: array(either(object({ hash: hash32 }), apiErrorBody)) }),
  account: object({ address: hex, nonce: u64, pendingNonce: u64, height: nat }),
  query: object({ height: nat, result: any }),
  provenQuery: object({ height: nat, stateRoot: hash32, result: any, reads: array(object(stateRead)) }),
  state: object({ ...stateRead, height: nat, stateRoot: hash32 }),
  receipt,
  notaryReceipt: object({
    format: literal('pujiang-notary-receipt'),
    version: is((v) => v === 1),
    status: literal('pending', 'complete'),
    chainId: str,
    chainHash: literal(...HASH_ALGORITHMS),
    document: object({ algorithm: literal('sm3', 'sha256'), digest: hash32 }),
    batch: object({ root: hash32, index: nat, size: nat, path: array(hash32) }),
    tx: object({ hash: hash32, raw: hex }),
    block: optional(object({ height: nat, index: nat, proof: merkleProof, header, certificate })),
    result: optional(object({ receipt, proof: merkleProof, header, certificate })),
  }),
  lineageProof: object({
    format: literal('pujiang-lineage-proof'),
    version: is((v) => v === 1),
    chainId: str,
    chainHash: literal(...HASH_ALGORITHMS),
    asset: str,
    header,
    certificate,
    pages: array(object({ height: nat, stateRoot: hash32, result: any, reads: array(object(stateRead)) })),
  }),
  event: either(
    object({ type: literal('block'), height: nat, hash: hash32, time: u64, txCount: nat }),
    object({ type: literal('tx'), height: nat, index: nat, hash: hash32, code: str }),
    object({
      type: literal('event'),
      height: nat,
      txHash: hash32,
      txIndex: nat,
      eventIndex: nat,
      event: chainEvent,
    }),
    object({ type: literal('caughtUp'), height: nat }),
    object({ type: literal('error'), error: object({ code: str, message: str, details: any }) }),
  ),
} as const;

export interface ShapeTypes {
  status: StatusResponse;
  validators: ValidatorsResponse;
  block: BlockResponse;
  header: HeaderResponse;
  tx: TxResponse;
  submit: SubmitResponse;
  submitBatch: SubmitBatchResponse;
  account: AccountResponse;
  query: QueryResponse;
  provenQuery: ProvenQueryResponse;
  state: StateResponse;
  receipt: Receipt;
  notaryReceipt: NotaryReceipt;
  lineageProof: LineageProof;
  event: EventMessage;
}

/** The path of the first field of `value` that is not of `kind`'s shape, or undefined. */
export function shapeProblem(kind: keyof ShapeTypes, value: unknown): string | undefined {
  return shapes[kind](value, '');
}

/** Returns `value` typed as the API's `kind` answer, or throws `SDK_BAD_RESPONSE` naming the bad field. */
export function expectShape<K extends keyof ShapeTypes>(
  kind: K,
  value: unknown,
  source: string,
): ShapeTypes[K] {
  const bad = shapes[kind](value, '');
  if (bad !== undefined)
    throw sdkError('SDK_BAD_RESPONSE', `${source}: malformed ${kind} response at ${bad}`, {
      source,
      field: bad,
    });
  return value as ShapeTypes[K];
}
