import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { XCHAIN_MODULE } from './names.js';

/** The JSON answers of the module's queries (published in OpenAPI, checked by clients). */
const { hex, hash32, u64 } = Schemas;

const ClientIdParam = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });

const ValidatorSchema = Type.Object({ suite: Type.String(), publicKey: hex(), power: u64() });

export const ClientStateSchema = Type.Object({
  chainId: Type.String(),
  chainHash: Type.Union([Type.Literal('sm3'), Type.Literal('sha256')]),
  trustingPeriodMs: u64(),
  maxClockDriftMs: u64(),
  latestHeight: u64(),
  /** "0": not frozen. */
  frozenHeight: u64(),
  generation: Type.Integer({ minimum: 0 }),
});

export const ConsensusStateSchema = Type.Object({
  height: u64(),
  hash: hash32(),
  time: u64(),
  stateRoot: hash32(),
  validators: Type.Array(ValidatorSchema),
  nextValidators: Type.Union([Type.Array(ValidatorSchema), Type.Null()]),
});

/** `xchain/client?id=ID`: a light client's state (null if there is none). */
export const clientQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'client',
  summary: "A light client's state: the chain it follows, its latest trusted height, frozen or not",
  params: Type.Object({ id: ClientIdParam }),
  result: Type.Object({ client: Type.Union([ClientStateSchema, Type.Null()]) }),
  invalidParams: 'XCHAIN_BAD_CLIENT_ID',
});

/** `xchain/consensusState?id=ID&at=H` (`height` is the API's, for proven queries): what the client keeps of a header it accepted (null if none). */
export const consensusQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'consensusState',
  summary: 'What a light client keeps of a header it accepted: hash, time, state root, validators',
  params: Type.Object({ id: ClientIdParam, at: Type.String({ pattern: '^[1-9][0-9]{0,19}$' }) }),
  result: Type.Object({ consensusState: Type.Union([ConsensusStateSchema, Type.Null()]) }),
  invalidParams: 'XCHAIN_BAD_CLIENT_ID',
});

/** `xchain/provenState?id=ID&key=HEX`: a read of the followed chain proven here (null if none). */
export const provenQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'provenState',
  summary:
    "A key of the followed chain proven here: the followed chain's height and the value (null: proven absent)",
  params: Type.Object({ id: ClientIdParam, key: Type.String({ pattern: '^([0-9a-f]{2}){1,512}$' }) }),
  result: Type.Object({
    proven: Type.Union([
      Type.Object({ height: u64(), value: Type.Union([hex(), Type.Null()]) }),
      Type.Null(),
    ]),
  }),
  invalidParams: 'XCHAIN_BAD_CLIENT_ID',
});

/** `xchain/sectors`: the sector chains governance registered, frozen or not, with their last checkpoint height. */
export const sectorsQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'sectors',
  summary: 'The sector chains governance registered: chain id, client, frozen, last checkpoint height',
  params: Type.Object({}),
  result: Type.Object({
    sectors: Type.Array(
      Type.Object({
        name: Type.String(),
        chainId: Type.String(),
        clientId: Type.String(),
        frozen: Type.Boolean(),
        checkpointHeight: Type.Union([u64(), Type.Null()]),
      }),
    ),
  }),
  invalidParams: 'XCHAIN_BAD_CLIENT_ID',
});
