import {
  type AmendmentJson,
  type CreditJson,
  formatSwiftAmount,
  isoFromDay,
  type Mt700Terms,
  type PresentationJson,
  parseMt700,
} from '@pujiang/module-lc';
import { useMemo } from 'preact/hooks';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { Fields, formatTime, Hex, Section, Table } from '../../components/ui.js';
import { type I18n, useI18n } from '../../i18n/index.js';
import { downloadText } from './proven-record.js';
import { amountText } from './trade-format.js';

/** A credit, rebuilt from proven state, with its latest amendments and presentations (newest first). */
export interface CreditFinding {
  readonly credit: CreditJson;
  readonly amendments: readonly AmendmentJson[];
  readonly presentations: readonly PresentationJson[];
}

/** The MT700's terms, read back from the text the chain keeps (it only keeps canonical text). */
function termsOf(mt700: string): Mt700Terms | undefined {
  try {
    return parseMt700(mt700).terms;
  } catch {
    return undefined;
  }
}

const lines = (list: readonly string[]) => (
  <span class="lines">
    {list.map((l, i) => (
      <span key={i}>{l}</span>
    ))}
  </span>
);

function List({ items, testid }: { items: readonly string[]; testid?: string }) {
  if (items.length === 0) return <>—</>;
  return (
    <ul class="plain tight" {...(testid ? { 'data-testid': testid } : {})}>
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

function amendmentChanges(t: I18n['t'], a: AmendmentJson, denom: string, lang: string): string[] {
  const changes: string[] = [];
  if (a.amount !== null) changes.push(t('lc.changeAmount', { amount: amountText(a.amount, denom, lang) }));
  if (a.tolerance !== null) changes.push(t('lc.changeTolerance', a.tolerance));
  if (a.expiryDay !== null) changes.push(t('lc.changeExpiry', { date: isoFromDay(a.expiryDay) }));
  if (a.latestShipmentDay !== null)
    changes.push(t('lc.changeShipment', { date: isoFromDay(a.latestShipmentDay) }));
  if (a.presentationDays !== null) changes.push(t('lc.changePeriod', { days: a.presentationDays }));
  return changes;
}

function Amendments({ list, denom }: { list: readonly AmendmentJson[]; denom: string }) {
  const { t, lang } = useI18n();
  return (
    <Table
      caption={t('lc.amendments')}
      head={[t('lc.seq'), t('lc.status'), t('lc.changes'), t('modules.height')]}
      rows={list.map((a) => [
        a.seq,
        <span class={`status status-${a.status}`} data-amendment={a.seq} data-status={a.status}>
          {t(`lc.amendmentStatus.${a.status}`)}
        </span>,
        <List items={amendmentChanges(t, a, denom, lang)} />,
        a.height,
      ])}
      empty={t('lc.noAmendments')}
    />
  );
}

function Presentations({ list, denom }: { list: readonly PresentationJson[]; denom: string }) {
  const { t, lang } = useI18n();
  return (
    <Table
      caption={t('lc.presentations')}
      head={[
        t('lc.seq'),
        t('lc.status'),
        t('lc.amount'),
        t('lc.presentedAt'),
        t('lc.deadline'),
        t('lc.documents'),
        t('lc.found'),
        t('lc.notice'),
        t('lc.precluded'),
      ]}
      rows={list.map((p) => [
        p.seq,
        <span class={`status status-${p.status}`} data-presentation={p.seq} data-status={p.status}>
          {t(`lc.presentationStatus.${p.status}`)}
        </span>,
        amountText(p.amount, denom, lang),
        formatTime(p.time, lang),
        p.deadlineDate ? (
          <span data-field="deadline">
            {p.deadlineDate} <span class="muted small">{t('lc.endOfDay')}</span>
          </span>
        ) : (
          t('lc.noDeadlineYet')
        ),
        <List
          items={p.documents.map(
            (d) => `${t(`lc.doc.${d.kind}`)} (${t(`lc.source.${d.source}`)} ${d.ref.slice(0, 10)}…)`,
          )}
        />,
        <List items={p.found} testid="lc-found" />,
        p.noticeAt === null ? (
          '—'
        ) : (
          <>
            <span class="small muted">{formatTime(p.noticeAt, lang)}</span>
            <List items={p.notice} testid="lc-notice" />
          </>
        ),
        p.precluded ? <strong class="warn">{t('common.yes')}</strong> : t('common.no'),
      ])}
      empty={t('lc.noPresentations')}
    />
  );
}

/** A letter of credit: parties, status, amounts, dates and documents, the MT700 it was issued with, its amendments and presentations. */
export function CreditView({ found, proof }: { found: CreditFinding; proof: Proof }) {
  const { t, lang } = useI18n();
  const c = found.credit;
  const terms = useMemo(() => termsOf(c.mt700), [c.mt700]);
  const swift = (minor: string) => {
    try {
      return terms ? ` (${terms.currency} ${formatSwiftAmount(BigInt(minor), terms.currency)})` : '';
    } catch {
      return '';
    }
  };
  const name = c.number || c.id.slice(0, 12);
  return (
    <Section title={t('lc.creditTitle', { name })} actions={<ProofBadge proof={proof} />}>
      <div data-credit={c.id}>
        <Fields
          rows={[
            [t('lc.number'), c.number || t('lc.notIssued')],
            [
              t('lc.status'),
              <span class={`status status-${c.status}`} data-status={c.status}>
                {t(`lc.creditStatus.${c.status}`)}
                {c.closeReason ? ` (${t(`lc.closeReason.${c.closeReason}`)})` : ''}
              </span>,
            ],
            [t('lc.rules'), c.eucp ? 'eUCP 2.0' : 'UCP 600'],
            [
              t('lc.applicant'),
              <>
                {c.applicantOrg}
                {terms ? lines(terms.applicant) : ''}
              </>,
            ],
            [
              t('lc.beneficiary'),
              <>
                {<Hex value={c.beneficiary} />}
                {terms ? lines(terms.beneficiary) : ''}
              </>,
            ],
            [
              t('lc.issuingBank'),
              <>
                {c.issuingOrg}
                {c.issuedBy ? (
                  <>
                    {' '}
                    · <Hex value={c.issuedBy} />
                  </>
                ) : (
                  ''
                )}
              </>,
            ],
            [t('lc.advisingBank'), c.advisingOrg],
            [
              t('lc.approvals'),
              <List
                items={[
                  `${t('lc.maker')} ${c.maker.slice(0, 10)}…`,
                  `${t('lc.checker')} ${c.checker ? `${c.checker.slice(0, 10)}…` : '—'}`,
                  `${t('lc.approver')} ${c.approver ? `${c.approver.slice(0, 10)}…` : '—'}`,
                ]}
              />,
            ],
            [
              t('lc.amount'),
              <span data-field="amount">
                {amountText(c.amount, c.denom, lang)}
                {swift(c.amount)}
              </span>,
            ],
            [t('lc.tolerance'), t('lc.toleranceText', c.tolerance)],
            [t('lc.max'), <span data-field="max">{amountText(c.max, c.denom, lang)}</span>],
            [t('lc.drawn'), <span data-field="drawn">{amountText(c.drawn, c.denom, lang)}</span>],
            [t('lc.escrowed'), <span data-field="escrowed">{amountText(c.escrowed, c.denom, lang)}</span>],
            [t('lc.expiry'), <span data-field="expiry">{c.expiryDate}</span>],
            [t('lc.latestShipment'), c.latestShipmentDay === null ? '—' : isoFromDay(c.latestShipmentDay)],
            [t('lc.period'), t('lc.periodText', { days: c.presentationDays })],
            [t('lc.tenor'), c.tenorDays === 0 ? t('lc.atSight') : t('lc.tenorText', { days: c.tenorDays })],
            [t('lc.partial'), c.partialAllowed ? t('common.yes') : t('common.no')],
            [t('lc.calendar'), c.calendar],
            [t('lc.required'), <List items={c.required.map((k) => t(`lc.doc.${k}`))} testid="lc-required" />],
          ]}
        />
        <div class="card-head">
          <h3>{t('lc.mt700')}</h3>
          <button
            type="button"
            class="secondary"
            onClick={() => downloadText(`MT700-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.txt`, c.mt700)}
          >
            {t('lc.download')}
          </button>
        </div>
        <pre class="json mt700" data-testid="lc-mt700">
          {c.mt700}
        </pre>
        <h3>{t('lc.amendments')}</h3>
        <Amendments list={found.amendments} denom={c.denom} />
        <h3>{t('lc.presentations')}</h3>
        <Presentations list={found.presentations} denom={c.denom} />
      </div>
    </Section>
  );
}
