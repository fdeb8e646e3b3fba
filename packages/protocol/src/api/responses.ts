import { type Static, Type } from '@sinclair/typebox';
import { MAX_TX_BYTES } from '../transaction.js';
import {
  BlockHeaderSchema,
  CertificateSchema,
  ChainEventSchema,
  ErrorBodySchema,
  HashAlgorithmSchema,
  MerkleProofSchema,
  ReceiptSchema,
  Schemas,
  StateProofSchema,
  TxJsonSchema,
} from './schemas.js';

/**
 * The bodies of the node's API under `/v1`, as schemas; the types are derived from them.
 * The node's handlers return these types, `/v1/openapi.json` publishes these schemas, and the
 * SDK checks answers against them: one definition of each.
 */
const { hash32, hex, u64, nat, address } = Schemas;

export const StatusSchema = Type.Object(
  {
    chainId: Type.String(),
    nodeId: Type.String(),
    height: nat('Latest decided and committed height (0 before the first block)'),
    latestBlockHash: hash32(),
    latestBlockTime: u64('milliseconds since the epoch'),
    syncing: Type.Boolean({ description: 'More than a block behind the best peer: catching up' }),
    validator: Type.Boolean({ description: 'A validator (else a full node, which follows and serves)' }),
    peers: nat('Connected peers'),
    round: nat(),
    chainHash: HashAlgorithmSchema,
    acceptedSuites: Type.Array(Type.String()),
    genesisHash: hash32(),
    mempool: Type.Object({ size: nat(), bytes: nat() }),
    /** Which library verifies Ed25519 signatures on this node. */
    ed25519: Type.Optional(Type.Union([Type.Literal('libsodium'), Type.Literal('openssl')])),
  },
  { $id: 'Status' },
);

export const ValidatorJsonSchema = Type.Object({
  name: Type.Optional(Type.String()),
  suite: Type.String(),
  publicKey: hex('public key'),
  power: nat(),
  address: address(),
});

export const ValidatorsSchema = Type.Object(
  { height: nat(), validators: Type.Array(ValidatorJsonSchema) },
  { $id: 'Validators' },
);

export const BlockSchema = Type.Object(
  {
    hash: hash32(),
    header: BlockHeaderSchema,
    txs: Type.Array(hex('canonical encoding'), {
      description: "The transactions' encodings, in block order",
    }),
    txHashes: Type.Array(hash32()),
    certificate: CertificateSchema,
  },
  { $id: 'Block' },
);

export const HeaderSchema = Type.Object(
  { hash: hash32(), header: BlockHeaderSchema, certificate: CertificateSchema },
  { $id: 'Header', description: 'A header and its commit certificate, for light verification' },
);

const TxStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('committed')]);

export const TxSchema = Type.Object(
  {
    hash: hash32(),
    status: TxStatusSchema,
    tx: TxJsonSchema,
    raw: hex('canonical encoding: the leaf of the block transaction tree'),
    height: Type.Optional(nat()),
    index: Type.Optional(nat()),
    receipt: Type.Optional(ReceiptSchema),
    proof: Type.Optional(
      Type.Object({
        tx: MerkleProofSchema,
        receipt: Type.Union([MerkleProofSchema, Type.Null()], {
          description: 'Under the resultsRoot of header height + 1; null until that block exists',
        }),
      }),
    ),
  },
  { $id: 'Transaction' },
);

/** A signed transaction's canonical encoding as hex (a 0x prefix and upper case are accepted). */
const TxHex = Type.String({
  pattern: '^(0x)?([0-9a-fA-F]{2})+$',
  maxLength: MAX_TX_BYTES * 2 + 2,
  description: "the signed transaction's canonical encoding, hex",
});

export const SubmitRequestSchema = Type.Object({
  tx: TxHex,
  wait: Type.Optional(Type.Boolean({ description: 'Answer when committed (or timeoutMs passes)' })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'Default 30,000' })),
});

export const SubmitSchema = Type.Object(
  {
    hash: hash32(),
    status: TxStatusSchema,
    height: Type.Optional(nat()),
    index: Type.Optional(nat()),
    receipt: Type.Optional(ReceiptSchema),
  },
  { $id: 'Submitted' },
);

export const SubmitBatchRequestSchema = Type.Object({
  /** Each is admitted or refused on its own: a malformed one is that item's error, not the batch's. */
  txs: Type.Array(
    Type.String({
      maxLength: MAX_TX_BYTES * 2 + 2,
      description: "a signed transaction's canonical encoding, hex",
    }),
    {
      maxItems: 10_000,
    },
  ),
});

export const SubmitBatchSchema = Type.Object({
  results: Type.Array(Type.Union([Type.Object({ hash: hash32() }), ErrorBodySchema]), {
    description: 'One per transaction, in order',
  }),
});

export const AccountSchema = Type.Object({
  address: address(),
  nonce: u64('Next nonce in the committed state'),
  pendingNonce: u64("Next nonce counting this node's pending transactions: the one to sign next"),
  height: nat(),
});

export const QuerySchema = Type.Object({
  height: nat('The block whose resulting state was read'),
  result: Type.Unknown(),
});

export const StateReadSchema = Type.Object({
  key: hex('the full state key (module prefix included)'),
  value: Type.Union([hex('value'), Type.Null()]),
  proof: StateProofSchema,
});

export const ProvenQuerySchema = Type.Object({
  height: nat('The header whose stateRoot the reads are proven against'),
  stateRoot: hash32(),
  result: Type.Unknown(),
  reads: Type.Array(StateReadSchema),
});

export const StateSchema = Type.Composite([
  StateReadSchema,
  Type.Object({ height: nat(), stateRoot: hash32() }),
]);

export const HookReceiptsSchema = Type.Object({
  height: nat(),
  txCount: nat("The block's transactions: hook receipts follow theirs in the results tree"),
  hooks: Type.Array(
    Type.Object({
      index: nat(),
      receipt: ReceiptSchema,
      proof: Type.Union([MerkleProofSchema, Type.Null()]),
    }),
  ),
});

export const BlockReceiptsSchema = Type.Object({
  height: nat(),
  receipts: Type.Array(
    Type.Object({
      index: nat("The transaction's index in the block"),
      receipt: ReceiptSchema,
      proof: Type.Union([MerkleProofSchema, Type.Null()], {
        description: 'Under the resultsRoot of header height + 1; null until that header exists',
      }),
    }),
    {
      description:
        "The block's transactions' receipts, in block order (the hooks' follow: /v1/blocks/{height}/hooks)",
    },
  ),
});

export const ModulesSchema = Type.Object({
  modules: Type.Array(
    Type.Object({
      name: Type.String(),
      messages: Type.Array(Type.String()),
      queries: Type.Array(Type.String()),
      events: Type.Union([Type.Record(Type.String(), Type.Array(Type.String())), Type.Null()]),
      /** Each error code the module raises, with what it means. */
      errors: Type.Record(Type.String(), Type.String()),
      /** Capabilities it grants other modules, and those it uses (by granting module). */
      exports: Type.Array(Type.String()),
      imports: Type.Record(Type.String(), Type.Array(Type.String())),
      hooks: Type.Array(Type.Union([Type.Literal('beginBlock'), Type.Literal('endBlock')])),
      /** Its HTTP routes beyond queries, as `METHOD path`. */
      routes: Type.Array(Type.String()),
    }),
  ),
});

export const HealthSchema = Type.Object({
  status: Type.String(),
  height: Type.Optional(nat()),
  error: Type.Optional(ErrorBodySchema.properties.error),
});

/** Messages on the `/v1/events` WebSocket. */
export const EventMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal('block'), height: nat(), hash: hash32(), time: u64(), txCount: nat() }),
  Type.Object({ type: Type.Literal('tx'), height: nat(), index: nat(), hash: hash32(), code: Type.String() }),
  Type.Object({
    type: Type.Literal('event'),
    height: nat(),
    txHash: hash32(),
    txIndex: nat(),
    eventIndex: nat(),
    event: ChainEventSchema,
  }),
  /** Replay from `fromHeight` reached the latest block; live messages follow. */
  Type.Object({ type: Type.Literal('caughtUp'), height: nat() }),
  Type.Composite([Type.Object({ type: Type.Literal('error') }), ErrorBodySchema]),
]);

export type ApiErrorBody = Static<typeof ErrorBodySchema>;
export type StatusResponse = Static<typeof StatusSchema>;
export type ValidatorJson = Static<typeof ValidatorJsonSchema>;
export type ValidatorsResponse = Static<typeof ValidatorsSchema>;
export type BlockResponse = Static<typeof BlockSchema>;
export type HeaderResponse = Static<typeof HeaderSchema>;
export type TxResponse = Static<typeof TxSchema>;
export type SubmitRequest = Static<typeof SubmitRequestSchema>;
export type SubmitResponse = Static<typeof SubmitSchema>;
export type SubmitBatchRequest = Static<typeof SubmitBatchRequestSchema>;
export type SubmitBatchResponse = Static<typeof SubmitBatchSchema>;
export type AccountResponse = Static<typeof AccountSchema>;
export type QueryResponse = Static<typeof QuerySchema>;
export type StateReadJson = Static<typeof StateReadSchema>;
export type ProvenQueryResponse = Static<typeof ProvenQuerySchema>;
export type StateResponse = Static<typeof StateSchema>;
export type HookReceiptsResponse = Static<typeof HookReceiptsSchema>;
export type BlockReceiptsResponse = Static<typeof BlockReceiptsSchema>;
export type ModulesResponse = Static<typeof ModulesSchema>;
export type EventMessage = Static<typeof EventMessageSchema>;
