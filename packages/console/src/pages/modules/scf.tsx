import {
  banksAnswer,
  banksKey,
  type CreditLineJson,
  civilDate,
  creditLineAnswer,
  creditLineKey,
  invoiceAnswer,
  invoiceKey,
  type ReceivableJson,
  receivableAnswer,
  receivableKey,
  SCF_MODULE,
} from '@pujiang/module-scf';
import { digestDocument } from '@pujiang/sdk/verify';
import { bytesToHex } from '@pujiang/types';
import { useState } from 'preact/hooks';
import { replayEvents } from '../../chain/event-replay.js';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { FileDrop } from '../../components/file-drop.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Fields, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { BanksList, useProvenBanks } from './banks-list.js';
import { GenericModulePage } from './generic.js';
import { type ProvenRecord, provenRecord } from './proven-record.js';
import type { ModulePageProps } from './registry.js';
import { type ReceivableFinding, ReceivableView } from './scf-receivable.js';
import { amountText, normalHex } from './trade-format.js';

const RECENT_SHOWN = 20;

type Lookup<T> = { loading: true } | { error: unknown } | (ProvenRecord<T> & { finding: ReceivableFinding });

const receivableQuery = (id: string) => ({
  module: SCF_MODULE,
  name: 'receivable',
  params: { id },
  required: [receivableKey(id)],
  rebuild: (read: (key: string) => Uint8Array | undefined) => receivableAnswer(read, id),
  fromNode: (result: unknown) => (result as { receivable: ReceivableJson | null }).receivable,
});

const invoiceQuery = (digest: string) => ({
  module: SCF_MODULE,
  name: 'invoice',
  params: { digest },
  required: [invoiceKey(digest)],
  rebuild: (read: (key: string) => Uint8Array | undefined) => invoiceAnswer(read, digest),
  fromNode: (result: unknown) => (result as { receivable: ReceivableJson | null }).receivable,
});

/** The receivables confirmed lately, from the module's `confirmed` events, each opened by a proven lookup. */
function RecentReceivables({ onShow }: { onShow: (id: string) => void }) {
  const { t, lang } = useI18n();
  const { client } = useConnection();
  const recent = useAsync(() => replayEvents(client, { module: SCF_MODULE, type: 'confirmed' }), []);
  return (
    <Section title={t('scf.recent')}>
      {recent.error ? (
        <ErrorNote error={recent.error} />
      ) : !recent.data ? (
        <Loading />
      ) : (
        <>
          <Table
            caption={t('scf.recent')}
            head={[t('scf.receivable'), t('scf.amount'), t('scf.dueDate'), t('modules.height')]}
            rows={recent.data.events
              .slice(-RECENT_SHOWN)
              .reverse()
              .map(({ event: e, height }) => {
                const id = e.attributes.id ?? '';
                return [
                  <button type="button" class="linklike" onClick={() => onShow(id)}>
                    <span class="sr-only">{t('scf.show')} </span>
                    <Hex value={id} />
                  </button>,
                  amountText(e.attributes.amount ?? '', e.attributes.denom ?? '', lang),
                  e.attributes.dueDay ? civilDate(BigInt(e.attributes.dueDay)) : '—',
                  height,
                ];
              })}
            empty={t('scf.noRecent')}
          />
          {!recent.data.complete && <p class="muted">{t('xchain.partial')}</p>}
        </>
      )}
    </Section>
  );
}

/** A buyer's credit line in a denomination: which bank granted it, its limit and what is outstanding. */
function CreditLineLookup() {
  const { t, lang } = useI18n();
  const { light } = useConnection();
  const [buyer, setBuyer] = useState('');
  const [denom, setDenom] = useState('native');
  const [line, setLine] = useState<
    { loading: true } | { error: unknown } | ProvenRecord<CreditLineJson | null>
  >();
  const find = async () => {
    setLine({ loading: true });
    const b = normalHex(buyer);
    const d = denom.trim();
    try {
      setLine(
        await provenRecord(light, {
          module: SCF_MODULE,
          name: 'creditLine',
          params: { buyer: b, denom: d },
          required: [creditLineKey(b, d)],
          rebuild: (read) => creditLineAnswer(read, b, d),
          fromNode: (result) => (result as { line: CreditLineJson | null }).line,
        }),
      );
    } catch (error) {
      setLine({ error });
    }
  };
  const title = t('scf.lineTitle');
  return (
    <Section title={title} actions={line && 'proof' in line ? <ProofBadge proof={line.proof} /> : undefined}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <div class="field-row">
          <label for="scf-line-buyer">{t('scf.buyer')}</label>
          <input
            id="scf-line-buyer"
            class="wide"
            required
            pattern="(0x)?[0-9a-fA-F]{42}"
            value={buyer}
            onInput={(e) => setBuyer(e.currentTarget.value)}
          />
        </div>
        <div class="field-row">
          <label for="scf-line-denom">{t('scf.denom')}</label>
          <input
            id="scf-line-denom"
            required
            value={denom}
            onInput={(e) => setDenom(e.currentTarget.value)}
          />
        </div>
        <button type="submit">{t('scf.findLine')}</button>
      </form>
      {line && 'loading' in line && <Loading />}
      {line && 'error' in line && <ErrorNote error={line.error} />}
      {line &&
        'proof' in line &&
        (line.value ? (
          <div data-line={line.value.org}>
            <Fields
              rows={[
                [t('scf.lineOrg'), line.value.org],
                [t('scf.limit'), amountText(line.value.limit, line.value.denom, lang)],
                [
                  t('scf.outstanding'),
                  <span data-field="outstanding">
                    {amountText(line.value.outstanding, line.value.denom, lang)}
                  </span>,
                ],
                [
                  t('scf.available'),
                  amountText(
                    String(
                      BigInt(line.value.limit) > BigInt(line.value.outstanding)
                        ? BigInt(line.value.limit) - BigInt(line.value.outstanding)
                        : 0n,
                    ),
                    line.value.denom,
                    lang,
                  ),
                ],
              ]}
            />
          </div>
        ) : (
          <p role="status" data-line="none">
            {t('scf.noLine')}
          </p>
        ))}
    </Section>
  );
}

/**
 * Supply-chain finance: a receivable found by its id or by its invoice file (hashed in the
 * page), rebuilt with its parts from proven state; a buyer's credit line; the banks.
 */
export function ScfPage({ module }: ModulePageProps) {
  const { t } = useI18n();
  const { light } = useConnection();
  const [id, setId] = useState('');
  const [found, setFound] = useState<Lookup<ReceivableJson | null>>();
  const banks = useProvenBanks(SCF_MODULE, banksKey, banksAnswer);
  const lookup = async (finding: ReceivableFinding) => {
    setFound({ loading: true });
    try {
      const record =
        finding.by === 'id'
          ? await provenRecord(light, receivableQuery(finding.id))
          : await provenRecord(light, invoiceQuery(finding.digest));
      setFound({ ...record, finding });
    } catch (error) {
      setFound({ error });
    }
  };
  const byId = (value: string) => {
    setId(value);
    void lookup({ by: 'id', id: normalHex(value) });
  };
  const byInvoice = async (files: readonly File[]) => {
    const file = files[0]!;
    try {
      const digest = bytesToHex(digestDocument('sha256', new Uint8Array(await file.arrayBuffer())));
      await lookup({ by: 'invoice', digest, file: file.name });
    } catch (error) {
      setFound({ error });
    }
  };
  return (
    <>
      <Section title={t('scf.findTitle')}>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            byId(id);
          }}
        >
          <label for="scf-id">{t('scf.id')}</label>
          <input
            id="scf-id"
            class="wide"
            required
            pattern="(0x)?[0-9a-fA-F]{64}"
            value={id}
            onInput={(e) => setId(e.currentTarget.value)}
          />
          <button type="submit">{t('scf.find')}</button>
        </form>
        <div class="scf-invoice">
          <FileDrop
            id="scf-invoice"
            region={t('scf.invoiceZone')}
            label={t('scf.invoiceFile')}
            hint={t('scf.invoiceHint')}
            onFiles={(files) => void byInvoice(files)}
          />
        </div>
      </Section>
      {found && 'loading' in found && <Loading />}
      {found && 'error' in found && <ErrorNote error={found.error} />}
      {found && 'proof' in found && (
        <ReceivableView
          receivable={found.value}
          proof={found.proof as Proof}
          finding={found.finding}
          {...(found.header ? { headerTime: found.header.header.time } : {})}
        />
      )}
      <RecentReceivables onShow={byId} />
      <CreditLineLookup />
      <BanksList module={SCF_MODULE} title={t('scf.banks')} banks={banks} />
      <GenericModulePage module={module} />
    </>
  );
}
