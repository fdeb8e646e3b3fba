import { HASH_ALGORITHMS, type HashAlgorithm } from '@pujiang/crypto';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type {
  BlockHeaderJson,
  CommitCertificateJson,
  MerkleProofJson,
  StateProofJson,
  TxJson,
} from '../json.js';
import type { ChainEvent, Receipt } from '../receipt.js';

/**
 * JSON Schemas (TypeBox) of the values the API carries. They are the API contract's
 * vocabulary: the node's answers are typed by them, `/v1/openapi.json` publishes them, and
 * the SDK checks every answer against them. Bytes are lowercase hex, u64 values decimal
 * strings, heights and counts JSON numbers.
 */
export const Schemas = {
  /** A 21-byte address as lowercase hex. */
  address: () => Type.String({ pattern: '^[0-9a-f]{42}$', description: '21-byte address, lowercase hex' }),
  /** A 32-byte hash as lowercase hex. */
  hash32: () => Type.String({ pattern: '^[0-9a-f]{64}$', description: '32-byte hash, lowercase hex' }),
  /** Bytes as lowercase hex. */
  hex: (description = 'bytes, lowercase hex') => Type.String({ pattern: '^([0-9a-f]{2})*$', description }),
  /** A u64 as a decimal string (JSON numbers lose precision past 2^53). */
  u64: (description = 'u64 as a decimal string') =>
    Type.String({ pattern: '^(0|[1-9][0-9]{0,19})$', description }),
  /** A decimal integer parameter within [min, max] (URL parameters arrive as text). */
  integer: (min: number, max: number) => Type.Integer({ minimum: min, maximum: max }),
  /** A count, height or index: a non-negative integer JSON numbers hold exactly. */
  nat: (description?: string) =>
    Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) }),
} as const;

const { hash32, hex, u64, nat, address } = Schemas;

export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code: callers branch on it' }),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'Error', description: 'Every 4xx/5xx answer' },
);

export const ChainEventSchema = Type.Object(
  { module: Type.String(), type: Type.String(), attributes: Type.Record(Type.String(), Type.String()) },
  { $id: 'Event' },
);

const ReceiptObject = Type.Object(
  {
    txHash: hash32(),
    code: Type.String({ description: '`OK` or the stable code of the error that stopped the transaction' }),
    message: Type.Optional(Type.String()),
    gasUsed: nat(),
    events: Type.Array(ChainEventSchema),
  },
  { $id: 'Receipt' },
);
/** Typed as the protocol's `Receipt` (whose events are a readonly array). */
export const ReceiptSchema = Type.Unsafe<Receipt>(ReceiptObject);

export const BlockHeaderSchema = Type.Object(
  {
    version: nat(),
    chainId: Type.String(),
    height: nat(),
    time: u64('milliseconds since the epoch'),
    previousHash: hash32(),
    txRoot: hash32(),
    txCount: nat(),
    stateRoot: hash32(),
    resultsRoot: hash32(),
    proposer: address(),
  },
  { $id: 'BlockHeader' },
);

export const CertificateSchema = Type.Object(
  {
    height: nat(),
    round: nat(),
    value: hash32(),
    precommits: Type.Array(Type.Object({ validator: nat(), signature: hex('signature') })),
  },
  { $id: 'Certificate' },
);

export const MerkleProofSchema = Type.Object(
  { leafIndex: nat(), treeSize: nat(), path: Type.Array(hash32(), { maxItems: 64 }) },
  { $id: 'MerkleProof' },
);

export const StateProofSchema = Type.Object(
  {
    siblings: Type.Array(hex('sibling hash')),
    terminal: Type.Union([
      Type.Object({ kind: Type.Literal('leaf'), path: hex('key path'), valueHash: hex('value hash') }),
      Type.Object({ kind: Type.Literal('empty') }),
    ]),
  },
  { $id: 'StateProof' },
);

export const TxJsonSchema = Type.Object(
  {
    version: nat(),
    chainId: Type.String(),
    suite: Type.String(),
    publicKey: hex('public key'),
    nonce: u64(),
    expiresAtHeight: u64(),
    gasLimit: u64(),
    module: Type.String(),
    type: Type.String(),
    payload: hex('message payload'),
    endorsements: Type.Array(
      Type.Object({ suite: Type.String(), publicKey: hex('public key'), signature: hex('signature') }),
    ),
    signature: hex('signature'),
  },
  { $id: 'TxJson' },
);

export const HashAlgorithmSchema = Type.Unsafe<HashAlgorithm>(
  Type.Union(HASH_ALGORITHMS.map((name) => Type.Literal(name))),
);

// The protocol's JSON interfaces and these schemas describe the same values; the compiler
// holds them together (a field added to one and not the other fails the build).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_proof?: T) => undefined;
same<Same<Static<typeof BlockHeaderSchema>, BlockHeaderJson>>();
same<Same<Static<typeof CertificateSchema>, CommitCertificateJson>>();
same<Same<Static<typeof MerkleProofSchema>, MerkleProofJson>>();
same<Same<Static<typeof StateProofSchema>, StateProofJson>>();
same<Same<Static<typeof TxJsonSchema>, TxJson>>();
same<Same<Static<typeof ChainEventSchema>, ChainEvent>>();
same<Same<Static<typeof ReceiptObject>, Omit<Receipt, 'events'> & { events: ChainEvent[] }>>();

/** Schemas published under `components.schemas` of the OpenAPI document, by their `$id`. */
export const SHARED_SCHEMAS: readonly TSchema[] = [
  ErrorBodySchema,
  ChainEventSchema,
  ReceiptSchema,
  BlockHeaderSchema,
  CertificateSchema,
  MerkleProofSchema,
  StateProofSchema,
  TxJsonSchema,
];
