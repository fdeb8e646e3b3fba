import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { DidStateSchema } from './resolution.js';

/** The did module's query contracts (published in OpenAPI, checked by clients). */
const PujiangDidParam = Type.String({
  pattern: '^did:pujiang:[A-Za-z0-9._-]{1,64}:[1-9A-HJ-NP-Za-km-z]{22}$',
  description: 'a did:pujiang DID (the namespace is not checked here: the resolver checks it is this chain)',
});

/** `did/resolve?did=...[&versionId=N | &versionTime=MS]`: a DID's document and metadata (null if none). */
export const ResolveQuery = defineQueryContract({
  module: 'did',
  name: 'resolve',
  summary: "A DID's document and metadata, at a version or a time (null when there is none)",
  params: Type.Object({
    did: PujiangDidParam,
    versionId: Type.Optional(Schemas.integer(1, 0xffff_ffff)),
    versionTime: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$', description: 'ms since the epoch' })),
    atHeight: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,16}$', description: 'the version in force after this block' }),
    ),
  }),
  result: Type.Object({ state: Type.Union([DidStateSchema, Type.Null()]) }),
  invalidParams: 'DID_BAD_QUERY',
});

export const IssuanceAnchorSchema = Type.Object({
  digest: Schemas.hash32(),
  height: Schemas.u64(),
  time: Schemas.u64(),
  txHash: Schemas.hash32(),
  sender: Schemas.address(),
});

/** `did/issuance?digest=HEX`: the first anchoring of a credential proof's digest (null if never). */
export const IssuanceQuery = defineQueryContract({
  module: 'did',
  name: 'issuance',
  summary: "The first anchoring of a credential proof's digest (null if it was never anchored)",
  params: Type.Object({ digest: Schemas.hash32() }),
  result: Type.Object({ anchor: Type.Union([IssuanceAnchorSchema, Type.Null()]) }),
  invalidParams: 'DID_BAD_QUERY',
});
