import type { Finding, Severity } from '../alerts.js';
import type { GovernanceView } from '../governance-view.js';
import type { ValidatorName } from './liveness.js';

const DAY_MS = 86_400_000;

/**
 * Each validator with equivocation evidence on chain: critical, one alert per validator,
 * with the newest record's fields and every record (both signed votes each) as the evidence.
 */
export function evidenceFindings(view: GovernanceView, names: ReadonlyMap<string, ValidatorName>): Finding[] {
  const byValidator = new Map<string, GovernanceView['evidence'][number][]>();
  for (const e of view.evidence)
    byValidator.set(e.validator.address, [...(byValidator.get(e.validator.address) ?? []), e]);
  return [...byValidator.values()].map((records) => {
    const e = records[0]!; // the query answers newest first
    const organization =
      names.get(e.validator.address)?.organization ?? view.validatorOrgs.get(e.validator.address);
    return {
      kind: 'equivocation',
      severity: 'critical',
      subject: {
        type: 'validator',
        id: e.validator.address,
        name: e.validator.name,
        ...(organization ? { organization } : {}),
      },
      summary: `${e.validator.name} signed two ${e.voteType}s at height ${e.height} round ${e.round} (evidence ${e.id} committed at height ${e.committedAt}${records.length > 1 ? `; ${records.length} records` : ''})`,
      evidence: { ...e, count: records.length, records },
    };
  });
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
