import {
  type EventMessage,
  type ProposalJson,
  type PujiangClient,
  type Subscription,
  subscribe,
} from '@pujiang/sdk';
import { type CertificateFields, certificateFields, pemCertificates } from './certificate-fields.js';

/**
 * What the monitor reads of governance's state on a node: equivocation evidence,
 * proposals, organizations with their CAs and CRLs, and the member certificates it can
 * name (those genesis admitted, from their PEMs, and those registered since, from the
 * `registered` events and the identity query), plus each validator's organization.
 */
export interface EvidenceJson {
  readonly id: string;
  readonly voteType: string;
  readonly height: string;
  readonly round: number;
  readonly validator: {
    readonly index: number;
    readonly name: string;
    readonly suite: string;
    readonly publicKey: string;
    readonly address: string;
  };
  readonly first: Readonly<Record<string, unknown>>;
  readonly second: Readonly<Record<string, unknown>>;
  readonly reporter: string;
  readonly txHash: string;
  readonly committedAt: string;
}

export interface MemberCertificate {
  readonly serial: string;
  readonly org: string;
  readonly role?: string;
  readonly commonName?: string;
  readonly address?: string;
  readonly notAfter: number;
  readonly source: 'genesis' | 'registered';
  /** Why the chain holds it invalid whatever the time (revoked, CA retired, organization removed). */
  readonly problem?: string;
}

export interface OrganizationView {
  readonly id: string;
  readonly name: string;
  readonly cas: readonly (CertificateFields & { readonly fingerprint: string })[];
  readonly revoked: readonly string[];
}

export interface GovernanceView {
  readonly evidence: readonly EvidenceJson[];
  readonly proposals: readonly ProposalJson[];
  readonly organizations: readonly OrganizationView[];
  readonly certificates: readonly MemberCertificate[];
  /** Validator address to organization (validators whose node key is a registered identity). */
  readonly validatorOrgs: ReadonlyMap<string, string>;
  /** How often the idle chain makes a block (governance's pacing; 0: every block interval). */
  readonly emptyBlockIntervalMs: number;
}

interface IdentityJson {
  readonly registered: boolean;
  readonly org?: string;
  readonly role?: string;
  readonly serial?: string;
  readonly notAfter?: string;
  readonly problem?: string;
}

const result = async <T>(client: PujiangClient, name: string, params: Record<string, string> = {}) =>
  (await client.query('governance', name, params)).result as T;

/** Reads governance's view; modules a chain does not run answer nothing rather than failing the poll. */
export async function readGovernance(
  client: PujiangClient,
  validators: readonly { readonly address: string }[],
  registered: ReadonlySet<string>,
): Promise<GovernanceView> {
  const [evidence, proposals, orgs, genesisPems, config] = await Promise.all([
    result<EvidenceJson[]>(client, 'evidence', { limit: '100' }).catch(() => []),
    result<ProposalJson[]>(client, 'proposals', { limit: '100' }).catch(() => []),
    result<{ id: string; name: string; caCertificates: { fingerprint: string; pem: string }[] }[]>(
      client,
      'organizations',
    ).catch(() => []),
    genesisIdentities(client).catch(() => [] as string[]),
    result<{ emptyBlockIntervalMs?: number } | null>(client, 'config').catch(() => null),
  ]);
  const organizations = await Promise.all(
    orgs.map(async (o) => ({
      id: o.id,
      name: o.name,
      cas: o.caCertificates.flatMap((ca) =>
        pemCertificates(ca.pem).map((der) => ({ ...certificateFields(der), fingerprint: ca.fingerprint })),
      ),
      revoked: (
        await result<{ revoked: string[] }>(client, 'crl', { org: o.id }).catch(() => ({ revoked: [] }))
      ).revoked,
    })),
  );
  const identities = new Map<string, IdentityJson>();
  await Promise.all(
    [...new Set([...registered, ...validators.map((v) => v.address)])].map(async (address) => {
      const identity = await result<IdentityJson>(client, 'identity', { address }).catch(() => undefined);
      if (identity?.registered) identities.set(address, identity);
    }),
  );
  const certificates: MemberCertificate[] = [];
  for (const pem of genesisPems)
    for (const der of pemCertificates(pem)) {
      const f = safeFields(der);
      if (f)
        certificates.push({
          serial: f.serial,
          org: f.organization ?? '',
          ...(f.organizationalUnit ? { role: f.organizationalUnit } : {}),
          ...(f.commonName ? { commonName: f.commonName } : {}),
          notAfter: f.notAfter,
          source: 'genesis',
        });
    }
  for (const [address, identity] of identities) {
    const known = certificates.find((c) => c.serial === identity.serial && c.org === identity.org);
    const entry: MemberCertificate = {
      serial: identity.serial ?? '',
      org: identity.org ?? '',
      ...(identity.role ? { role: identity.role } : {}),
      ...(known?.commonName ? { commonName: known.commonName } : {}),
      address,
      notAfter: Number(identity.notAfter ?? 0),
      source: known ? 'genesis' : 'registered',
      ...(identity.problem ? { problem: identity.problem } : {}),
    };
    if (known) certificates.splice(certificates.indexOf(known), 1, entry);
    else certificates.push(entry);
  }
  const validatorOrgs = new Map<string, string>();
  for (const v of validators) {
    const org = identities.get(v.address)?.org;
    if (org) validatorOrgs.set(v.address, org);
  }
  return {
    evidence,
    proposals,
    organizations,
    certificates,
    validatorOrgs,
    emptyBlockIntervalMs: config?.emptyBlockIntervalMs ?? 0,
  };
}

function safeFields(der: Uint8Array): CertificateFields | undefined {
  try {
    return certificateFields(der);
  } catch {
    return undefined;
  }
}

async function genesisIdentities(client: PujiangClient): Promise<string[]> {
  const response = await fetch(`${client.url}/v1/genesis`, { signal: AbortSignal.timeout(10_000) });
  const genesis = (await response.json()) as { modules?: { governance?: { identities?: unknown } } };
  const identities = genesis.modules?.governance?.identities;
  return Array.isArray(identities) ? identities.filter((p): p is string => typeof p === 'string') : [];
}

/** Evidence events remembered (each is an equivocation: far more than a chain will see). */
const MAX_EVIDENCE = 10_000;

/**
 * The addresses registered since genesis, from governance's `registered` events on a
 * node's event stream (replayed from height 1, then live; resubscribed from where it
 * stopped if the stream ends), and every `evidence` event.
 */
export class RegisteredMembers {
  readonly addresses = new Set<string>();
  /** Every `evidence` event since genesis, by record id (the query answers only the newest 100). */
  readonly evidence = new Map<string, Readonly<Record<string, string>>>();
  private subscription: Subscription | undefined;
  private nextHeight = 1;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private url: string) {}

  /** Follows `url` (the monitor's primary node may change). */
  follow(url: string): void {
    if (url === this.url && this.subscription) return;
    this.url = url;
    this.subscription?.close();
    this.open();
  }

  private open(): void {
    if (this.closed) return;
    const sub = subscribe(
      { url: this.url, fromHeight: this.nextHeight, blocks: false, txs: false, module: 'governance' },
      (m: EventMessage) => {
        if (m.type !== 'event') return;
        this.nextHeight = Math.max(this.nextHeight, m.height);
        if (m.event.type === 'registered' && m.event.attributes.address)
          this.addresses.add(m.event.attributes.address);
        if (m.event.type === 'evidence' && m.event.attributes.id && this.evidence.size < MAX_EVIDENCE)
          this.evidence.set(m.event.attributes.id, m.event.attributes);
      },
    );
    this.subscription = sub;
    void sub.done.then(() => {
      if (this.closed || this.subscription !== sub) return;
      this.subscription = undefined;
      this.retry = setTimeout(() => this.open(), 1_000);
    });
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.subscription?.close();
  }
}
