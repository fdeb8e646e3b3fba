/**
 * Alerts: what the monitor raises, with the data that raised it. An alert's id is its kind
 * and subject, so the same condition seen on every poll is one alert whose `lastSeen`
 * moves; a condition that is no longer seen is resolved (and raised again, as the same id,
 * if it comes back). Times are milliseconds since the epoch.
 */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_KINDS = [
  'equivocation',
  'peer-banned',
  'peer-score',
  'failed-checks',
  'missed-blocks',
  'node-unreachable',
  'certificate-expiring',
  'certificate-expired',
  'certificate-revoked',
  'ca-expiring',
  'proposal-timelock',
  'api-abuse',
  'chain-stalled',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export type SubjectType =
  | 'validator'
  | 'peer'
  | 'organization'
  | 'certificate'
  | 'proposal'
  | 'node'
  | 'chain';

export interface AlertSubject {
  readonly type: SubjectType;
  /** A stable id: a validator's or peer's address, an organization id, a certificate serial, a proposal id, a node URL. */
  readonly id: string;
  readonly name?: string;
  readonly organization?: string;
}

/** What a watcher sees now: an alert's content without its history. */
export interface Finding {
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly subject: AlertSubject;
  readonly summary: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface Alert extends Finding {
  readonly id: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly resolved: boolean;
  readonly resolvedAt?: number;
}

export type AlertChange = { readonly change: 'raised' | 'escalated' | 'resolved'; readonly alert: Alert };

export const alertId = (f: Pick<Finding, 'kind' | 'subject'>): string =>
  `${f.kind}:${f.subject.type}:${f.subject.id}`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Resolved alerts kept for the report and `/alerts` (the oldest are dropped first). */
const MAX_RESOLVED = 500;
/** Distinct subjects one kind may raise alerts for; the rest of that kind is one summary alert. */
export const MAX_SUBJECTS_PER_KIND = 25;
/** Kinds that never resolve on their own: an equivocation stays proven. Never summarized either. */
const STICKY: ReadonlySet<AlertKind> = new Set(['equivocation']);

/**
 * At most `max` subjects of each kind other than validators (those already active first,
 * then the most severe):
 * one source spraying addresses or keys cannot flood the alerts or the webhook. What is left
 * over of a kind becomes one summary alert of that kind naming how many and which.
 */
export function capFindings(
  findings: readonly Finding[],
  isActive: (id: string) => boolean,
  max: number,
): Finding[] {
  const byKind = new Map<AlertKind, Finding[]>();
  const out: Finding[] = [];
  // Validators are bounded by the set (no one can spray them) and the risk report needs each.
  for (const f of findings)
    if (f.subject.type === 'validator') out.push(f);
    else byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  for (const [kind, list] of byKind) {
    if (list.length <= max || STICKY.has(kind)) {
      out.push(...list);
      continue;
    }
    const ranked = [...list].sort(
      (a, b) =>
        Number(isActive(alertId(b))) - Number(isActive(alertId(a))) || RANK[b.severity] - RANK[a.severity],
    );
    const kept = ranked.slice(0, max - 1);
    const rest = ranked.slice(max - 1);
    const severity = rest.reduce<Severity>((s, f) => (RANK[f.severity] > RANK[s] ? f.severity : s), 'info');
    out.push(...kept, {
      kind,
      severity,
      subject: { type: 'chain', id: `more-${kind}` },
      summary: `${rest.length} more ${kind} alerts (only ${max - 1} are raised one by one)`,
      evidence: {
        unproven: true,
        omitted: rest.length,
        subjects: rest.slice(0, 100).map((f) => ({ ...f.subject, severity: f.severity, summary: f.summary })),
      },
    });
  }
  return out;
}

/**
 * The alerts of one monitor. Each watcher reports all it sees on every poll (`update`);
 * alerts it raised before and no longer reports are resolved (except equivocations, which
 * stay). Each kind raises at most `maxSubjectsPerKind` subjects, the rest summarized in one
 * alert. Changes (raised, escalated, resolved) are returned for the webhook.
 */
export class AlertBook {
  private readonly alerts = new Map<string, Alert & { readonly watcher: string }>();
  /** Alerts raised since the monitor started, by kind (the raised counter's source). */
  readonly raisedByKind = new Map<AlertKind, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxSubjectsPerKind = MAX_SUBJECTS_PER_KIND,
  ) {}

  update(watcher: string, findings: readonly Finding[]): AlertChange[] {
    const at = this.now();
    const changes: AlertChange[] = [];
    const seen = new Set<string>();
    const capped = capFindings(
      findings,
      (id) => this.alerts.get(id)?.resolved === false,
      this.maxSubjectsPerKind,
    );
    for (const f of capped) {
      const id = alertId(f);
      if (seen.has(id)) continue;
      seen.add(id);
      const old = this.alerts.get(id);
      const fresh = !old || old.resolved;
      const alert = {
        ...f,
        id,
        watcher,
        firstSeen: fresh ? at : old.firstSeen,
        lastSeen: at,
        resolved: false,
      };
      this.alerts.delete(id); // re-inserted last: the map's order is the order of the latest change
      this.alerts.set(id, alert);
      if (fresh) {
        this.raisedByKind.set(f.kind, (this.raisedByKind.get(f.kind) ?? 0) + 1);
        changes.push({ change: 'raised', alert: publicAlert(alert) });
      } else if (RANK[f.severity] > RANK[old.severity])
        changes.push({ change: 'escalated', alert: publicAlert(alert) });
    }
    for (const [id, alert] of this.alerts)
      if (alert.watcher === watcher && !alert.resolved && !seen.has(id) && !STICKY.has(alert.kind)) {
        const resolved = { ...alert, resolved: true, resolvedAt: at };
        this.alerts.set(id, resolved);
        changes.push({ change: 'resolved', alert: publicAlert(resolved) });
      }
    this.trim();
    return changes;
  }

  /** Every alert, active first, then resolved, newest change first within each. */
  list(): Alert[] {
    const all = [...this.alerts.values()].reverse().map(publicAlert);
    return [...all.filter((a) => !a.resolved), ...all.filter((a) => a.resolved)];
  }

  active(): Alert[] {
    return this.list().filter((a) => !a.resolved);
  }

  private trim(): void {
    const resolved = [...this.alerts].filter(([, a]) => a.resolved);
    for (const [id] of resolved.slice(0, Math.max(0, resolved.length - MAX_RESOLVED))) this.alerts.delete(id);
  }
}

function publicAlert(a: Alert & { readonly watcher?: string }): Alert {
  const { watcher: _watcher, ...alert } = a;
  return alert;
}
