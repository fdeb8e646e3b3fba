import { dayOf, type PartJson, type ReceivableJson } from '@pujiang/module-scf';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { Fields, formatTime, Hex, Section, Table } from '../../components/ui.js';
import { type I18n, useI18n } from '../../i18n/index.js';
import { amountText } from './trade-format.js';

/** How far the due day is from the day of the proven header (Asia/Shanghai days, as the module counts). */
function dueWhen(t: I18n['t'], dueDay: number, headerTime: bigint | undefined): string {
  if (headerTime === undefined) return '';
  const days = dueDay - Number(dayOf(headerTime));
  if (days === 0) return t('scf.dueToday');
  return days > 0 ? t('scf.dueIn', { n: days }) : t('scf.dueAgo', { n: -days });
}

function PartsTable({ parts, denom }: { parts: readonly PartJson[]; denom: string }) {
  const { t, lang } = useI18n();
  return (
    <Table
      caption={t('scf.parts')}
      head={[
        t('scf.part'),
        t('scf.holder'),
        t('scf.amount'),
        t('scf.paid'),
        t('scf.state'),
        t('scf.pledge'),
        t('scf.request'),
      ]}
      rows={parts.map((p) => [
        <span data-part={p.id}>
          <Hex value={p.id} />
        </span>,
        <Hex value={p.holder} />,
        amountText(p.amount, denom, lang),
        amountText(p.paid, denom, lang),
        <span class={`status status-${p.state}`} data-state={p.state}>
          {t(`scf.partState.${p.state}`)}
        </span>,
        p.pledge ? (
          <span data-pledge={p.pledge.org}>
            {t('scf.pledgeText', {
              org: p.pledge.org,
              advance: amountText(p.pledge.advance, denom, lang),
              height: p.pledge.height,
            })}
          </span>
        ) : (
          '—'
        ),
        p.request ? (
          <span data-request={p.request.org}>
            {t('scf.requestText', {
              org: p.request.org,
              advance: amountText(p.request.advance, denom, lang),
            })}
          </span>
        ) : (
          '—'
        ),
      ])}
      empty={t('scf.noParts')}
    />
  );
}

/** What a receivable lookup found: a receivable with its parts, or its proven absence. */
export type ReceivableFinding =
  | { readonly by: 'id'; readonly id: string }
  | { readonly by: 'invoice'; readonly digest: string; readonly file?: string };

/** A receivable as rebuilt from proven state: its debt, due date and status, and the parts that hold it. */
export function ReceivableView({
  receivable,
  proof,
  headerTime,
  finding,
}: {
  receivable: ReceivableJson | null;
  proof: Proof;
  headerTime?: bigint;
  finding: ReceivableFinding;
}) {
  const { t, lang } = useI18n();
  const title = t('scf.receivable');
  if (!receivable)
    return (
      <Section title={title} actions={<ProofBadge proof={proof} />}>
        {finding.by === 'invoice' ? (
          <div class="verdict verdict-ok" role="status" data-invoice="free">
            <p>
              <strong>{t('scf.invoiceFree')}</strong>
            </p>
            <p class="small">
              {finding.file ? `${finding.file} · ` : ''}SHA-256 <Hex value={finding.digest} chars={32} />
            </p>
          </div>
        ) : (
          <p role="status" data-receivable="none">
            {t('scf.noReceivable', { id: finding.id })}
          </p>
        )}
      </Section>
    );
  const r = receivable;
  const when = dueWhen(t, r.dueDay, headerTime);
  return (
    <Section title={title} actions={<ProofBadge proof={proof} />}>
      <div data-receivable={r.id}>
        {finding.by === 'invoice' && (
          <p class="verdict verdict-warn" role="status" data-invoice="used">
            {t('scf.invoiceUsed')}
          </p>
        )}
        <Fields
          rows={[
            [t('scf.id'), <Hex value={r.id} chars={32} />],
            [t('scf.reference'), r.reference],
            [t('scf.debtor'), <Hex value={r.debtor} />],
            [t('scf.creditor'), <Hex value={r.creditor} />],
            [t('scf.amount'), <span data-field="amount">{amountText(r.amount, r.denom, lang)}</span>],
            [t('scf.paid'), <span data-field="paid">{amountText(r.paid, r.denom, lang)}</span>],
            [
              t('scf.dueDate'),
              <span data-field="due">
                {r.dueDate}
                {when ? ` (${when})` : ''}
              </span>,
            ],
            [
              t('scf.status'),
              <span class={`status status-${r.status}`} data-status={r.status}>
                {t(`scf.receivableStatus.${r.status}`)}
              </span>,
            ],
            [t('scf.lineOrg'), r.lineOrg],
            [t('scf.invoice'), <Hex value={r.invoiceDigest} chars={16} />],
            [
              t('scf.delivery'),
              r.deliveryDigests.length === 0 ? (
                '—'
              ) : (
                <ul class="plain digest-list">
                  {r.deliveryDigests.map((d) => (
                    <li key={d}>
                      <Hex value={d} chars={16} />
                    </li>
                  ))}
                </ul>
              ),
            ],
            [t('scf.anchor'), <Hex value={r.anchorRoot} chars={16} />],
            [
              t('scf.confirmedAt'),
              t('scf.confirmedText', { height: r.height, time: formatTime(r.time, lang) }),
            ],
          ]}
        />
        <h3>{t('scf.parts')}</h3>
        <PartsTable parts={r.parts} denom={r.denom} />
      </div>
    </Section>
  );
}
