import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';

/** The JSON answers of the privacy module's queries (published in OpenAPI, checked by clients). */
const { hex, u64, address, nat } = Schemas;
const point = () => Type.String({ pattern: '^[0-9a-f]{64}$', description: 'ristretto255 point, hex' });
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
const Scheme = Type.Union([Type.Literal('paillier'), Type.Literal('committee')]);

export const KeyQuery = defineQueryContract({
  module: 'privacy',
  name: 'key',
  summary: 'A registered Paillier public key (null if none)',
  params: Type.Object({ id: Id }),
  result: Type.Object({
    key: Type.Union([
      Type.Object({
        id: Type.String(),
        owner: address(),
        modulus: hex(),
        bits: nat(),
        label: Type.String(),
        height: u64(),
      }),
      Type.Null(),
    ]),
  }),
  invalidParams: 'PRIVACY_BAD_ID',
});

export const MemberKeyQuery = defineQueryContract({
  module: 'privacy',
  name: 'memberKey',
  summary: "A committee member's registered ristretto255 key (null if none)",
  params: Type.Object({ address: address() }),
  result: Type.Object({ key: Type.Union([point(), Type.Null()]) }),
  invalidParams: 'PRIVACY_BAD_ID',
});

export const RoundSchema = Type.Object({
  id: Type.String(),
  opener: address(),
  scheme: Scheme,
  key: Type.String(),
  publicKey: hex(),
  orgs: Type.Array(Type.String()),
  maxPerSubmitter: nat(),
  closesAt: u64(),
  label: Type.String(),
  openedAt: u64(),
  count: nat(),
  /** The encrypted total: Paillier c, or ElGamal c1 || c2. */
  total: hex(),
  result: Type.Union([Type.Object({ value: Type.String(), by: address(), height: u64() }), Type.Null()]),
});

export const RoundQuery = defineQueryContract({
  module: 'privacy',
  name: 'round',
  summary: 'An aggregation round: who may submit, how many did, the encrypted total, a published result',
  params: Type.Object({ id: Id }),
  result: Type.Object({ round: Type.Union([RoundSchema, Type.Null()]) }),
  invalidParams: 'PRIVACY_BAD_ID',
});

export const SubmitterQuery = defineQueryContract({
  module: 'privacy',
  name: 'submitter',
  summary: 'How many values an address submitted to a round (null: not listed and never submitted)',
  params: Type.Object({ round: Id, address: address() }),
  result: Type.Object({ count: Type.Union([nat(), Type.Null()]) }),
  invalidParams: 'PRIVACY_BAD_ID',
});

export const EpochSchema = Type.Object({
  number: nat(),
  members: Type.Array(address()),
  memberKeys: Type.Array(point()),
  threshold: nat(),
  phaseBlocks: nat(),
  start: u64(),
  previous: nat(),
  dealers: Type.Array(address()),
  dealersNeeded: nat(),
  status: Type.Union([Type.Literal('dealing'), Type.Literal('done'), Type.Literal('failed')]),
  publicKey: Type.Union([point(), Type.Null()]),
  commitments: Type.Array(point()),
  qualified: Type.Array(nat()),
  /** Dealers (1-based) that dealt, and open or answered complaints. */
  dealt: Type.Array(nat()),
  complaints: Type.Array(
    Type.Object({
      dealer: nat(),
      receiver: nat(),
      resolved: Type.Boolean(),
      share: Type.Union([hex(), Type.Null()]),
    }),
  ),
});

export const CommitteeQuery = defineQueryContract({
  module: 'privacy',
  name: 'committee',
  summary: 'The committee governance set, its latest key generation, and the epoch whose key is in force',
  params: Type.Object({}),
  result: Type.Object({
    param: Type.Union([
      Type.Object({ members: Type.Array(address()), threshold: nat(), phaseBlocks: nat() }),
      Type.Null(),
    ]),
    /** Whether the parameter differs from the latest epoch's (a key generation or resharing is due). */
    pending: Type.Boolean(),
    latest: Type.Union([EpochSchema, Type.Null()]),
    current: Type.Union([EpochSchema, Type.Null()]),
  }),
  invalidParams: 'PRIVACY_BAD_ID',
});

export const EpochQuery = defineQueryContract({
  module: 'privacy',
  name: 'epoch',
  summary: 'One key generation or resharing (null if none)',
  params: Type.Object({ number: Schemas.integer(1, 0xffff_ffff) }),
  result: Type.Object({ epoch: Type.Union([EpochSchema, Type.Null()]) }),
  invalidParams: 'PRIVACY_BAD_ID',
});

export const DealQuery = defineQueryContract({
  module: 'privacy',
  name: 'deal',
  summary: "A dealer's deal in an epoch: commitments, ephemeral key, sealed shares (null if none)",
  params: Type.Object({ epoch: Schemas.integer(1, 0xffff_ffff), dealer: Schemas.integer(1, 32) }),
  result: Type.Object({
    deal: Type.Union([
      Type.Object({
        commitments: Type.Array(point()),
        ephemeral: point(),
        shares: Type.Array(hex()),
        height: u64(),
      }),
      Type.Null(),
    ]),
  }),
  invalidParams: 'PRIVACY_BAD_ID',
});

export const RequestSchema = Type.Object({
  id: Type.String(),
  requester: address(),
  epoch: nat(),
  target: Type.Union([Type.Object({ round: Type.String() }), Type.Object({ record: hex() })]),
  ciphertext: hex(),
  blinded: point(),
  reason: Type.String(),
  height: u64(),
  partials: Type.Array(Type.Object({ member: nat(), share: point() })),
  combined: Type.Union([point(), Type.Null()]),
  value: Type.Union([u64(), Type.Null()]),
});

export const RequestQuery = defineQueryContract({
  module: 'privacy',
  name: 'request',
  summary: 'A decryption request with the partial decryptions that verified (null if none)',
  params: Type.Object({ id: Id }),
  result: Type.Object({ request: Type.Union([RequestSchema, Type.Null()]) }),
  invalidParams: 'PRIVACY_BAD_ID',
});
