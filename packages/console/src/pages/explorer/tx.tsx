import type { TxResponse } from '@pujiang/sdk/browser';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Fields, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href } from '../../router.js';

/**
 * A transaction and its receipt. The badge is green only when the transaction is proven in
 * its block under a certified header and, once the next block exists, the receipt under the
 * next header's results root.
 */
export function TxView({ hash }: { hash: string }) {
  const { t } = useI18n();
  const { client, light } = useConnection();
  const tx = useAsync<{ tx: TxResponse; proof: Proof; sender?: string }>(async () => {
    const tx = await client.getTx(hash);
    if (tx.status !== 'committed') return { tx, proof: { state: 'unproven', why: t('explorer.pending') } };
    let proof: Proof;
    try {
      const verified = await light.getVerifiedTransaction(hash);
      proof = verified.receipt
        ? { state: 'proven', height: verified.height }
        : { state: 'unproven', why: t('explorer.receiptNotYet') };
    } catch (error) {
      proof = { state: 'failed', error };
    }
    return { tx, proof };
  }, [hash]);
  if (tx.error) return <ErrorNote error={tx.error} />;
  if (!tx.data) return <Loading />;
  const { tx: body, receipt, height, index, status } = tx.data.tx;
  return (
    <>
      <Section title={t('explorer.tx')} actions={<ProofBadge proof={tx.data.proof} />}>
        <Fields
          rows={[
            [t('explorer.hash'), <Hex value={hash} chars={32} />],
            [
              t('explorer.status'),
              status === 'committed' ? t('explorer.committed') : t('explorer.pendingShort'),
            ],
            [
              t('explorer.block'),
              height === undefined ? (
                '—'
              ) : (
                <a href={href('explorer', 'block', height)}>
                  {height} #{index}
                </a>
              ),
            ],
            [t('explorer.message'), `${body.module}/${body.type}`],
            [t('explorer.signer'), `${body.suite} `],
            [t('explorer.publicKey'), <Hex value={body.publicKey} />],
            [t('explorer.nonce'), body.nonce],
            [t('explorer.gasLimit'), body.gasLimit],
            [
              t('explorer.result'),
              receipt ? (
                <span class={receipt.code === 'OK' ? 'ok' : 'warn'} data-testid="tx-code">
                  {receipt.code}
                  {receipt.message ? ` — ${receipt.message}` : ''}
                </span>
              ) : (
                '—'
              ),
            ],
            [t('explorer.gasUsed'), receipt?.gasUsed ?? '—'],
            [t('explorer.endorsements'), body.endorsements.length],
          ]}
        />
      </Section>
      {receipt && (
        <Section title={t('explorer.events', { n: receipt.events.length })}>
          <Table
            caption={t('explorer.events', { n: receipt.events.length })}
            head={[t('explorer.event'), t('explorer.attributes')]}
            rows={receipt.events.map((e) => [
              `${e.module}/${e.type}`,
              <dl class="attrs">
                {Object.entries(e.attributes).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{v.length > 48 ? <Hex value={v} chars={16} /> : v}</dd>
                  </div>
                ))}
              </dl>,
            ])}
            empty={t('explorer.noEvents')}
          />
        </Section>
      )}
    </>
  );
}
