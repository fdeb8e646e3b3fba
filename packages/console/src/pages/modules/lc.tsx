import {
  type AmendmentJson,
  amendmentAnswer,
  amendmentKey,
  banksKey,
  type CreditJson,
  creditAnswer,
  creditByNumberAnswer,
  creditKey,
  LC_MODULE,
  lcBanksAnswer,
  numberKey,
  type PresentationJson,
  presentationAnswer,
  presentationKey,
} from '@pujiang/module-lc';
import type { LightClient } from '@pujiang/sdk/browser';
import { useState } from 'preact/hooks';
import { replayEvents } from '../../chain/event-replay.js';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { BanksList, useProvenBanks } from './banks-list.js';
import { GenericModulePage } from './generic.js';
import { CalendarSection } from './lc-calendar.js';
import { type CreditFinding, CreditView } from './lc-credit.js';
import { jointProof, provenRecord } from './proven-record.js';
import type { ModulePageProps } from './registry.js';
import { lastSeqs, normalHex } from './trade-format.js';

/** How many of a credit's latest amendments and presentations the page proves and shows. */
const LATEST = 20;
const RECENT_SHOWN = 20;

type CreditRef = { readonly id: string } | { readonly org: string; readonly number: string };

/**
 * A credit with its latest amendments and presentations, every record rebuilt from reads proven
 * under the same certified header as the credit's (null: proven absent).
 */
async function loadCredit(
  light: LightClient,
  ref: CreditRef,
): Promise<{ found: CreditFinding | null; proof: Proof }> {
  const fromNode = (result: unknown) => (result as { credit: CreditJson | null }).credit;
  const first =
    'id' in ref
      ? await provenRecord(light, {
          module: LC_MODULE,
          name: 'credit',
          params: { id: ref.id },
          required: [creditKey(ref.id)],
          rebuild: (read) => creditAnswer(read, ref.id),
          fromNode,
        })
      : await provenRecord(light, {
          module: LC_MODULE,
          name: 'byNumber',
          params: { org: ref.org, number: ref.number },
          required: [numberKey(ref.org, ref.number)],
          rebuild: (read) => creditByNumberAnswer(read, ref.org, ref.number),
          fromNode,
        });
  const credit = first.value;
  if (!credit) return { found: null, proof: first.proof };
  const step = <T,>(name: 'amendment' | 'presentation', seq: number) =>
    provenRecord(
      light,
      {
        module: LC_MODULE,
        name,
        params: { id: credit.id, seq: String(seq) },
        required: [(name === 'amendment' ? amendmentKey : presentationKey)(credit.id, seq)],
        rebuild: (read) =>
          (name === 'amendment'
            ? amendmentAnswer(read, credit.id, seq)
            : presentationAnswer(read, credit.id, seq)) as T | null,
        fromNode: (result) => (result as Record<string, T | null>)[name] ?? null,
      },
      first.header,
    );
  const [amendments, presentations] = await Promise.all([
    Promise.all(lastSeqs(credit.amendments, LATEST).map((s) => step<AmendmentJson>('amendment', s))),
    Promise.all(lastSeqs(credit.presentations, LATEST).map((s) => step<PresentationJson>('presentation', s))),
  ]);
  return {
    found: {
      credit,
      amendments: amendments.flatMap((a) => (a.value ? [a.value] : [])),
      presentations: presentations.flatMap((p) => (p.value ? [p.value] : [])),
    },
    proof: jointProof([first.proof, ...amendments.map((a) => a.proof), ...presentations.map((p) => p.proof)]),
  };
}

interface RecentCredit {
  readonly id: string;
  number: string;
  readonly applicant: string;
  readonly issuing: string;
  last: string;
  height: number;
}

/** Credits drafted on this chain, from the module's events, each opened by a proven lookup. */
function RecentCredits({ onShow }: { onShow: (id: string) => void }) {
  const { t } = useI18n();
  const { client } = useConnection();
  const recent = useAsync(async () => {
    const { events, complete } = await replayEvents(client, { module: LC_MODULE });
    const credits = new Map<string, RecentCredit>();
    for (const { event: e, height } of events) {
      const id = e.attributes.id;
      if (!id) continue;
      if (e.type === 'drafted')
        credits.set(id, {
          id,
          number: '',
          applicant: e.attributes.applicantOrg ?? '',
          issuing: e.attributes.issuingOrg ?? '',
          last: e.type,
          height,
        });
      const known = credits.get(id);
      if (!known) continue;
      if (e.type === 'issued') known.number = e.attributes.number ?? '';
      known.last = e.type;
      known.height = height;
    }
    return { list: [...credits.values()].reverse().slice(0, RECENT_SHOWN), complete };
  }, []);
  return (
    <Section title={t('lc.recent')}>
      {recent.error ? (
        <ErrorNote error={recent.error} />
      ) : !recent.data ? (
        <Loading />
      ) : (
        <>
          <Table
            caption={t('lc.recent')}
            head={[t('lc.credit'), t('lc.number'), t('lc.applicant'), t('lc.issuingBank'), t('lc.lastEvent')]}
            rows={recent.data.list.map((c) => [
              <button type="button" class="linklike" onClick={() => onShow(c.id)}>
                <span class="sr-only">{t('lc.show')} </span>
                <Hex value={c.id} />
              </button>,
              c.number || '—',
              c.applicant,
              c.issuing,
              `${c.last} (${c.height})`,
            ])}
            empty={t('lc.noRecent')}
          />
          {!recent.data.complete && <p class="muted">{t('xchain.partial')}</p>}
        </>
      )}
    </Section>
  );
}

/**
 * Letters of credit: a credit found by its id or by its issuing bank and number, with its
 * MT700, amendments and presentations, all rebuilt from proven state; a bank's banking-day
 * calendar for a year; the banks.
 */
export function LcPage({ module }: ModulePageProps) {
  const { t } = useI18n();
  const { light } = useConnection();
  const banks = useProvenBanks(LC_MODULE, banksKey, lcBanksAnswer);
  const [id, setId] = useState('');
  const [org, setOrg] = useState('');
  const [number, setNumber] = useState('');
  const [shown, setShown] = useState<
    { loading: true } | { error: unknown } | { found: CreditFinding | null; proof: Proof; asked: string }
  >();
  const find = async (ref: CreditRef) => {
    setShown({ loading: true });
    try {
      const asked = 'id' in ref ? ref.id : `${ref.org} ${ref.number}`;
      setShown({ ...(await loadCredit(light, ref)), asked });
    } catch (error) {
      setShown({ error });
    }
  };
  const byId = (value: string) => {
    setId(value);
    void find({ id: normalHex(value) });
  };
  return (
    <>
      <Section title={t('lc.findTitle')}>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            byId(id);
          }}
        >
          <label for="lc-id">{t('lc.id')}</label>
          <input
            id="lc-id"
            class="wide"
            required
            pattern="(0x)?[0-9a-fA-F]{64}"
            value={id}
            onInput={(e) => setId(e.currentTarget.value)}
          />
          <button type="submit">{t('lc.findById')}</button>
        </form>
        <form
          class="row lc-by-number"
          onSubmit={(e) => {
            e.preventDefault();
            void find({ org: org.trim(), number: number.trim() });
          }}
        >
          <label for="lc-org">{t('lc.issuingBank')}</label>
          <input
            id="lc-org"
            required
            list="lc-bank-list"
            value={org}
            onInput={(e) => setOrg(e.currentTarget.value)}
          />
          <datalist id="lc-bank-list">
            {(banks.data?.value ?? []).map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
          <label for="lc-number">{t('lc.number')}</label>
          <input
            id="lc-number"
            required
            maxLength={16}
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
          <button type="submit">{t('lc.findByNumber')}</button>
        </form>
      </Section>
      {shown && 'loading' in shown && <Loading />}
      {shown && 'error' in shown && <ErrorNote error={shown.error} />}
      {shown &&
        'proof' in shown &&
        (shown.found ? (
          <CreditView found={shown.found} proof={shown.proof} />
        ) : (
          <Section title={t('lc.credit')} actions={<ProofBadge proof={shown.proof} />}>
            <p role="status" data-credit="none">
              {t('lc.noCredit', { asked: shown.asked })}
            </p>
          </Section>
        ))}
      <RecentCredits onShow={byId} />
      <CalendarSection initial="CN" />
      <BanksList module={LC_MODULE} title={t('lc.banks')} banks={banks} />
      <GenericModulePage module={module} />
    </>
  );
}
