import { defineQueryContract, Schemas, type Static, Type } from '@pujiang/module-kit';
import { GOVERNANCE_MODULE, PROPOSAL_STATUSES, ROLES } from './formats.js';

/** The JSON answers of governance's queries: published in OpenAPI, checked by clients. */
const { address, hash32, hex, u64 } = Schemas;

const literalsOf = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const PolicyRuleSchema = Type.Union([
  Type.Literal('any'),
  Type.Literal('all'),
  Type.Literal('majority'),
  Type.Object({ atLeast: Type.Integer({ minimum: 0 }) }),
  Type.Object({ fraction: Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 1 })]) }),
]);

export const PolicySchema = Type.Object({
  rule: PolicyRuleSchema,
  roles: Type.Array(literalsOf(ROLES)),
  orgs: Type.Optional(Type.Array(Type.String())),
  vetoBy: Type.Optional(Type.Array(Type.String())),
  /** Absent: an organization counts when any one identity of it with one of `roles` signed. */
  withinOrg: Type.Optional(
    Type.Object({
      identities: Type.Integer({ minimum: 1 }),
      roles: Type.Array(literalsOf(ROLES)),
    }),
  ),
});

export const ProposalSchema = Type.Object({
  id: u64(),
  title: Type.String(),
  kind: literalsOf([
    'addOrganization',
    'removeOrganization',
    'rotateCa',
    'revokeCertificate',
    'setValidator',
    'setConfig',
    'setPolicy',
    'setModuleParam',
    'setPacing',
    'setReadPermission',
  ] as const),
  /** The action's fields, bytes as hex and u64 values as decimal strings. */
  action: Type.Record(Type.String(), Type.Unknown()),
  resource: Type.String(),
  policy: PolicySchema,
  proposer: Type.String(),
  status: literalsOf(PROPOSAL_STATUSES),
  submittedAt: u64(),
  votingEnds: u64(),
  executableAt: u64(),
  votes: Type.Array(
    Type.Object({ org: Type.String(), voter: Type.String(), approve: Type.Boolean(), height: u64() }),
  ),
  history: Type.Array(
    Type.Object({
      status: literalsOf(PROPOSAL_STATUSES),
      height: u64(),
      by: Type.String(),
      note: Type.String(),
    }),
  ),
});
/** A proposal as the `governance/proposal` query answers it. */
export type ProposalJson = Static<typeof ProposalSchema>;

export const IdentitySchema = Type.Object({
  address: address(),
  registered: Type.Boolean(),
  org: Type.Optional(Type.String()),
  role: Type.Optional(literalsOf(ROLES)),
  serial: Type.Optional(hex()),
  issuer: Type.Optional(hex()),
  notAfter: Type.Optional(u64()),
  suite: Type.Optional(Type.String()),
  publicKey: Type.Optional(hex()),
  registeredAt: Type.Optional(u64()),
  /**
   * Why the identity may not act whatever the time (its organization removed, its CA retired,
   * its certificate revoked), absent when nothing stands against it; expiry is `notAfter`'s.
   */
  problem: Type.Optional(Type.String()),
});

export const OrganizationsQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'organizations',
  summary: 'The member organizations and their root CA certificates',
  params: Type.Object({}),
  result: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      caCertificates: Type.Array(Type.Object({ fingerprint: hash32(), pem: Type.String() })),
    }),
  ),
});

export const IdentityQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'identity',
  summary: 'The registered identity of an address',
  params: Type.Object({ address: address() }),
  result: IdentitySchema,
});

export const CrlQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'crl',
  summary: "An organization's revoked certificate serials",
  params: Type.Object({ org: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }) }),
  result: Type.Object({ org: Type.String(), revoked: Type.Array(hex()) }),
});

export const PolicyQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'policy',
  summary: 'The policy in force for a resource, and where it comes from',
  params: Type.Object({ resource: Type.String({ pattern: '^[A-Za-z0-9_*/-]{1,128}$' }) }),
  result: Type.Object({
    resource: Type.String(),
    source: Type.String(),
    policy: PolicySchema,
    description: Type.String(),
  }),
});

export const ConfigQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'config',
  summary: 'The chain configuration governance keeps (null on a chain without one)',
  params: Type.Object({}),
  result: Type.Union([
    Type.Object({
      acceptedSuites: Type.Array(Type.String()),
      maxBlockBytes: Type.Integer(),
      maxBlockTxs: Type.Integer(),
      maxBlockGas: u64(),
      votingPeriod: Type.Integer(),
      timelock: Type.Integer(),
      permissioned: Type.Boolean(),
      emptyBlockIntervalMs: Type.Integer({
        description: 'How often an idle chain makes a block; 0: a block every block interval',
      }),
    }),
    Type.Null(),
  ]),
});

export const ValidatorsQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'validators',
  summary: 'The validator set record: the set and the height it signs from',
  params: Type.Object({}),
  result: Type.Union([
    Type.Object({
      since: u64(),
      validators: Type.Array(
        Type.Object({
          name: Type.String(),
          suite: Type.String(),
          publicKey: hex(),
          address: address(),
          power: u64(),
        }),
      ),
    }),
    Type.Null(),
  ]),
});

export const ProposalsQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'proposals',
  summary: 'The newest proposals first (limit 1-100, default 50)',
  params: Type.Object({ limit: Type.Optional(Schemas.integer(1, 100)) }),
  result: Type.Array(ProposalSchema),
});

export const ProposalQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'proposal',
  summary: 'A proposal with its votes and history',
  params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,18}$' }) }),
  result: ProposalSchema,
});

/** `governance/readPermission?org=&role=`: the private resources a role of an organization may read (its mandate). */
export const ReadPermissionQuery = defineQueryContract({
  module: GOVERNANCE_MODULE,
  name: 'readPermission',
  summary: "A role's read mandate in an organization: the private resources it may read beyond its own",
  params: Type.Object({
    org: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    role: Type.String({ pattern: '^[a-z]{1,16}$' }),
  }),
  result: Type.Object({ resources: Type.Array(Type.String()) }),
});
