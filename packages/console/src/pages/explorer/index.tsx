import { useState } from 'preact/hooks';
import { errorText, useAsync, useConnection } from '../../chain/hooks.js';
import { type IndexedBlock, indexerGet } from '../../chain/indexer.js';
import { ErrorNote, formatTime, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href, navigate } from '../../router.js';
import { AccountView } from './account.js';
import { BlockView } from './block.js';
import { type IndexedRecord, resolveSearch } from './search.js';
import { TxView } from './tx.js';

export function ExplorerPage({ rest }: { rest: readonly string[] }) {
  const [kind, id] = rest;
  return (
    <div class="grid">
      <SearchBox />
      {kind === 'block' && id ? (
        <BlockView id={id} />
      ) : kind === 'tx' && id ? (
        <TxView hash={id} />
      ) : kind === 'account' && id ? (
        <AccountView address={id} />
      ) : (
        <LatestBlocks />
      )}
    </div>
  );
}

function SearchBox() {
  const { t } = useI18n();
  const connection = useConnection();
  const [text, setText] = useState('');
  const [note, setNote] = useState<string>();
  const [records, setRecords] = useState<readonly IndexedRecord[]>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setNote(t('common.loading'));
    setRecords([]);
    try {
      const target = await resolveSearch(connection, text);
      setNote(undefined);
      if (target.kind === 'block') navigate('explorer', 'block', target.id);
      else if (target.kind === 'tx') navigate('explorer', 'tx', target.hash);
      else if (target.kind === 'account') navigate('explorer', 'account', target.address);
      else if (target.kind === 'records') setRecords(target.records);
      else setNote(target.why === 'format' ? t('explorer.searchFormat') : t('explorer.notFound'));
    } catch (error) {
      setNote(errorText(error));
    }
  };
  return (
    <form class="search card" aria-label={t('explorer.search')} onSubmit={submit}>
      <label for="explorer-search">{t('explorer.searchLabel')}</label>
      <div class="row">
        <input
          id="explorer-search"
          type="search"
          value={text}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          placeholder={t('explorer.searchPlaceholder')}
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit">{t('explorer.search')}</button>
      </div>
      {note && (
        <p class="muted" role="status">
          {note}
        </p>
      )}
      {records.length > 0 && (
        <Table
          caption={t('explorer.records')}
          head={[t('explorer.record'), t('explorer.key'), t('explorer.blockLabel'), t('explorer.tx')]}
          rows={records.map((r) => [
            `${r.module}/${r.recordKind}`,
            r.key.length > 40 ? <Hex value={r.key} /> : r.key,
            <a href={href('explorer', 'block', r.height)}>{r.height}</a>,
            <a href={href('explorer', 'tx', r.txHash)}>
              <Hex value={r.txHash} />
            </a>,
          ])}
        />
      )}
    </form>
  );
}

function LatestBlocks() {
  const { t, lang } = useI18n();
  const { client, settings } = useConnection();
  const blocks = useAsync<readonly IndexedBlock[]>(
    async () => {
      // History comes from the indexer where one is configured, else from the node's headers.
      if (settings.indexer) {
        try {
          return (
            await indexerGet<{ blocks: IndexedBlock[] }>(settings.indexer, '/v1/index/blocks', { limit: 15 })
          ).blocks;
        } catch {
          // The node can always answer: fall through.
        }
      }
      const { height } = await client.getStatus();
      const heights = Array.from({ length: Math.min(15, height) }, (_, i) => height - i);
      const headers = await Promise.all(heights.map((h) => client.getHeader(h)));
      return headers.map((h) => ({
        height: h.header.height,
        hash: h.hash,
        time: h.header.time,
        txCount: h.header.txCount,
      }));
    },
    [],
    4000,
  );
  return (
    <Section title={t('explorer.latestBlocks')}>
      {blocks.error && !blocks.data ? (
        <ErrorNote error={blocks.error} />
      ) : !blocks.data ? (
        <Loading />
      ) : (
        <Table
          caption={t('explorer.latestBlocks')}
          head={[t('explorer.height'), t('explorer.hash'), t('explorer.time'), t('explorer.txs')]}
          rows={blocks.data.map((b) => [
            <a href={href('explorer', 'block', b.height)}>{b.height}</a>,
            <Hex value={b.hash} />,
            formatTime(b.time, lang),
            b.txCount,
          ])}
        />
      )}
    </Section>
  );
}
