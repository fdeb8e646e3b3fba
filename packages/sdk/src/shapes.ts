import { HASH_ALGORITHMS } from '@pujiang/crypto';
import type {
  AccountResponse,
  BlockResponse,
  EventMessage,
  HeaderResponse,
  HookReceiptsResponse,
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
  any,
  array,
  bool,
  certificate,
  chainEvent,
  either,
  hash32,
  header,
  hex,
  literal,
  merkleProof,
  nat,
  nullable,
  object,
  optional,
  receipt,
  stateRead,
  str,
  u64,
} from '@pujiang/verify/shape';
import { sdkError } from './errors.js';

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
  hooks: object({
    height: nat,
    txCount: nat,
    hooks: array(object({ index: nat, receipt, proof: nullable(merkleProof) })),
  }),
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
  hooks: HookReceiptsResponse;
  tx: TxResponse;
  submit: SubmitResponse;
  submitBatch: SubmitBatchResponse;
  account: AccountResponse;
  query: QueryResponse;
  provenQuery: ProvenQueryResponse;
  state: StateResponse;
  receipt: Receipt;
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
