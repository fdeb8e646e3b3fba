import { addressOf } from '@pujiang/sdk/browser';
import { bytesToHex } from '@pujiang/types';
import { useAsync, useConnection } from '../chain/hooks.js';
import { type Proof, ProofBadge } from '../components/proof-badge.js';
import { ErrorNote, Fields, formatTime, Hex, Loading, Section, Table } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { href } from '../router.js';
import { type RecentBlock, ThroughputChart } from './network-chart.js';
import { PeersSection } from './network-peers.js';

/** Headers looked at for liveness, tx/s and block time. */
const WINDOW = 20;

interface ProvenWindow {
  readonly proof: Proof;
  readonly blocks: readonly RecentBlock[];
  readonly latestHash?: string;
  /** The set that signed the latest height, with how many of the window's certificates each signed. */
  readonly validators: readonly {
    readonly key: string;
    readonly address: string;
    readonly power: number;
    readonly signed: number;
  }[];
}

/**
 * The network. "Latest blocks" is proven: the window's headers are certified by the
 * validators' signatures from the pinned genesis on, and the validator set and how many of
 * the recent commit certificates each signed come from them, so block time, tx/s and
 * liveness are computed from proven data. "This node" is what the node says of itself.
 */
export function NetworkPage() {
  const { t, lang } = useI18n();
  const { client, light, genesis } = useConnection();
  const status = useAsync(() => client.getStatus(), [], 3000);
  const names = useAsync(() => client.getValidators(), [], 30_000);
  const height = status.data?.height ?? 0;
  const recent = useAsync<ProvenWindow>(async () => {
    if (height < 1)
      return { proof: { state: 'unproven', why: t('network.noBlocks') }, blocks: [], validators: [] };
    const from = Math.max(1, height - WINDOW + 1);
    try {
      const headers = [];
      // In order: each header's set is proven by the one before (the light client caches them).
      for (let h = from; h <= height; h++) headers.push(await light.getVerifiedHeader(h));
      const set = await light.getVerifiedValidators(height);
      const signed = new Map<number, number>();
      for (const c of headers)
        for (const p of c.certificate.precommits)
          signed.set(p.message.validator, (signed.get(p.message.validator) ?? 0) + 1);
      return {
        proof: { state: 'proven', height },
        blocks: headers.map((c) => ({
          height: c.height,
          time: Number(c.header.time),
          txCount: c.header.txCount,
        })),
        latestHash: headers.at(-1)!.hash,
        validators: set.map((v, i) => ({
          key: bytesToHex(v.publicKey.bytes),
          address: addressOf(genesis.chainHash, v.publicKey),
          power: v.power,
          signed: signed.get(i) ?? 0,
        })),
      };
    } catch (error) {
      return { proof: { state: 'failed', error }, blocks: [], validators: [] };
    }
  }, [height]);

  if (status.error && !status.data) return <ErrorNote error={status.error} />;
  if (!status.data) return <Loading />;
  const s = status.data;
  const blocks = recent.data?.blocks ?? [];
  const span = blocks.length > 1 ? blocks.at(-1)!.time - blocks[0]!.time : 0;
  const txs = blocks.slice(1).reduce((sum, b) => sum + b.txCount, 0);
  const blockTime = blocks.length > 1 ? span / (blocks.length - 1) : undefined;
  const tps = span > 0 ? (txs * 1000) / span : undefined;
  const nameOf = new Map((names.data?.validators ?? []).map((v) => [v.publicKey.toLowerCase(), v.name]));
  const latest = blocks.at(-1);
  return (
    <div class="grid">
      <Section
        title={t('network.latestBlocks')}
        actions={
          recent.data ? (
            <ProofBadge proof={recent.data.proof} />
          ) : (
            <ProofBadge proof={{ state: 'checking' }} />
          )
        }
      >
        <Fields
          rows={[
            [
              t('network.height'),
              latest ? (
                <a href={href('explorer', 'block', latest.height)} data-testid="height">
                  {latest.height}
                </a>
              ) : (
                <span data-testid="height">{s.height}</span>
              ),
            ],
            [t('network.latestTime'), latest ? formatTime(latest.time, lang) : '—'],
            [t('network.blockTime'), blockTime === undefined ? '—' : `${(blockTime / 1000).toFixed(2)} s`],
            [t('network.tps'), tps === undefined ? '—' : tps.toFixed(1)],
            [t('network.latestHash'), recent.data?.latestHash ? <Hex value={recent.data.latestHash} /> : '—'],
          ]}
        />
      </Section>
      <Section title={t('network.thisNode')}>
        <p class="muted small">{t('network.thisNodeWhy')}</p>
        <Fields
          rows={[
            [t('network.nodeHeight'), s.height],
            [t('network.chainId'), s.chainId],
            [t('network.mempool'), `${s.mempool.size}`],
            [t('network.role'), s.validator ? t('network.validator') : t('network.fullNode')],
            [t('network.syncing'), s.syncing ? t('common.yes') : t('common.no')],
            [t('network.suites'), s.acceptedSuites.join(', ')],
          ]}
        />
      </Section>
      <Section
        title={t('network.validators')}
        actions={recent.data ? <ProofBadge proof={recent.data.proof} /> : undefined}
      >
        {!recent.data ? (
          <Loading />
        ) : (
          <Table
            caption={t('network.validators')}
            head={[t('network.name'), t('network.address'), t('network.power'), t('network.liveness')]}
            rows={recent.data.validators.map((v, i) => [
              nameOf.get(v.key) ?? `#${i}`,
              <a href={href('explorer', 'account', v.address)}>
                <Hex value={v.address} />
              </a>,
              v.power,
              // A certificate needs only two thirds of the power: a live validator is sometimes left out.
              <span
                class={v.signed < blocks.length / 3 ? 'warn' : 'ok'}
                data-liveness={(v.signed / Math.max(1, blocks.length)).toFixed(2)}
              >
                {t('network.signedOf', { signed: v.signed, of: blocks.length })}
              </span>,
            ])}
          />
        )}
      </Section>
      <ThroughputChart headers={blocks} />
      <PeersSection />
    </div>
  );
}
