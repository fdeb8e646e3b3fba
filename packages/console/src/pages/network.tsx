import type { HeaderResponse } from '@pujiang/sdk/browser';
import { useAsync, useConnection } from '../chain/hooks.js';
import { type Proof, ProofBadge } from '../components/proof-badge.js';
import { ErrorNote, Fields, formatTime, Hex, Loading, Section, Table } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { href } from '../router.js';
import { ThroughputChart } from './network-chart.js';
import { PeersSection } from './network-peers.js';

/** Headers looked at for liveness, tx/s and block time. */
const WINDOW = 20;

interface Recent {
  readonly height: number;
  readonly headers: readonly HeaderResponse[];
  readonly proof: Proof;
}

export function NetworkPage() {
  const { t, lang } = useI18n();
  const { client, light } = useConnection();
  const status = useAsync(() => client.getStatus(), [], 3000);
  const validators = useAsync(() => client.getValidators(), [], 10_000);
  const height = status.data?.height ?? 0;
  const recent = useAsync<Recent>(async () => {
    if (height < 1) return { height, headers: [], proof: { state: 'unproven', why: t('network.noBlocks') } };
    const from = Math.max(1, height - WINDOW + 1);
    const headers = await Promise.all(
      Array.from({ length: height - from + 1 }, (_, i) => client.getHeader(from + i)),
    );
    let proof: Proof;
    try {
      proof = { state: 'proven', height: (await light.getVerifiedHeader(height)).height };
    } catch (error) {
      proof = { state: 'failed', error };
    }
    return { height, headers, proof };
  }, [height]);

  if (status.error && !status.data) return <ErrorNote error={status.error} />;
  if (!status.data) return <Loading />;
  const s = status.data;
  const headers = recent.data?.headers ?? [];
  const span = headers.length > 1 ? Number(headers.at(-1)!.header.time) - Number(headers[0]!.header.time) : 0;
  const txs = headers.slice(1).reduce((sum, h) => sum + h.header.txCount, 0);
  const blockTime = headers.length > 1 ? span / (headers.length - 1) : undefined;
  const tps = span > 0 ? (txs * 1000) / span : undefined;
  const signed = new Map<number, number>();
  for (const h of headers)
    for (const p of h.certificate.precommits) signed.set(p.validator, (signed.get(p.validator) ?? 0) + 1);
  const latest = headers.at(-1);
  return (
    <div class="grid">
      <Section title={t('network.chain')} actions={recent.data && <ProofBadge proof={recent.data.proof} />}>
        <Fields
          rows={[
            [
              t('network.height'),
              <a href={href('explorer', 'block', s.height)} data-testid="height">
                {s.height}
              </a>,
            ],
            [t('network.chainId'), s.chainId],
            [t('network.latestTime'), formatTime(s.latestBlockTime, lang)],
            [t('network.blockTime'), blockTime === undefined ? '—' : `${(blockTime / 1000).toFixed(2)} s`],
            [t('network.tps'), tps === undefined ? '—' : tps.toFixed(1)],
            [t('network.mempool'), `${s.mempool.size}`],
            [t('network.role'), s.validator ? t('network.validator') : t('network.fullNode')],
            [t('network.syncing'), s.syncing ? t('common.yes') : t('common.no')],
            [t('network.suites'), s.acceptedSuites.join(', ')],
            [t('network.latestHash'), <Hex value={latest?.hash ?? s.latestBlockHash} />],
          ]}
        />
      </Section>
      <Section title={t('network.validators')}>
        {validators.error ? (
          <ErrorNote error={validators.error} />
        ) : !validators.data ? (
          <Loading />
        ) : (
          <Table
            caption={t('network.validators')}
            head={[t('network.name'), t('network.address'), t('network.power'), t('network.liveness')]}
            rows={validators.data.validators.map((v, i) => {
              const n = headers.length;
              const rate = n === 0 ? undefined : (signed.get(i) ?? 0) / n;
              return [
                v.name ?? `#${i}`,
                <a href={href('explorer', 'account', v.address)}>
                  <Hex value={v.address} />
                </a>,
                v.power,
                rate === undefined ? (
                  '—'
                ) : (
                  // A certificate needs only two thirds of the power: a live validator is sometimes left out.
                  <span class={rate < 1 / 3 ? 'warn' : 'ok'} data-liveness={rate.toFixed(2)}>
                    {t('network.signedOf', { signed: signed.get(i) ?? 0, of: n })}
                  </span>
                ),
              ];
            })}
          />
        )}
      </Section>
      <ThroughputChart headers={headers} />
      <PeersSection />
    </div>
  );
}
