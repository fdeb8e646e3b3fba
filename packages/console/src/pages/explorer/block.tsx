import { hash } from '@pujiang/crypto';
import { txRoot } from '@pujiang/protocol';
import type { BlockResponse } from '@pujiang/sdk/browser';
import { bytesToHex, equalBytes, hexToBytes } from '@pujiang/types';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Fields, formatTime, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href } from '../../router.js';

/** What the view shows of a block: the certified header's fields and the transactions' hashes. */
interface BlockShown {
  readonly height: number;
  readonly hash: string;
  readonly time: string;
  readonly proposer: string;
  readonly previousHash: string;
  readonly stateRoot: string;
  readonly txRoot: string;
  readonly resultsRoot: string;
  readonly precommits: number;
  readonly round: number;
  readonly txHashes: readonly string[];
}

/**
 * A block by height or hash. Proven, everything shown comes from the header certified by the
 * validators' signatures, and the transactions' hashes are recomputed from the block's
 * transactions, whose Merkle root must be the certified header's transaction root.
 */
export function BlockView({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { client, light, genesis } = useConnection();
  const block = useAsync<{ shown: BlockShown; proof: Proof }>(async () => {
    const block = /^\d+$/.test(id) ? await client.getBlock(Number(id)) : await client.getBlockByHash(id);
    try {
      const certified = await light.getVerifiedHeader(block.header.height);
      if (/^[0-9a-f]{64}$/.test(id) && certified.hash !== id) throw new Error(t('explorer.hashMismatch'));
      const raws = block.txs.map((tx) => hexToBytes(tx));
      if (!equalBytes(txRoot(genesis.chainHash, raws), certified.header.txRoot))
        throw new Error(t('explorer.txRootMismatch'));
      const h = certified.header;
      return {
        shown: {
          height: certified.height,
          hash: certified.hash,
          time: String(h.time),
          proposer: bytesToHex(h.proposer),
          previousHash: bytesToHex(h.previousHash),
          stateRoot: bytesToHex(h.stateRoot),
          txRoot: bytesToHex(h.txRoot),
          resultsRoot: bytesToHex(h.resultsRoot),
          precommits: certified.certificate.precommits.length,
          round: certified.certificate.round,
          txHashes: raws.map((raw) => bytesToHex(hash(genesis.chainHash, raw))),
        },
        proof: { state: 'proven', height: certified.height },
      };
    } catch (error) {
      return { shown: fromNode(block), proof: { state: 'failed', error } };
    }
  }, [id]);
  if (block.error) return <ErrorNote error={block.error} />;
  if (!block.data) return <Loading />;
  const { shown, proof } = block.data;
  return (
    <>
      <Section title={t('explorer.block', { height: shown.height })} actions={<ProofBadge proof={proof} />}>
        <Fields
          rows={[
            [t('explorer.hash'), <Hex value={shown.hash} chars={32} />],
            [t('explorer.time'), formatTime(shown.time, lang)],
            [
              t('explorer.proposer'),
              <a href={href('explorer', 'account', shown.proposer)}>
                <Hex value={shown.proposer} />
              </a>,
            ],
            [
              t('explorer.previous'),
              shown.height > 1 ? (
                <a href={href('explorer', 'block', shown.height - 1)}>
                  <Hex value={shown.previousHash} />
                </a>
              ) : (
                <Hex value={shown.previousHash} />
              ),
            ],
            [t('explorer.stateRoot'), <Hex value={shown.stateRoot} />],
            [t('explorer.txRoot'), <Hex value={shown.txRoot} />],
            [t('explorer.resultsRoot'), <Hex value={shown.resultsRoot} />],
            [t('explorer.signatures'), t('explorer.precommits', { n: shown.precommits, round: shown.round })],
          ]}
        />
        <p class="row">
          {shown.height > 1 && (
            <a href={href('explorer', 'block', shown.height - 1)}>← {t('explorer.prevBlock')}</a>
          )}
          <a href={href('explorer', 'block', shown.height + 1)}>{t('explorer.nextBlock')} →</a>
        </p>
      </Section>
      <Section title={t('explorer.transactions', { n: shown.txHashes.length })}>
        <Table
          caption={t('explorer.transactions', { n: shown.txHashes.length })}
          head={['#', t('explorer.hash')]}
          rows={shown.txHashes.map((h, i) => [
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

function fromNode(block: BlockResponse): BlockShown {
  const h = block.header;
  return {
    height: h.height,
    hash: block.hash,
    time: String(h.time),
    proposer: h.proposer,
    previousHash: h.previousHash,
    stateRoot: h.stateRoot,
    txRoot: h.txRoot,
    resultsRoot: h.resultsRoot,
    precommits: block.certificate.precommits.length,
    round: block.certificate.round,
    txHashes: block.txHashes,
  };
}
