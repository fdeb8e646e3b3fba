import type { Alert, Severity } from './alerts.js';
import type { MissedBlocks, ValidatorName } from './watch/liveness.js';

/**
 * The risk report: each validator and organization scored 0-100 from the alerts about it
 * (active ones in full, those resolved within the last day at half) and its share of missed
 * blocks, with every reason that counted and the evidence behind it.
 */
export interface RiskReason {
  readonly kind: string;
  readonly severity: Severity;
  readonly points: number;
  readonly summary: string;
  readonly alertId: string | null;
  readonly active: boolean;
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface RiskEntry {
  readonly subject: {
    readonly type: 'validator' | 'organization';
    readonly id: string;
    readonly name: string;
    readonly organization: string | null;
  };
  readonly score: number;
  readonly level: 'low' | 'medium' | 'high';
  readonly reasons: readonly RiskReason[];
}

export interface RiskReport {
  readonly generatedAt: number;
  readonly chainId: string | null;
  readonly height: number;
  readonly window: number;
  readonly validators: readonly RiskEntry[];
  readonly organizations: readonly RiskEntry[];
}

const POINTS: Record<Severity, number> = { info: 5, warning: 15, critical: 40 };
const RESOLVED_WINDOW_MS = 86_400_000;

export interface RiskInputs {
  readonly now: number;
  readonly chainId: string | null;
  readonly height: number;
  readonly window: number;
  readonly validators: readonly ValidatorName[];
  readonly organizations: readonly string[];
  readonly alerts: readonly Alert[];
  readonly missed: readonly MissedBlocks[];
}

/** Which validator an alert is about, if any: by subject, or by the node or peer address it names. */
function validatorOf(a: Alert, validators: ReadonlySet<string>): string | undefined {
  if (validators.has(a.subject.id)) return a.subject.id;
  const address = a.evidence.validatorAddress;
  return typeof address === 'string' && validators.has(address) ? address : undefined;
}

function reasonOf(a: Alert): RiskReason {
  const points = a.resolved ? POINTS[a.severity] / 2 : POINTS[a.severity];
  return {
    kind: a.kind,
    severity: a.severity,
    points,
    summary: a.summary,
    alertId: a.id,
    active: !a.resolved,
    evidence: a.evidence,
  };
}

const level = (score: number): RiskEntry['level'] => (score >= 60 ? 'high' : score >= 25 ? 'medium' : 'low');
const total = (reasons: readonly RiskReason[]) =>
  Math.min(100, Math.round(reasons.reduce((sum, r) => sum + r.points, 0)));

export function riskReport(i: RiskInputs): RiskReport {
  // An unproven alert (a handshake failure by address, evidence the monitor could not verify,
  // a summary of many) says nothing a validator or organization can be held to.
  const counted = i.alerts.filter(
    (a) => a.evidence.unproven !== true && (!a.resolved || i.now - (a.resolvedAt ?? 0) <= RESOLVED_WINDOW_MS),
  );
  const addresses = new Set(i.validators.map((v) => v.address));
  const validators = i.validators.map((v): RiskEntry => {
    const reasons = counted.filter((a) => validatorOf(a, addresses) === v.address).map(reasonOf);
    const m = i.missed.find((x) => x.address === v.address);
    if (m && m.missed > 0)
      reasons.push({
        kind: 'missed-blocks-share',
        severity: m.missed === m.of ? 'critical' : 'info',
        points: Math.round((30 * m.missed) / Math.max(1, m.of)),
        summary: `missed ${m.missed} of the last ${m.of} blocks`,
        alertId: null,
        active: true,
        evidence: {
          missed: m.missed,
          window: m.of,
          lastSigned: m.lastSigned,
          missedHeights: m.missedHeights,
        },
      });
    const score = total(reasons);
    return {
      subject: { type: 'validator', id: v.address, name: v.name, organization: v.organization ?? null },
      score,
      level: level(score),
      reasons,
    };
  });
  const orgIds = [
    ...new Set([
      ...i.organizations,
      ...i.validators.flatMap((v) => (v.organization ? [v.organization] : [])),
    ]),
  ];
  const organizations = orgIds.map((org): RiskEntry => {
    const own = counted
      .filter((a) => validatorOf(a, addresses) === undefined && a.subject.organization === org)
      .map(reasonOf);
    // An organization carries its validators' risk: the worst validator's score, as one reason.
    const worst = validators
      .filter((v) => v.subject.organization === org && v.score > 0)
      .sort((a, b) => b.score - a.score)[0];
    const reasons = worst
      ? [
          ...own,
          {
            kind: 'validator-risk',
            severity: (worst.level === 'high'
              ? 'critical'
              : worst.level === 'medium'
                ? 'warning'
                : 'info') as Severity,
            points: worst.score,
            summary: `its validator ${worst.subject.name} scores ${worst.score}`,
            alertId: null,
            active: true,
            evidence: { validator: worst.subject.id, reasons: worst.reasons.map((r) => r.summary) },
          },
        ]
      : own;
    const score = total(reasons);
    return {
      subject: { type: 'organization', id: org, name: org, organization: org },
      score,
      level: level(score),
      reasons,
    };
  });
  const byScore = (a: RiskEntry, b: RiskEntry) =>
    b.score - a.score || a.subject.name.localeCompare(b.subject.name);
  return {
    generatedAt: i.now,
    chainId: i.chainId,
    height: i.height,
    window: i.window,
    validators: validators.sort(byScore),
    organizations: organizations.sort(byScore),
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A printable page of the report: a table per subject type, each entry's reasons listed under it. */
export function riskHtml(r: RiskReport): string {
  const section = (title: string, entries: readonly RiskEntry[]) => `
<h2>${escapeHtml(title)}</h2>
<table>
<thead><tr><th scope="col">Subject</th><th scope="col">Organization</th><th scope="col">Score</th><th scope="col">Level</th><th scope="col">Reasons</th></tr></thead>
<tbody>
${entries
  .map(
    (e) =>
      `<tr class="${e.level}"><td>${escapeHtml(e.subject.name)}<br><code>${escapeHtml(e.subject.id)}</code></td><td>${escapeHtml(e.subject.organization ?? '')}</td><td>${e.score}</td><td>${e.level}</td><td>${
        e.reasons.length === 0
          ? 'none'
          : `<ul>${e.reasons
              .map(
                (reason) =>
                  `<li><strong>${escapeHtml(reason.kind)}</strong> (${reason.severity}, ${reason.points} points${reason.active ? '' : ', resolved'}): ${escapeHtml(reason.summary)}<details><summary>evidence</summary><pre>${escapeHtml(JSON.stringify(reason.evidence, null, 2))}</pre></details></li>`,
              )
              .join('')}</ul>`
      }</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pujiang risk report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { border: 1px solid #999; padding: 4px 8px; text-align: left; vertical-align: top; }
tr.high td:nth-child(4) { background: #fdd; } tr.medium td:nth-child(4) { background: #ffd; }
pre { white-space: pre-wrap; font-size: 12px; }
@media print { details { display: none; } }
</style></head>
<body>
<h1>Pujiang risk report</h1>
<p>Chain ${escapeHtml(r.chainId ?? 'unknown')}, height ${r.height}, generated ${escapeHtml(new Date(r.generatedAt).toISOString())}; missed blocks over the last ${r.window} blocks.</p>
${section('Validators', r.validators)}
${section('Organizations', r.organizations)}
</body></html>
`;
}
