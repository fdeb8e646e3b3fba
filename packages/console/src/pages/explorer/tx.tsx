import type { Receipt, TxResponse } from '@pujiang/sdk/browser';
import { bytesToHex } from '@pujiang/types';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Fields, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href } from '../../router.js';

/** What the view shows of a transaction: from the proven bytes and receipt when proven, else the node's answer. */
interface TxShown {
  readonly module: string;
  readonly type: string;
  readonly suite: string;
  readonly publicKey: string;
  readonly nonce: string;
  readonly gasLimit: string;
  readonly endorsements: number;
  readonly status: TxResponse['status'];
  readonly height?: number;
  readonly index?: number;
  readonly receipt?: Receipt;
}

function fromNode(tx: TxResponse): TxShown {
  return {
    module: tx.tx.module,
    type: tx.tx.type,
    suite: tx.tx.suite,
    publicKey: tx.tx.publicKey,
    nonce: String(tx.tx.nonce),
    gasLimit: String(tx.tx.gasLimit),
    endorsements: tx.tx.endorsements.length,
    status: tx.status,
    ...(tx.height === undefined ? {} : { height: tx.height }),
    ...(tx.index === undefined ? {} : { index: tx.index }),
    ...(tx.receipt ? { receipt: tx.receipt } : {}),
  };
}

/**
 * A transaction and its receipt. Once proven (the transaction in its block under a certified
 * header, the receipt under the next header's results root), everything shown is decoded from
 * the proven bytes and receipt, not taken from the node's JSON; before that, or when a proof
 * is refused, the node's answer is shown under a badge that says so.
 */
export function TxView({ hash }: { hash: string }) {
  const { t } = useI18n();
  const { client, light } = useConnection();
  const tx = useAsync<{ shown: TxShown; proof: Proof }>(async () => {
    const answer = await client.getTx(hash);
    if (answer.status !== 'committed')
      return { shown: fromNode(answer), proof: { state: 'unproven', why: t('explorer.pending') } };
    try {
      const verified = await light.getVerifiedTransaction(hash);
      if (!verified.receipt)
        return { shown: fromNode(answer), proof: { state: 'unproven', why: t('explorer.receiptNotYet') } };
      const { body, endorsements } = verified.tx;
      return {
        shown: {
          module: body.module,
          type: body.type,
          suite: body.suite,
          publicKey: bytesToHex(body.publicKey),
          nonce: String(body.nonce),
          gasLimit: String(body.gasLimit),
          endorsements: endorsements.length,
          status: 'committed',
          height: verified.height,
          index: verified.index,
          receipt: verified.receipt,
        },
        proof: { state: 'proven', height: verified.height + 1 },
      };
    } catch (error) {
      return { shown: fromNode(answer), proof: { state: 'failed', error } };
    }
  }, [hash]);
  if (tx.error) return <ErrorNote error={tx.error} />;
  if (!tx.data) return <Loading />;
  const { shown, proof } = tx.data;
  const { receipt } = shown;
  return (
    <>
      <Section title={t('explorer.tx')} actions={<ProofBadge proof={proof} />}>
        <Fields
          rows={[
            [t('explorer.hash'), <Hex value={hash} chars={32} />],
            [
              t('explorer.status'),
              shown.status === 'committed' ? t('explorer.committed') : t('explorer.pendingShort'),
            ],
            [
              t('explorer.blockLabel'),
              shown.height === undefined ? (
                '—'
              ) : (
                <a href={href('explorer', 'block', shown.height)}>
                  {shown.height} #{shown.index}
                </a>
              ),
            ],
            [t('explorer.message'), `${shown.module}/${shown.type}`],
            [t('explorer.signer'), shown.suite],
            [t('explorer.publicKey'), <Hex value={shown.publicKey} />],
            [t('explorer.nonce'), shown.nonce],
            [t('explorer.gasLimit'), shown.gasLimit],
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
            [t('explorer.gasUsed'), receipt ? String(receipt.gasUsed) : '—'],
            [t('explorer.endorsements'), shown.endorsements],
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
