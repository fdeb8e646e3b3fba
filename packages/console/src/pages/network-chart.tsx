import { useAsync, useConnection } from '../chain/hooks.js';
import { indexerGet } from '../chain/indexer.js';
import { BarChart, type BarPoint } from '../components/bar-chart.js';
import { Section } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';

interface SeriesAnswer {
  readonly bucketMs: number;
  readonly points: readonly { readonly start: number; readonly value: number | null; readonly txs: number }[];
}

/**
 * Transactions per second over time: from the indexer's series over the whole indexed
 * history where one is configured, else per block over the headers the network page read.
 */
/** One block of the recent window: its height, time (ms) and transaction count. */
export interface RecentBlock {
  readonly height: number;
  readonly time: number;
  readonly txCount: number;
}

export function ThroughputChart({ headers }: { headers: readonly RecentBlock[] }) {
  const { t, lang } = useI18n();
  const { settings } = useConnection();
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const series = useAsync<SeriesAnswer | undefined>(
    async () =>
      settings.indexer
        ? indexerGet<SeriesAnswer>(settings.indexer, '/v1/index/series', {
            metric: 'txs',
            buckets: 40,
          }).catch(() => undefined)
        : undefined,
    [settings.indexer],
    15_000,
  );
  let points: BarPoint[];
  let summary: string;
  if (series.data) {
    points = series.data.points.map((p) => ({
      label: new Date(p.start).toLocaleString(locale, { hour12: false }),
      value: p.value,
    }));
    const total = series.data.points.reduce((s, p) => s + p.txs, 0);
    summary = t('network.chartIndexed', { txs: total, buckets: points.length });
  } else {
    points = headers.slice(1).map((h, i) => {
      const gap = h.time - headers[i]!.time;
      return { label: `#${h.height}`, value: gap > 0 ? (h.txCount * 1000) / gap : null };
    });
    summary = t('network.chartRecent', { blocks: points.length });
  }
  return (
    <Section title={t('network.throughput')}>
      <BarChart
        title={t('network.throughput')}
        summary={summary}
        points={points}
        unit={t('network.txPerSecond')}
      />
    </Section>
  );
}
