// `@pujiang/monitor`: the security monitor (alerts with evidence, Prometheus metrics, webhook, risk
// reports). `./cli` is `pujiang monitor`. docs/monitoring.md
export type {
  Alert,
  AlertChange,
  AlertKind,
  AlertSubject,
  Finding,
  Severity,
  SubjectType,
} from './alerts.js';
export { ALERT_KINDS, AlertBook, alertId, capFindings, MAX_SUBJECTS_PER_KIND, SEVERITIES } from './alerts.js';
export type { CertificateFields } from './certificate-fields.js';
export { certificateFields, pemCertificates } from './certificate-fields.js';
export type { EvidenceCheck } from './evidence-check.js';
export { checkEvidence } from './evidence-check.js';
export type { EvidenceJson, GovernanceView, MemberCertificate, OrganizationView } from './governance-view.js';
export { MonitorMetrics } from './metrics.js';
export type { AlertsResponse, MonitorOptions } from './monitor.js';
export { Monitor, medianNode } from './monitor.js';
export type { Sample } from './prometheus-text.js';
export { familyNames, parseSamples } from './prometheus-text.js';
export type { RiskEntry, RiskReason, RiskReport } from './risk.js';
export { riskHtml, riskReport } from './risk.js';
export { MonitorServer } from './server.js';
export { SIGNATURE_HEADER, Webhook, webhookSignature } from './webhook.js';
