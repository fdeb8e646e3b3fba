import { useState } from 'preact/hooks';
import { useAsync, useConnection } from '../chain/hooks.js';
import { ErrorNote, formatTime, Hex, Loading, Section, Table } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/index.js';

/** An alert as the monitor serves it (`GET /alerts`, docs/monitoring.md). */
interface MonitorAlert {
  readonly id: string;
  readonly kind: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly subject: {
    readonly type: string;
    readonly id: string;
    readonly name?: string;
    readonly organization?: string;
  };
  readonly summary: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly resolved: boolean;
}

const KINDS: Record<string, MessageKey> = {
  equivocation: 'alerts.kind.equivocation',
  'peer-banned': 'alerts.kind.peerBanned',
  'peer-score': 'alerts.kind.peerScore',
  'failed-checks': 'alerts.kind.failedChecks',
  'missed-blocks': 'alerts.kind.missedBlocks',
  'node-unreachable': 'alerts.kind.nodeUnreachable',
  'certificate-expiring': 'alerts.kind.certificateExpiring',
  'certificate-expired': 'alerts.kind.certificateExpired',
  'certificate-revoked': 'alerts.kind.certificateRevoked',
  'ca-expiring': 'alerts.kind.caExpiring',
  'proposal-timelock': 'alerts.kind.proposalTimelock',
  'api-abuse': 'alerts.kind.apiAbuse',
  'chain-stalled': 'alerts.kind.chainStalled',
};

const SEVERITY: Record<MonitorAlert['severity'], MessageKey> = {
  info: 'alerts.severity.info',
  warning: 'alerts.severity.warning',
  critical: 'alerts.severity.critical',
};

/** The security monitor's alerts (`pujiang monitor`), when this node's operator configured one. */
export function AlertsPage() {
  const { t, lang } = useI18n();
  const { settings } = useConnection();
  const [showResolved, setShowResolved] = useState(false);
  const monitor = settings.monitor;
  const alerts = useAsync<readonly MonitorAlert[]>(
    async () => {
      if (!monitor) return [];
      const response = await fetch(`${monitor}/alerts`, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`${monitor}/alerts: HTTP ${response.status}`);
      const body = (await response.json()) as { alerts?: MonitorAlert[] } | MonitorAlert[];
      return Array.isArray(body) ? body : (body.alerts ?? []);
    },
    [monitor],
    5000,
  );
  if (!monitor)
    return (
      <Section title={t('alerts.title')}>
        <p class="muted">{t('alerts.noMonitor')}</p>
      </Section>
    );
  const shown = (alerts.data ?? []).filter((a) => showResolved || !a.resolved);
  return (
    <Section
      title={t('alerts.title')}
      actions={
        <div class="row">
          <label class="row">
            <input
              type="checkbox"
              checked={showResolved}
              onChange={(e) => setShowResolved((e.currentTarget as HTMLInputElement).checked)}
            />
            {t('alerts.showResolved')}
          </label>
          <a href={`${monitor}/risk.html`} target="_blank" rel="noreferrer">
            {t('alerts.riskReport')}
          </a>
        </div>
      }
    >
      {alerts.error && !alerts.data ? (
        <ErrorNote error={alerts.error} />
      ) : !alerts.data ? (
        <Loading />
      ) : (
        <Table
          caption={t('alerts.title')}
          head={[
            t('alerts.severity'),
            t('alerts.kind'),
            t('alerts.subject'),
            t('alerts.summary'),
            t('alerts.seen'),
            t('alerts.evidence'),
          ]}
          rows={shown.map((a) => [
            <span class={`sev-${a.severity}`} data-severity={a.severity}>
              {t(SEVERITY[a.severity] ?? 'alerts.severity.info')}
              {a.resolved ? ` (${t('alerts.resolved')})` : ''}
            </span>,
            <span data-kind={a.kind}>{KINDS[a.kind] ? t(KINDS[a.kind]!) : a.kind}</span>,
            <span>
              {a.subject.name ?? (a.subject.id.length > 24 ? <Hex value={a.subject.id} /> : a.subject.id)}
              {a.subject.organization ? ` · ${a.subject.organization}` : ''}
            </span>,
            a.summary,
            `${formatTime(a.firstSeen, lang)} – ${formatTime(a.lastSeen, lang)}`,
            <details>
              <summary>{t('alerts.show')}</summary>
              <pre class="evidence">{JSON.stringify(a.evidence, null, 2)}</pre>
            </details>,
          ])}
          empty={t('alerts.none')}
        />
      )}
    </Section>
  );
}
