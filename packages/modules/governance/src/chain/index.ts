import { decode, u64 } from '@pujiang/codec';
import { certificateToPem, deriveAddress, type HashAlgorithm } from '@pujiang/crypto';
import {
  type ChainModule,
  defineMessage,
  defineModule,
  defineQuery,
  type StateRead,
  type TxEnvelope,
} from '@pujiang/module-kit';
import { bytesToHex, PujiangError } from '@pujiang/types';
import {
  ChainConfig,
  ChainPacing,
  CrlRecord,
  Finalize,
  GOV_KEYS,
  GOVERNANCE_MODULE,
  messageResource,
  Proposal,
  Propose,
  Register,
  Revoke,
  ValidatorSetRecord,
  Veto,
  Vote,
  validatorsOfRecord,
} from '../formats.js';
import { policyToJson } from '../policies.js';
import { proposalJson } from '../proposal-json.js';
import {
  ConfigQuery,
  CrlQuery,
  IdentityQuery,
  OrganizationsQuery,
  PolicyQuery,
  ProposalQuery,
  ProposalsQuery,
  ValidatorsQuery,
} from '../schemas.js';
import { EVIDENCE_ERRORS, EVIDENCE_EVENTS, evidenceMessage, evidenceQuery } from './evidence.js';
import { governanceExports } from './exports.js';
import { parseGovernanceGenesis, writeGovernanceGenesis } from './genesis.js';
import { checkPolicy, describeRule, policyFor } from './policy.js';
import { finalize, propose, veto, vote } from './proposals.js';
import { readPermissionQuery } from './read-permissions.js';
import {
  caFingerprint,
  identityFromCertificate,
  identityOf,
  identityProblem,
  isPermissioned,
  keyHasRole,
  memberError,
  organization,
  orgIds,
  readAs,
  revoke,
  writeIdentity,
} from './registry.js';

const REGISTER = messageResource(GOVERNANCE_MODULE, 'register');
/** Roles whose holders run nodes, so their keys may hold peer links. */
const NODE_ROLES = ['validator', 'auditor', 'regulator'] as const;

function suiteRefused(read: StateRead, tx: TxEnvelope): PujiangError | undefined {
  const config = readAs(read, GOV_KEYS.config, ChainConfig);
  if (!config) return undefined;
  for (const signer of [tx.sender, ...tx.endorsers])
    if (!config.acceptedSuites.includes(signer.key.suite))
      return new PujiangError(
        'TX_SUITE_NOT_ACCEPTED',
        `this chain does not accept ${signer.key.suite} signatures`,
        {
          suite: signer.key.suite,
        },
      );
  return undefined;
}

/**
 * The chain's membership and governance: organizations with root CAs, identities registered
 * from their certificates (role from the certificate's OU), per-organization CRLs on chain,
 * per-resource policies, the chain configuration and validator set, and proposals that
 * change any of them. It authorizes every transaction of every module.
 */
/** The chain's hash, which genesis records for queries (addresses and CA fingerprints). */
const HASH_KEY = 'hash';
const hashOf = (read: StateRead): HashAlgorithm =>
  new TextDecoder().decode(read(HASH_KEY) ?? new Uint8Array()) === 'sm3' ? 'sm3' : 'sha256';

export const governance: ChainModule = (() => {
  const params = (read: StateRead) => readAs(read, GOV_KEYS.config, ChainConfig);
  return defineModule({
    name: GOVERNANCE_MODULE,
    summary: 'Membership, policies, the chain configuration and validator set, and proposals',
    privileged: true,
    errors: {
      MEMBER_UNKNOWN: 'a signer is not a registered member',
      MEMBER_REVOKED: "a signer's certificate is on its organization's CRL",
      MEMBER_EXPIRED: "a signer's certificate expired at block time",
      MEMBER_ORG_REMOVED: "a signer's organization, or the CA that issued it, is no longer a member",
      MEMBER_BAD_CERTIFICATE: 'a certificate does not verify, or the sender does not hold its key',
      POLICY_UNSATISFIED: "the signers do not satisfy the resource's policy",
      TX_SUITE_NOT_ACCEPTED: 'a signer uses a suite the chain does not accept',
      GOV_NOT_ADMIN: 'only an admin may do this',
      GOV_NOT_ORG_ADMIN: "only the organization's own admin may do this",
      GOV_NOT_ELIGIBLE: "the voter's organization is not named by the proposal's policy",
      GOV_ALREADY_VOTED: 'the organization has voted on this proposal',
      GOV_NOT_VOTING: 'the proposal is not open for votes',
      GOV_VOTING_CLOSED: 'the voting period is over',
      GOV_NOT_READY: 'the proposal cannot be finalized yet (time-lock)',
      GOV_NOT_VETOABLE: 'the proposal can no longer be vetoed',
      GOV_NO_MANDATE: "the regulator's organization may not veto this proposal",
      GOV_INVALID_ACTION: "the proposal's action is malformed or cannot apply",
      GOV_UNKNOWN_PROPOSAL: 'there is no such proposal',
      ...EVIDENCE_ERRORS,
    },
    events: {
      registered: ['address', 'org', 'role', 'serial'],
      revoked: ['org', 'serial', 'by'],
      proposed: ['id', 'kind', 'resource', 'proposer', 'org', 'votingEnds'],
      voted: ['id', 'org', 'voter', 'approve'],
      approved: ['id', 'executableAt', 'yes'],
      rejected: ['id', 'yes'],
      expired: ['id'],
      vetoed: ['id', 'org', 'by', 'reason'],
      executed: ['id', 'kind'],
      failed: ['id', 'code'],
      organization_added: ['org'],
      organization_removed: ['org'],
      ca_rotated: ['org', 'ca', 'retired'],
      validators_changed: ['since', 'validators', 'totalPower', 'key', 'power'],
      config_changed: ['acceptedSuites', 'maxBlockTxs', 'maxBlockBytes', 'maxBlockGas'],
      pacing_changed: ['emptyBlockIntervalMs'],
      read_permission_changed: ['org', 'role', 'resources'],
      policy_changed: ['resource', 'removed'],
      param_changed: ['module', 'name', 'value'],
      ...EVIDENCE_EVENTS,
    },
    exports: governanceExports,
    kernel: {
      validatorSet(read) {
        const record = readAs(read, GOV_KEYS.validators, ValidatorSetRecord);
        return record === undefined
          ? undefined
          : { since: record.since, validators: validatorsOfRecord(record) };
      },
      chainConfig(read) {
        const config = readAs(read, GOV_KEYS.config, ChainConfig);
        if (config === undefined) return undefined;
        const pacing = readAs(read, GOV_KEYS.pacing, ChainPacing);
        return {
          acceptedSuites: config.acceptedSuites,
          limits: {
            maxBlockBytes: config.maxBlockBytes,
            maxBlockTxs: config.maxBlockTxs,
            maxBlockGas: Number(config.maxBlockGas),
          },
          emptyBlockIntervalMs: pacing?.emptyBlockIntervalMs ?? 0,
        };
      },
      /**
       * A key whose identity is revoked, expired or of a removed organization never links; a
       * key the node's config admits does; on a permissioned chain, a registered identity of
       * a node-running role (validator, or an auditor's or regulator's full node) does. On an
       * open chain there is no verdict: the kernel admits the validators of the next heights.
       */
      memberIdentity(read, address, { time, chainHash }) {
        const identity = identityOf(read, address);
        if (!identity) return undefined;
        const problem = identityProblem(read, chainHash, identity, time);
        return {
          publicKey: { suite: identity.suite, bytes: identity.publicKey },
          org: identity.org,
          role: identity.role,
          ...(problem ? { problem: problem.code } : {}),
        };
      },
      admitsPeer(read, key, { time, chainHash, admittedByConfig }) {
        const identity = identityOf(read, bytesToHex(deriveAddress(chainHash, key)));
        if (identity && identityProblem(read, chainHash, identity, time) !== undefined) return false;
        if (admittedByConfig) return true;
        if (isPermissioned(read))
          return NODE_ROLES.some((role) => keyHasRole(read, chainHash, key, role, time));
        return undefined;
      },
    },
    authorize(read, tx) {
      const refused = suiteRefused(read, tx);
      if (refused) throw refused;
      if (!isPermissioned(read)) return;
      const resource = messageResource(tx.module, tx.type);
      // Self-registration: the handler checks the certificate against the sender's key.
      if (resource === REGISTER && tx.endorsers.length === 0) return;
      const members = [tx.sender, ...tx.endorsers].map((signer) => {
        const identity = identityOf(read, signer.address);
        if (!identity)
          throw memberError('MEMBER_UNKNOWN', `${signer.address} is not a registered member of this chain`, {
            address: signer.address,
          });
        const problem = identityProblem(read, tx.chainHash, identity, tx.time);
        if (problem) throw problem;
        return { address: signer.address, org: identity.org, role: identity.role };
      });
      checkPolicy(read, resource, members, tx.resource);
    },
    messages: {
      register: defineMessage(Register, (ctx, m) => {
        const read = (k: string) => ctx.get(k);
        if (!isPermissioned(read))
          throw memberError('MEMBER_UNKNOWN', 'this chain has no organizations to join');
        const { identity, address, certificate } = identityFromCertificate(
          read,
          ctx.chainHash,
          m.certificate,
          ctx.time,
          ctx.height,
        );
        if (address !== ctx.sender)
          throw memberError(
            'MEMBER_BAD_CERTIFICATE',
            'register with the key the certificate names (sign with it)',
            {
              certificateAddress: address,
            },
          );
        writeIdentity((k, v) => ctx.set(k, v), address, identity);
        ctx.emit('registered', {
          address,
          org: identity.org,
          role: identity.role,
          serial: bytesToHex(certificate.serial),
        });
      }),
      revoke: defineMessage(Revoke, (ctx, m) => {
        const read = (k: string) => ctx.get(k);
        const identity = identityOf(read, ctx.sender);
        if (identity?.role !== 'admin' || identity.org !== m.org)
          throw new PujiangError(
            'GOV_NOT_ORG_ADMIN',
            `only an admin of ${m.org} may revoke its certificates`,
            {
              org: m.org,
              senderOrg: identity?.org ?? null,
            },
          );
        if (m.serial.length === 0)
          throw new PujiangError('GOV_INVALID_ACTION', 'a serial is at least one byte');
        if (revoke((k, v) => ctx.set(k, v), read, m.org, m.serial, ctx.height))
          ctx.emit('revoked', { org: m.org, serial: bytesToHex(m.serial), by: ctx.sender });
      }),
      propose: defineMessage(Propose, (ctx, m) => propose(ctx, m.title, m.action)),
      vote: defineMessage(Vote, (ctx, m) => vote(ctx, m.id, m.approve)),
      veto: defineMessage(Veto, (ctx, m) => veto(ctx, m.id, m.reason)),
      finalize: defineMessage(Finalize, (ctx, m) => finalize(ctx, m.id)),
      evidence: evidenceMessage,
    },
    queries: {
      readPermission: readPermissionQuery,
      evidence: evidenceQuery,
      organizations: defineQuery({
        ...OrganizationsQuery,
        run: (read) =>
          orgIds(read).map((id) => {
            const chainHash = hashOf(read);
            const org = organization(read, id)!;
            return {
              id,
              name: org.name,
              caCertificates: org.caCertificates.map((ca) => ({
                fingerprint: bytesToHex(caFingerprint(chainHash, ca)),
                pem: certificateToPem(ca),
              })),
            };
          }),
      }),
      identity: defineQuery({
        ...IdentityQuery,
        run: (read, { address }) => {
          const identity = identityOf(read, address);
          if (!identity) return { address, registered: false };
          // Time 0: queries see no clock, so expiry is left to the reader (notAfter).
          const problem = identityProblem(read, hashOf(read), identity, 0n);
          return {
            address,
            registered: true,
            org: identity.org,
            role: identity.role,
            serial: bytesToHex(identity.serial),
            issuer: bytesToHex(identity.issuer),
            notAfter: String(identity.notAfter),
            suite: identity.suite,
            publicKey: bytesToHex(identity.publicKey),
            registeredAt: String(identity.registeredAt),
            ...(problem ? { problem: problem.code } : {}),
          };
        },
      }),
      crl: defineQuery({
        ...CrlQuery,
        run: (read, { org }) => ({
          org,
          revoked: (readAs(read, GOV_KEYS.crl(org), CrlRecord) ?? []).map(bytesToHex),
        }),
      }),
      policy: defineQuery({
        ...PolicyQuery,
        run: (read, { resource }) => {
          const { policy, source } = policyFor(read, resource);
          return { resource, source, policy: policyToJson(policy), description: describeRule(policy) };
        },
      }),
      config: defineQuery({
        ...ConfigQuery,
        run: (read) => {
          const c = params(read);
          if (!c) return null;
          const pacing = readAs(read, GOV_KEYS.pacing, ChainPacing);
          return {
            ...c,
            maxBlockGas: String(c.maxBlockGas),
            permissioned: isPermissioned(read),
            emptyBlockIntervalMs: pacing?.emptyBlockIntervalMs ?? 0,
          };
        },
      }),
      validators: defineQuery({
        ...ValidatorsQuery,
        run: (read) => {
          const chainHash = hashOf(read);
          const record = readAs(read, GOV_KEYS.validators, ValidatorSetRecord);
          return record
            ? {
                since: String(record.since),
                validators: record.validators.map((v) => ({
                  name: v.name,
                  suite: v.suite,
                  publicKey: bytesToHex(v.publicKey),
                  address: bytesToHex(deriveAddress(chainHash, { suite: v.suite, bytes: v.publicKey })),
                  power: String(v.power),
                })),
              }
            : null;
        },
      }),
      proposals: defineQuery({
        ...ProposalsQuery,
        run: (read, p) => {
          const next = read(GOV_KEYS.nextProposalId);
          const last = next ? decode(u64, next) - 1n : 0n;
          const limit = BigInt(p.limit ?? 50);
          const out = [];
          for (let id = last; id >= 1n && id > last - limit; id--) {
            const bytes = read(GOV_KEYS.proposal(id));
            if (bytes) out.push(proposalJson(decode(Proposal, bytes)));
          }
          return out;
        },
      }),
      proposal: defineQuery({
        ...ProposalQuery,
        run: (read, { id }) => {
          const bytes = read(GOV_KEYS.proposal(BigInt(id)));
          if (!bytes) throw new PujiangError('GOV_UNKNOWN_PROPOSAL', `there is no proposal ${id}`, { id });
          return proposalJson(decode(Proposal, bytes));
        },
      }),
    },
    validateGenesis(config, genesis) {
      if (genesis) parseGovernanceGenesis(config, genesis);
    },
    genesis(write, config, genesis, read) {
      if (!genesis || !read)
        throw new PujiangError('GENESIS_INVALID', 'the governance module needs the whole genesis');
      write(HASH_KEY, new TextEncoder().encode(genesis.chainHash));
      writeGovernanceGenesis(write, read, parseGovernanceGenesis(config, genesis), genesis);
    },
  });
})();

export { evidenceRecorded } from './evidence.js';
export type { IdentityView, PolicyVerdict } from './exports.js';
export { governanceExports } from './exports.js';
export type { GovernanceGenesisJson } from './genesis.js';
export { proposalJson };
