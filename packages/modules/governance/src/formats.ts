import {
  bool,
  bytes,
  type Infer,
  list,
  literals,
  optional,
  string,
  struct,
  u32,
  u64,
  union,
} from '@pujiang/codec';
import type { CertifiedValidator } from '@pujiang/consensus';
import { SUITE_IDS } from '@pujiang/crypto';
import { moduleKey } from '@pujiang/protocol';

/**
 * The `governance` module's formats: organizations and their CAs, registered identities and
 * revocations, policies, the chain configuration and validator set it keeps in state, and
 * proposals. Clients build messages and prove state with these without the node.
 */
export const GOVERNANCE_MODULE = 'governance';

export const ROLES = ['admin', 'validator', 'client', 'auditor', 'regulator'] as const;
export type Role = (typeof ROLES)[number];
export const Role = literals('Role', ROLES);

const Empty = struct('Empty', {});
const OrgId = string({ max: 64 });
const Certificate = bytes({ max: 8192 });

const Fraction = struct('Fraction', { numerator: u32, denominator: u32 });

/**
 * How many organizations must sign. An organization counts when an identity of it with one
 * of the policy's roles signed (as sender or endorser), so one organization cannot outvote
 * the others by minting identities.
 */
const ORG_COUNT_RULES = { any: Empty, all: Empty, majority: Empty, atLeast: u32, fraction: Fraction };
export const OrgCountRule = union('OrgCountRule', ORG_COUNT_RULES);
export type OrgCountRule = Infer<typeof OrgCountRule>;

/** The most distinct identities a policy may require of one organization. */
export const MAX_WITHIN_ORG_IDENTITIES = 64;

/**
 * A count of organizations where an organization counts only when `identities` distinct
 * identities of it (each with one of the policy's roles) signed, and each entry of `roles`
 * is held by a different one of them (maker-checker-approver within a bank).
 */
export const WithinOrgsRule = struct('WithinOrgsRule', {
  orgs: OrgCountRule,
  identities: u32,
  roles: list(Role, { max: MAX_WITHIN_ORG_IDENTITIES }),
});
export type WithinOrgsRule = Infer<typeof WithinOrgsRule>;

/**
 * The rule of a policy. The codec is positional: the five count rules keep their tags (old
 * policies decode and encode byte for byte), and the within-organization rule is a new tag.
 */
export const PolicyRule = union('PolicyRule', { ...ORG_COUNT_RULES, withinOrgs: WithinOrgsRule });
export type PolicyRule = Infer<typeof PolicyRule>;

export const Policy = struct('Policy', {
  rule: PolicyRule,
  /** Whose signatures count. */
  roles: list(Role, { max: ROLES.length }),
  /** Which organizations count (empty: every member organization). */
  orgs: list(OrgId, { max: 64 }),
  /** Organizations whose regulators may veto a proposal governed by this policy during its time-lock. */
  vetoBy: list(OrgId, { max: 64 }),
});
export type Policy = Infer<typeof Policy>;

export const Organization = struct('Organization', {
  id: OrgId,
  name: string({ max: 128 }),
  /** The root CAs (DER) whose certificates identify this organization's members; several during a rotation. */
  caCertificates: list(Certificate, { max: 4 }),
});
export type Organization = Infer<typeof Organization>;

export const Identity = struct('Identity', {
  org: OrgId,
  role: Role,
  /** The certificate's serial (minimal big-endian) and the hash of the CA certificate that issued it. */
  serial: bytes({ max: 20 }),
  issuer: bytes({ max: 64 }),
  /** Last block time (ms) at which the certificate is valid. */
  notAfter: u64,
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  registeredAt: u64,
});
export type Identity = Infer<typeof Identity>;

export const ValidatorEntry = struct('ValidatorEntry', {
  suite: literals('Suite', SUITE_IDS),
  publicKey: bytes({ max: 4096 }),
  power: u64,
  name: string({ max: 64 }),
});
export type ValidatorEntry = Infer<typeof ValidatorEntry>;

/**
 * The validator set and the first height it signs. A change written by block k signs from
 * height k + 2, so the set of height h is in the state after block h - 2, which header h - 1
 * commits to: a light client holding header h - 1 can prove the set that must sign header h.
 */
export const ValidatorSetRecord = struct('ValidatorSetRecord', {
  since: u64,
  validators: list(ValidatorEntry, { max: 1000 }),
});
export type ValidatorSetRecord = Infer<typeof ValidatorSetRecord>;

/** A recorded set as certificate checks and consensus take it (the name kept for operators). */
export function validatorsOfRecord(record: ValidatorSetRecord): (CertifiedValidator & { name?: string })[] {
  return record.validators.map((v) => ({
    publicKey: { suite: v.suite, bytes: v.publicKey },
    power: Number(v.power),
    ...(v.name ? { name: v.name } : {}),
  }));
}

/** The chain configuration governance may change (genesis sets the first one). */
export const ChainConfig = struct('ChainConfig', {
  acceptedSuites: list(literals('Suite', SUITE_IDS), { max: SUITE_IDS.length }),
  maxBlockBytes: u32,
  maxBlockTxs: u32,
  maxBlockGas: u64,
  /** Blocks a proposal stays open for votes. */
  votingPeriod: u32,
  /** Blocks between approval and the earliest execution (the window for a veto). */
  timelock: u32,
});
export type ChainConfig = Infer<typeof ChainConfig>;

/**
 * How often an idle chain makes a block (CometBFT's create_empty_blocks_interval): with no
 * transaction waiting, the next height starts this long after the last block, so certified
 * headers keep coming without the store growing by a block every block interval. 0 makes a
 * block every block interval (a chain whose genesis predates this record behaves so). Not a
 * validity rule: it paces proposers, and every validator reads it from the same state.
 */
export const ChainPacing = struct('ChainPacing', { emptyBlockIntervalMs: u32 });
export type ChainPacing = Infer<typeof ChainPacing>;
/** The longest pacing governance may set (a day). */
export const MAX_EMPTY_BLOCK_INTERVAL_MS = 86_400_000;

export const GovernanceAction = union('GovernanceAction', {
  addOrganization: struct('AddOrganization', {
    id: OrgId,
    name: string({ max: 128 }),
    caCertificate: Certificate,
  }),
  removeOrganization: struct('RemoveOrganization', { id: OrgId }),
  /** Adds a CA to an organization; with `retirePrevious`, identities the older CAs issued stop being valid. */
  rotateCa: struct('RotateCa', { org: OrgId, caCertificate: Certificate, retirePrevious: bool }),
  revokeCertificate: struct('RevokeCertificate', { org: OrgId, serial: bytes({ max: 20 }) }),
  /** Adds a validator, changes its power, or removes it (power 0). */
  setValidator: struct('SetValidator', {
    suite: literals('Suite', SUITE_IDS),
    publicKey: bytes({ max: 4096 }),
    power: u64,
    name: string({ max: 64 }),
  }),
  setConfig: ChainConfig,
  /** Sets (or, with no policy, removes) the policy of a resource. */
  setPolicy: struct('SetPolicy', { resource: string({ max: 128 }), policy: optional(Policy) }),
  /** A module's parameter, checked by the module that declares it. */
  setModuleParam: struct('SetModuleParam', {
    module: string({ max: 32 }),
    name: string({ max: 64 }),
    value: bytes({ max: 4096 }),
  }),
  /** Sets the chain's pacing (`ChainPacing`). */
  setPacing: ChainPacing,
  /**
   * The read mandate of a role of an organization (auditors, regulators): the private
   * resources it may read beyond its own (`collections/<name>`, `collections/*`); an empty
   * list removes it. Modules that keep private data consult it.
   */
  setReadPermission: struct('SetReadPermission', {
    org: OrgId,
    role: Role,
    resources: list(string({ max: 128 }), { max: 64 }),
  }),
});
export type GovernanceAction = Infer<typeof GovernanceAction>;
export type GovernanceActionKind = GovernanceAction['type'];

export const PROPOSAL_STATUSES = [
  'voting',
  'queued',
  'rejected',
  'expired',
  'vetoed',
  'executed',
  'failed',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const ProposalVote = struct('ProposalVote', {
  org: OrgId,
  voter: string({ max: 64 }),
  approve: bool,
  height: u64,
});

/** One step of a proposal's life, as recorded in state (and emitted as an event). */
export const ProposalStep = struct('ProposalStep', {
  status: literals('ProposalStatus', PROPOSAL_STATUSES),
  height: u64,
  by: string({ max: 64 }),
  note: string({ max: 256 }),
});
export type ProposalStep = Infer<typeof ProposalStep>;

export const Proposal = struct('Proposal', {
  id: u64,
  title: string({ max: 256 }),
  action: GovernanceAction,
  /** The resource whose policy decides it, and that policy as it was when submitted. */
  resource: string({ max: 128 }),
  policy: Policy,
  proposer: string({ max: 64 }),
  status: literals('ProposalStatus', PROPOSAL_STATUSES),
  submittedAt: u64,
  /** The last height at which votes count. */
  votingEnds: u64,
  /** When queued: the first height at which it may be executed. */
  executableAt: u64,
  votes: list(ProposalVote, { max: 256 }),
  history: list(ProposalStep, { max: 300 }),
});
export type Proposal = Infer<typeof Proposal>;

// Messages

export const Register = struct('Register', { certificate: Certificate });
export const Revoke = struct('Revoke', { org: OrgId, serial: bytes({ max: 20 }) });
export const Propose = struct('Propose', { title: string({ max: 256 }), action: GovernanceAction });
export const Vote = struct('Vote', { id: u64, approve: bool });
export const Veto = struct('Veto', { id: u64, reason: string({ max: 256 }) });
/** Executes a queued proposal whose time-lock ended, or records one whose vote closed unapproved. */
export const Finalize = struct('Finalize', { id: u64 });

// State keys (module-relative)

export const GOV_KEYS = {
  config: 'config',
  /** The chain's `ChainPacing`; absent on chains founded before it (they pace at 0). */
  pacing: 'pacing',
  validators: 'validators',
  /** Present when genesis founded organizations: only members may transact. */
  permissioned: 'permissioned',
  orgIds: 'orgs',
  org: (id: string) => `org/${id}`,
  identity: (address: string) => `identity/${address}`,
  revoked: (org: string, serialHex: string) => `revoked/${org}/${serialHex}`,
  crl: (org: string) => `crl/${org}`,
  policy: (resource: string) => `policy/${resource}`,
  readPermission: (org: string, role: string) => `read-permission/${org}/${role}`,
  nextProposalId: 'next-proposal',
  proposal: (id: bigint) => `proposal/${id}`,
} as const;

/** The state tree key of the validator set record (for light clients' proofs). */
export const validatorSetStateKey = (): Uint8Array => moduleKey(GOVERNANCE_MODULE, GOV_KEYS.validators);

/** A role's read mandate as stored (`read-permission/<org>/<role>`). */
export const ReadMandate = list(string({ max: 128 }), { max: 64 });

/** What a read mandate names: `module/name`, or `module/*` for everything of that module. */
export const READ_RESOURCE = /^[a-z0-9_-]{1,32}\/([A-Za-z0-9._-]{1,95}|\*)$/;

/** Whether a mandate's resources cover `resource` (`collections/*` covers `collections/trade`). */
export function mandateCovers(resources: readonly string[], resource: string): boolean {
  const [module] = resource.split('/');
  return resources.includes(resource) || resources.includes(`${module}/*`);
}

/** The resource whose policy governs a module message (`bank/transfer`) or a proposal (`governance/proposal/setValidator`). */
export const messageResource = (module: string, type: string): string => `${module}/${type}`;
export const proposalResource = (kind: GovernanceActionKind): string =>
  `${GOVERNANCE_MODULE}/proposal/${kind}`;

/** An organization's revoked serials, in revocation order (its on-chain CRL). */
export const CrlRecord = list(bytes({ max: 20 }), { max: 100_000 });
export const OrgIdList = list(OrgId, { max: 256 });
