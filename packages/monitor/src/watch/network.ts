import type { Finding } from '../alerts.js';
import type { NodeObservation } from '../observe.js';
import type { Sample } from '../prometheus-text.js';

/** Score at which a peer is worth a look (a peer is banned at 100). */
export const SCORE_WARNING = 50;
/** Failed checks older than this no longer raise (the node's counts are since it started). */
export const RECENT_FAILURE_MS = 10 * 60_000;

/** Banned peers and peers scoring high, as each node reports them (one alert per peer, every reporter in the evidence). */
export function peerFindings(nodes: readonly NodeObservation[]): Finding[] {
  const banned = new Map<string, { finding: Omit<Finding, 'evidence'>; reports: unknown[] }>();
  const scored = new Map<string, { finding: Omit<Finding, 'evidence'>; reports: unknown[] }>();
  for (const n of nodes) {
    for (const b of n.peers?.banned ?? []) {
      const entry = banned.get(b.address) ?? {
        finding: {
          kind: 'peer-banned',
          severity: b.validator ? 'critical' : 'warning',
          subject: subjectOf(b),
          summary: `${b.name ?? b.address} is banned (${b.reason})`,
        },
        reports: [],
      };
      entry.reports.push({
        node: n.url,
        reason: b.reason,
        score: b.score,
        since: b.since,
        until: b.until,
        bans: b.bans,
      });
      banned.set(b.address, entry);
    }
    for (const p of n.peers?.peers ?? []) {
      if (p.score < SCORE_WARNING) continue;
      const entry = scored.get(p.address) ?? {
        finding: {
          kind: 'peer-score',
          severity: 'warning',
          subject: subjectOf(p),
          summary: `${p.name ?? p.address} scores ${Math.round(p.score)} (banned at 100)`,
        },
        reports: [],
      };
      entry.reports.push({
        node: n.url,
        score: p.score,
        drops: p.drops,
        offences: p.offences,
        endpoint: p.endpoint,
      });
      scored.set(p.address, entry);
    }
  }
  return [...banned.values(), ...scored.values()].map(({ finding, reports }) => ({
    ...finding,
    evidence: { reports },
  }));
}

function subjectOf(p: { address: string; name?: string; organization: string | null }) {
  return {
    type: 'peer' as const,
    id: p.address,
    ...(p.name ? { name: p.name } : {}),
    ...(p.organization ? { organization: p.organization } : {}),
  };
}

/**
 * Failed signature checks and membership refusals by source, over every node's report: a
 * key that fails a signature check is forging or broken (warning); a key refused as a
 * non-member a few times is knocking (info, warning past 10). A handshake failure
 * (`where: handshake`) happened before the peer proved any key: its source is the remote
 * address, the alert's subject is that address, and it is marked unproven (never a
 * validator's or an organization's risk, whatever key the peer claimed).
 */
export function failedCheckFindings(nodes: readonly NodeObservation[], now: number): Finding[] {
  const bySource = new Map<
    string,
    { address: string | null; checks: Record<string, unknown>[]; signature: number; membership: number }
  >();
  for (const n of nodes)
    for (const c of n.peers?.failedChecks ?? []) {
      if (now - c.lastAt > RECENT_FAILURE_MS) continue;
      const unproven = c.where === 'handshake';
      const source = unproven ? `address:${c.source}` : c.source;
      const entry = bySource.get(source) ?? {
        address: unproven ? null : c.address,
        checks: [],
        signature: 0,
        membership: 0,
      };
      entry.checks.push({ node: n.url, check: c.check, where: c.where, count: c.count, lastAt: c.lastAt });
      if (c.check === 'signature') entry.signature += c.count;
      else entry.membership += c.count;
      bySource.set(source, entry);
    }
  const out: Finding[] = [];
  for (const [source, e] of bySource) {
    const severity = e.signature > 0 || e.membership > 10 ? 'warning' : 'info';
    out.push({
      kind: 'failed-checks',
      severity,
      subject: { type: 'peer', id: e.address ?? source },
      summary: `${e.address ?? source}: ${e.signature} failed signature checks, ${e.membership} membership refusals${unprovenSource(source) ? ' (before it proved a key)' : ''}`,
      evidence: {
        source,
        ...(unprovenSource(source) ? { unproven: true } : {}),
        signatureFailures: e.signature,
        membershipRefusals: e.membership,
        checks: e.checks,
      },
    });
  }
  return out;
}

const unprovenSource = (source: string) => source.startsWith('address:');

/** The refusals that say a client asks too much: 429 and 503 answers, and a full mempool. */
export function refusalCounts(samples: readonly Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    let key: string | undefined;
    if (s.name === 'pujiang_api_requests_total' && (s.labels.status === '429' || s.labels.status === '503'))
      key = `api ${s.labels.status} ${s.labels.route ?? ''}`;
    else if (
      s.name === 'pujiang_txs_refused_total' &&
      /^MEMPOOL_(FULL|SENDER_FULL)$/.test(s.labels.code ?? '')
    )
      key = `mempool ${s.labels.code}`;
    if (key) out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}

/**
 * API abuse: refusals per minute on a node since the previous poll, past `perMinute`. Per
 * client quotas come with the admission issue; until then the node's refusals are what
 * can be watched.
 */
export function abuseFinding(
  url: string,
  now: Record<string, number>,
  before: Record<string, number>,
  elapsedMs: number,
  perMinute: number,
): Finding | undefined {
  const delta: Record<string, number> = {};
  let total = 0;
  for (const [key, value] of Object.entries(now)) {
    const d = value - (before[key] ?? 0);
    if (d > 0) {
      delta[key] = d;
      total += d;
    }
  }
  const rate = elapsedMs > 0 ? (total * 60_000) / elapsedMs : 0;
  if (rate < perMinute) return undefined;
  return {
    kind: 'api-abuse',
    severity: 'warning',
    subject: { type: 'node', id: url },
    summary: `${url} refused ${Math.round(rate)} requests a minute (rate limits, busy, full mempool)`,
    evidence: { perMinute: Math.round(rate), refusals: delta, overMs: elapsedMs },
  };
}
