import { decode, u64 } from '@pujiang/codec';
import { certificateToPem, deriveAddress, type HashAlgorithm } from '@pujiang/crypto';
import {
  ChainConfig,
  CrlRecord,
  Finalize,
  GOV_KEYS,
  GOVERNANCE_MODULE,
  messageResource,
  Proposal,
  Propose,
  policyToJson,
  Register,
  Revoke,
  ValidatorSetRecord,
  Veto,
  Vote,
} from '@pujiang/protocol';
import { bytesToHex, PujiangError } from '@pujiang/types';
import { type ChainModule, defineMessage, type StateRead, type TxEnvelope } from '../../execution/module.js';
import { parseGovernanceGenesis, writeGovernanceGenesis } from './genesis.js';
import { checkPolicy, describeRule, policyFor } from './policy.js';
import { finalize, propose, veto, vote } from './proposals.js';
import {
  caFingerprint,
  identityFromCertificate,
  identityOf,
  identityProblem,
  isPermissioned,
  memberError,
  organization,
  orgIds,
  readAs,
  revoke,
  writeIdentity,
} from './registry.js';

const REGISTER = messageResource(GOVERNANCE_MODULE, 'register');

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
  return {
    name: GOVERNANCE_MODULE,
    privileged: true,
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
      policy_changed: ['resource', 'removed'],
      param_changed: ['module', 'name', 'value'],
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
        return identity;
      });
      checkPolicy(read, resource, members);
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
        if (!identity || identity.role !== 'admin' || identity.org !== m.org)
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
    },
    queries: {
      organizations: (read) =>
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
      identity: (read, p) => {
        const address = stringParam(p, 'address', /^[0-9a-f]{42}$/);
        const identity = identityOf(read, address);
        if (!identity) return { address, registered: false };
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
        };
      },
      crl: (read, p) => {
        const org = stringParam(p, 'org', /^[A-Za-z0-9._-]{1,64}$/);
        return { org, revoked: (readAs(read, GOV_KEYS.crl(org), CrlRecord) ?? []).map(bytesToHex) };
      },
      policy: (read, p) => {
        const resource = stringParam(p, 'resource', /^[A-Za-z0-9_*/-]{1,128}$/);
        const { policy, source } = policyFor(read, resource);
        return { resource, source, policy: policyToJson(policy), description: describeRule(policy) };
      },
      config: (read) => {
        const c = params(read);
        return c ? { ...c, maxBlockGas: String(c.maxBlockGas), permissioned: isPermissioned(read) } : null;
      },
      validators: (read) => {
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
      proposals: (read, p) => {
        const next = read(GOV_KEYS.nextProposalId);
        const last = next ? decode(u64, next) - 1n : 0n;
        const limit = BigInt(
          Math.min(Math.max(Number((p as { limit?: unknown })?.limit ?? 50) || 50, 1), 100),
        );
        const out = [];
        for (let id = last; id >= 1n && id > last - limit; id--) {
          const bytes = read(GOV_KEYS.proposal(id));
          if (bytes) out.push(proposalJson(decode(Proposal, bytes)));
        }
        return out;
      },
      proposal: (read, p) => {
        const id = stringParam(p, 'id', /^[1-9][0-9]{0,18}$/);
        const bytes = read(GOV_KEYS.proposal(BigInt(id)));
        if (!bytes) throw new PujiangError('GOV_UNKNOWN_PROPOSAL', `there is no proposal ${id}`, { id });
        return proposalJson(decode(Proposal, bytes));
      },
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
  };
})();

function stringParam(params: unknown, name: string, pattern: RegExp): string {
  const value = (params as Record<string, unknown> | null)?.[name];
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !pattern.test(text))
    throw new PujiangError('QUERY_BAD_PARAMS', `${name} is missing or malformed`, { parameter: name });
  return text;
}

/** A proposal as JSON (the action's byte fields as hex). */
export function proposalJson(p: Proposal) {
  return {
    id: String(p.id),
    title: p.title,
    kind: p.action.type,
    action: jsonify(p.action.value),
    resource: p.resource,
    policy: policyToJson(p.policy),
    proposer: p.proposer,
    status: p.status,
    submittedAt: String(p.submittedAt),
    votingEnds: String(p.votingEnds),
    executableAt: String(p.executableAt),
    votes: p.votes.map((v) => ({ ...v, height: String(v.height) })),
    history: p.history.map((h) => ({ ...h, height: String(h.height) })),
  };
}

function jsonify(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(jsonify);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonify(v)]));
  return value;
}
