import type { BlockResponse } from '@pujiang/sdk/browser';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Fields, formatTime, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href } from '../../router.js';

/** A block by height or hash; its header is verified against the pinned genesis. */
export function BlockView({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { client, light } = useConnection();
  const block = useAsync<{ block: BlockResponse; proof: Proof }>(async () => {
    const block = /^\d+$/.test(id) ? await client.getBlock(Number(id)) : await client.getBlockByHash(id);
    let proof: Proof;
    try {
      const certified = await light.getVerifiedHeader(block.header.height);
      proof =
        certified.hash === block.hash
          ? { state: 'proven', height: certified.height }
          : { state: 'failed', error: new Error(t('explorer.hashMismatch')) };
    } catch (error) {
      proof = { state: 'failed', error };
    }
    return { block, proof };
  }, [id]);
  if (block.error) return <ErrorNote error={block.error} />;
  if (!block.data) return <Loading />;
  const { header, hash, txHashes, certificate } = block.data.block;
  return (
    <>
      <Section
        title={t('explorer.block', { height: header.height })}
        actions={<ProofBadge proof={block.data.proof} />}
      >
        <Fields
          rows={[
            [t('explorer.hash'), <Hex value={hash} chars={32} />],
            [t('explorer.time'), formatTime(header.time, lang)],
            [
              t('explorer.proposer'),
              <a href={href('explorer', 'account', header.proposer)}>
                <Hex value={header.proposer} />
              </a>,
            ],
            [
              t('explorer.previous'),
              header.height > 1 ? (
                <a href={href('explorer', 'block', header.height - 1)}>
                  <Hex value={header.previousHash} />
                </a>
              ) : (
                <Hex value={header.previousHash} />
              ),
            ],
            [t('explorer.stateRoot'), <Hex value={header.stateRoot} />],
            [t('explorer.txRoot'), <Hex value={header.txRoot} />],
            [t('explorer.resultsRoot'), <Hex value={header.resultsRoot} />],
            [
              t('explorer.signatures'),
              t('explorer.precommits', { n: certificate.precommits.length, round: certificate.round }),
            ],
          ]}
        />
        <p class="row">
          {header.height > 1 && (
            <a href={href('explorer', 'block', header.height - 1)}>← {t('explorer.prevBlock')}</a>
          )}
          <a href={href('explorer', 'block', header.height + 1)}>{t('explorer.nextBlock')} →</a>
        </p>
      </Section>
      <Section title={t('explorer.transactions', { n: txHashes.length })}>
        <Table
          caption={t('explorer.transactions', { n: txHashes.length })}
          head={['#', t('explorer.hash')]}
          rows={txHashes.map((h, i) => [
            i,
            <a href={href('explorer', 'tx', h)}>
              <Hex value={h} chars={24} />
            </a>,
          ])}
          empty={t('explorer.noTxs')}
        />
      </Section>
    </>
  );
}
