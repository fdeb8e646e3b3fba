import type { Finding, Severity } from '../alerts.js';
import { checkEvidence, type EvidenceCheck } from '../evidence-check.js';
import type { EvidenceJson, GovernanceView } from '../governance-view.js';
import type { ValidatorName } from './liveness.js';

const DAY_MS = 86_400_000;

/** An `evidence` event's attributes (id, validator, name, height, round, voteType, first, second, reporter). */
export type EvidenceEvent = Readonly<Record<string, string>>;

/**
 * Each validator with equivocation evidence on chain: critical, one alert per validator,
 * raised only from records whose two signed votes the monitor verified itself (a node's word
 * is not enough), with the newest record's fields and every record as the evidence. Records
 * the monitor saw only as `evidence` events (older than the newest 100 the query answers
 * when it first looked) raise a warning marked unproven, which the risk report does not count.
 */
export function evidenceFindings(
  records: readonly EvidenceJson[],
  events: ReadonlyMap<string, EvidenceEvent>,
  names: ReadonlyMap<string, ValidatorName>,
  validatorOrgs: ReadonlyMap<string, string>,
  chainId: string | null,
): Finding[] {
  const byValidator = new Map<string, { proven: (EvidenceJson & EvidenceCheck)[]; refused: unknown[] }>();
  const entry = (address: string) => {
    let e = byValidator.get(address);
    if (!e) {
      e = { proven: [], refused: [] };
      byValidator.set(address, e);
    }
    return e;
  };
  const seen = new Set<string>();
  for (const r of [...records].sort((a, b) => Number(b.id) - Number(a.id))) {
    seen.add(r.id);
    const known = names.get(r.validator.address)?.publicKey;
    const check: EvidenceCheck =
      known !== undefined && known.toLowerCase() !== r.validator.publicKey.toLowerCase()
        ? { valid: false, checked: 'not believed', problem: "the record's key is not the validator's" }
        : checkEvidence(r, chainId);
    if (check.valid) entry(r.validator.address).proven.push({ ...r, ...check });
    else entry(r.validator.address).refused.push({ id: r.id, problem: check.problem });
  }
  // An event newer than every record read is not missed, only not read yet: wait for the query.
  const newestRead = Math.max(0, ...records.map((r) => Number(r.id)));
  const unseen = new Map<string, EvidenceEvent[]>();
  for (const [id, event] of events) {
    if (seen.has(id) || !event.validator || Number(id) > newestRead) continue;
    unseen.set(event.validator, [...(unseen.get(event.validator) ?? []), event]);
  }
  const out: Finding[] = [];
  const subject = (address: string, name: string | undefined) => {
    const organization = names.get(address)?.organization ?? validatorOrgs.get(address);
    return {
      type: 'validator' as const,
      id: address,
      ...(name ? { name } : {}),
      ...(organization ? { organization } : {}),
    };
  };
  for (const [address, { proven, refused }] of byValidator) {
    const e = proven[0];
    if (!e) continue;
    out.push({
      kind: 'equivocation',
      severity: 'critical',
      subject: subject(address, e.validator.name),
      summary: `${e.validator.name} signed two ${e.voteType}s at height ${e.height} round ${e.round} (evidence ${e.id} committed at height ${e.committedAt}${proven.length > 1 ? `; ${proven.length} records` : ''})`,
      evidence: { ...e, count: proven.length, records: proven.slice(0, 20), notBelieved: refused },
    });
  }
  for (const [address, list] of unseen) {
    if (byValidator.get(address)?.proven.length) continue;
    const e = list[list.length - 1]!;
    out.push({
      kind: 'equivocation',
      severity: 'warning',
      subject: subject(address, e.name),
      summary: `${e.name ?? address}: ${list.length} evidence event(s) whose records the monitor could not read to verify (evidence ${e.id} at height ${e.height})`,
      evidence: {
        unproven: true,
        checked: 'not verified: seen only as evidence events',
        events: list.slice(-20),
      },
    });
  }
  return out;
}

/**
 * Member certificates expiring within the warning window (critical within a day), expired,
 * or revoked; and organizations' CAs expiring within the window.
 */
export function certificateFindings(view: GovernanceView, now: number, warningDays: number): Finding[] {
  const out: Finding[] = [];
  const window = warningDays * DAY_MS;
  const revoked = new Map(view.organizations.map((o) => [o.id, new Set(o.revoked)]));
  for (const c of view.certificates) {
    const subject = {
      type: 'certificate' as const,
      id: `${c.org}/${c.serial}`,
      ...(c.commonName ? { name: c.commonName } : {}),
      organization: c.org,
    };
    const evidence = {
      serial: c.serial,
      org: c.org,
      role: c.role ?? null,
      commonName: c.commonName ?? null,
      address: c.address ?? null,
      notAfter: c.notAfter,
      notAfterIso: new Date(c.notAfter).toISOString(),
      source: c.source,
      problem: c.problem ?? null,
    };
    const who = c.commonName ?? c.address ?? c.serial;
    if (revoked.get(c.org)?.has(c.serial) || c.problem === 'MEMBER_REVOKED')
      out.push({
        kind: 'certificate-revoked',
        severity: c.role === 'validator' ? 'warning' : 'info',
        subject,
        summary: `${c.org}'s certificate ${c.serial} (${who}) is revoked`,
        evidence,
      });
    else if (c.notAfter <= now)
      out.push({
        kind: 'certificate-expired',
        severity: 'critical',
        subject,
        summary: `${c.org}'s certificate ${c.serial} (${who}) expired ${new Date(c.notAfter).toISOString()}`,
        evidence,
      });
    else if (c.notAfter - now <= window)
      out.push({
        kind: 'certificate-expiring',
        severity: c.notAfter - now <= DAY_MS ? 'critical' : 'warning',
        subject,
        summary: `${c.org}'s certificate ${c.serial} (${who}) expires in ${days(c.notAfter - now)} (${new Date(c.notAfter).toISOString()})`,
        evidence: { ...evidence, expiresInMs: c.notAfter - now },
      });
  }
  for (const o of view.organizations)
    for (const ca of o.cas)
      if (ca.notAfter - now <= window)
        out.push({
          kind: 'ca-expiring',
          severity: ca.notAfter <= now + DAY_MS ? 'critical' : 'warning',
          subject: { type: 'organization', id: o.id, name: o.name, organization: o.id },
          summary: `${o.id}'s CA ${ca.fingerprint.slice(0, 16)} ${ca.notAfter <= now ? 'expired' : `expires in ${days(ca.notAfter - now)}`}`,
          evidence: { org: o.id, fingerprint: ca.fingerprint, serial: ca.serial, notAfter: ca.notAfter },
        });
  return out;
}

function days(ms: number): string {
  const d = ms / DAY_MS;
  return d >= 1 ? `${d.toFixed(1)} days` : `${(ms / 3_600_000).toFixed(1)} hours`;
}

/** Kinds that change who validates, which suites sign, or who may do what. */
const SENSITIVE: Record<string, string> = {
  setValidator: 'validator set',
  setConfig: 'accepted suites and block limits',
  setPolicy: 'policy',
  removeOrganization: 'membership',
  rotateCa: 'membership',
};

/** Approved proposals waiting out their time-lock: the last chance to veto. */
export function proposalFindings(view: GovernanceView, height: number): Finding[] {
  return view.proposals
    .filter((p) => p.status === 'queued')
    .map((p) => {
      const what = SENSITIVE[p.kind];
      const severity: Severity = what ? 'warning' : 'info';
      return {
        kind: 'proposal-timelock',
        severity,
        subject: { type: 'proposal', id: p.id, name: p.title },
        summary: `proposal ${p.id} (${p.kind}${what ? `: changes the ${what}` : ''}) executes at height ${p.executableAt} (now ${height})`,
        evidence: {
          id: p.id,
          title: p.title,
          kind: p.kind,
          action: p.action,
          resource: p.resource,
          proposer: p.proposer,
          executableAt: p.executableAt,
          blocksLeft: Math.max(0, Number(p.executableAt) - height),
          votes: p.votes,
          vetoBy: p.policy.vetoBy ?? [],
        },
      };
    });
}
