import type { DocumentDigest, VerifiedLineage } from '@pujiang/sdk/verify';
import { useState } from 'preact/hooks';
import { useConnection } from '../chain/hooks.js';
import {
  type AnchorRecord,
  asReceipt,
  checkReceipt,
  findAnchor,
  provenLineage,
  type ReceiptCheck,
} from '../chain/notary-checks.js';
import { FileDrop } from '../components/file-drop.js';
import { LineageGraph } from '../components/lineage-graph.js';
import { type Proof, ProofBadge } from '../components/proof-badge.js';
import { ErrorNote, Fields, formatTime, Hex, Section } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { href } from '../router.js';

interface Dropped {
  readonly file?: { name: string; content: Uint8Array };
  readonly receipt?: { name: string; json: Record<string, unknown> };
}

function ReceiptResult({ check, names }: { check: ReceiptCheck; names: string }) {
  const { t, lang } = useI18n();
  if (check.state === 'valid')
    return (
      <div class="verdict verdict-ok" role="status" data-verdict="valid">
        <p>
          <strong>✔ {t('notary.valid', { names })}</strong>
        </p>
        <Fields
          rows={[
            [t('notary.digest'), <Hex value={check.digest} chars={32} />],
            [
              t('notary.anchoredAt'),
              `${formatTime(check.time, lang)} — ${t('notary.atHeight', { height: check.height })}`,
            ],
            [
              t('notary.tx'),
              <a href={href('explorer', 'tx', check.txHash)}>
                <Hex value={check.txHash} />
              </a>,
            ],
            [t('notary.root'), <Hex value={check.root} />],
            [t('notary.owner'), check.owner || '—'],
            [t('notary.docType'), check.docType || '—'],
          ]}
        />
      </div>
    );
  if (check.state === 'pending')
    return (
      <p class="verdict verdict-warn" role="status" data-verdict="pending">
        {t('notary.pending')}
      </p>
    );
  if (check.state === 'changed')
    return (
      <div class="verdict verdict-bad" role="alert" data-verdict="changed">
        <p>
          <strong>✖ {t('notary.changed', { names })}</strong>
        </p>
        <Fields
          rows={[
            [t('notary.fileDigest'), <Hex value={check.digest} chars={32} />],
            [t('notary.receiptDigest'), <Hex value={check.expected} chars={32} />],
          ]}
        />
      </div>
    );
  const e = check.error as { check?: string; message?: string };
  return (
    <div class="verdict verdict-bad" role="alert" data-verdict="invalid">
      <p>
        <strong>✖ {t('notary.invalid', { names })}</strong>
      </p>
      <p>
        {e.check ? `${t('notary.failedCheck')}: ${e.check} — ` : ''}
        {e.message ?? String(check.error)}
      </p>
    </div>
  );
}

/**
 * Notary and trace: a file and its receipt verified offline in the browser against the
 * pinned genesis (drop them or pick them); a digest's anchor found by a proven query; an
 * asset's lineage proven and drawn as a graph.
 */
export function NotaryPage(_props: { rest: readonly string[] }) {
  const { t, lang } = useI18n();
  const { genesis, light } = useConnection();
  const [dropped, setDropped] = useState<Dropped>({});
  const [check, setCheck] = useState<ReceiptCheck>();
  const [lookup, setLookup] = useState('');
  const [algorithm, setAlgorithm] = useState<DocumentDigest>(genesis.chainHash === 'sm3' ? 'sm3' : 'sha256');
  const [anchor, setAnchor] = useState<
    { anchor: AnchorRecord | null; root: string; proof: Proof } | { error: unknown }
  >();
  const [asset, setAsset] = useState('');
  const [lineage, setLineage] = useState<
    { lineage: VerifiedLineage; proof: Proof } | { error: unknown } | { loading: true }
  >();

  const onFiles = async (files: readonly File[]) => {
    let next: Dropped = dropped;
    for (const file of files) {
      const content = new Uint8Array(await file.arrayBuffer());
      const receipt = file.size < 4_000_000 ? asReceipt(new TextDecoder().decode(content)) : undefined;
      next = receipt
        ? { ...next, receipt: { name: file.name, json: receipt } }
        : { ...next, file: { name: file.name, content } };
    }
    setDropped(next);
    setCheck(
      next.file && next.receipt ? checkReceipt(genesis, next.receipt.json, next.file.content) : undefined,
    );
  };
  const findIt = async () => {
    setAnchor(undefined);
    try {
      const found = await findAnchor(light, genesis.chainHash, lookup, algorithm);
      setAnchor({ anchor: found.anchor, root: found.root, proof: { state: 'proven', height: found.height } });
    } catch (error) {
      setAnchor({ error });
    }
  };
  const trace = async () => {
    setLineage({ loading: true });
    try {
      const verified = await provenLineage(light, asset.trim());
      setLineage({ lineage: verified, proof: { state: 'proven', height: verified.height } });
    } catch (error) {
      setLineage({ error });
    }
  };
  const names = [dropped.file?.name, dropped.receipt?.name].filter(Boolean).join(' + ');

  return (
    <div class="grid">
      <Section title={t('notary.verifyTitle')}>
        <p class="muted">{t('notary.verifyIntro')}</p>
        <FileDrop
          id="notary-files"
          region={t('notary.dropZone')}
          label={t('notary.pick')}
          hint={t('notary.dropHint')}
          onFiles={(f) => void onFiles(f)}
        />
        <ul class="plain" data-testid="dropped">
          <li>
            {t('notary.document')}: {dropped.file?.name ?? <span class="muted">{t('notary.noneYet')}</span>}
          </li>
          <li>
            {t('notary.receipt')}: {dropped.receipt?.name ?? <span class="muted">{t('notary.noneYet')}</span>}
          </li>
        </ul>
        {check && <ReceiptResult check={check} names={names} />}
        {(dropped.file || dropped.receipt) && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDropped({});
              setCheck(undefined);
            }}
          >
            {t('notary.clear')}
          </button>
        )}
      </Section>
      <Section
        title={t('notary.findTitle')}
        actions={anchor && 'proof' in anchor ? <ProofBadge proof={anchor.proof} /> : undefined}
      >
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void findIt();
          }}
        >
          <label for="anchor-hex">{t('notary.digestOrRoot')}</label>
          <input
            id="anchor-hex"
            class="wide"
            value={lookup}
            pattern="[0-9a-fA-F]{64}"
            required
            onInput={(e) => setLookup(e.currentTarget.value)}
          />
          <label for="anchor-alg">{t('notary.algorithm')}</label>
          <select
            id="anchor-alg"
            value={algorithm}
            onChange={(e) => setAlgorithm(e.currentTarget.value as DocumentDigest)}
          >
            <option value="sha256">SHA-256</option>
            <option value="sm3">SM3</option>
          </select>
          <button type="submit">{t('notary.find')}</button>
        </form>
        {anchor && 'error' in anchor && <ErrorNote error={anchor.error} />}
        {anchor &&
          'proof' in anchor &&
          (anchor.anchor ? (
            <Fields
              rows={[
                [t('notary.root'), <Hex value={anchor.root} />],
                [
                  t('notary.anchoredAt'),
                  `${formatTime(anchor.anchor.time, lang)} — ${t('notary.atHeight', { height: anchor.anchor.height })}`,
                ],
                [
                  t('notary.tx'),
                  <a href={href('explorer', 'tx', anchor.anchor.txHash)}>
                    <Hex value={anchor.anchor.txHash} />
                  </a>,
                ],
                [t('notary.owner'), anchor.anchor.owner || '—'],
                [t('notary.batchSize'), anchor.anchor.count],
              ]}
            />
          ) : (
            <p data-testid="anchor-none">{t('notary.notAnchored')}</p>
          ))}
      </Section>
      <Section
        title={t('notary.traceTitle')}
        actions={lineage && 'proof' in lineage ? <ProofBadge proof={lineage.proof} /> : undefined}
      >
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void trace();
          }}
        >
          <label for="asset-id">{t('notary.assetId')}</label>
          <input id="asset-id" value={asset} required onInput={(e) => setAsset(e.currentTarget.value)} />
          <button type="submit">{t('notary.trace')}</button>
        </form>
        {lineage && 'loading' in lineage && (
          <p class="muted" aria-busy="true">
            {t('common.loading')}
          </p>
        )}
        {lineage && 'error' in lineage && <ErrorNote error={lineage.error} />}
        {lineage &&
          'lineage' in lineage &&
          (lineage.lineage.asset === null ? (
            <p>{t('notary.noAsset')}</p>
          ) : (
            <>
              <Fields
                rows={[
                  [t('notary.assetType'), lineage.lineage.asset.assetType],
                  [t('notary.owner'), <Hex value={lineage.lineage.asset.owner} />],
                  [t('notary.events'), lineage.lineage.events.length],
                ]}
              />
              <LineageGraph lineage={lineage.lineage} />
            </>
          ))}
      </Section>
    </div>
  );
}
