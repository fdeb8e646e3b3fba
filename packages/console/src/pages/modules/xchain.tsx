import { useState } from 'preact/hooks';
import { replayEvents } from '../../chain/event-replay.js';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { provenQuery } from '../../chain/proven-query.js';
import type { Proof } from '../../components/proof-badge.js';
import { ErrorNote, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { GenericModulePage, QueryAnswer } from './generic.js';
import type { ModulePageProps } from './registry.js';

type Kind = 'client' | 'connection' | 'channel' | 'packet';

interface Row {
  readonly kind: Kind;
  readonly label: string;
  readonly params: Record<string, string>;
  readonly state: string;
}

/** Light clients, connections, channels and packets, found from the module's events; each opens as a proven query. */
export function XchainPage({ module }: ModulePageProps) {
  const { t } = useI18n();
  const { client, light } = useConnection();
  const [open, setOpen] = useState<{ key: string; result?: unknown; proof?: Proof; error?: unknown }>();
  const found = useAsync(async () => {
    const { events, complete } = await replayEvents(client, { module: 'xchain' });
    const rows = new Map<string, Row>();
    for (const { event: e } of events) {
      const a = e.attributes;
      if (e.type.startsWith('client') && a.client)
        rows.set(`client:${a.client}`, {
          kind: 'client',
          label: `${a.client} (${a.chainId ?? ''})`,
          params: { id: a.client },
          state: e.type,
        });
      else if (e.type === 'connectionOpened' && a.connection)
        rows.set(`connection:${a.connection}`, {
          kind: 'connection',
          label: `${a.connection} → ${a.client}`,
          params: { id: a.connection },
          state: a.state ?? '',
        });
      else if ((e.type === 'channelOpened' || e.type === 'channelClosed') && a.channel && a.port)
        rows.set(`channel:${a.port}/${a.channel}`, {
          kind: 'channel',
          label: `${a.port}/${a.channel}`,
          params: { port: a.port, id: a.channel },
          state: a.state ?? e.type,
        });
      else if (e.type.startsWith('packet') && a.channel && a.port && a.sequence)
        rows.set(`packet:${a.port}/${a.channel}/${a.sequence}`, {
          kind: 'packet',
          label: `${a.port}/${a.channel} #${a.sequence}`,
          params: { port: a.port, channel: a.channel, sequence: a.sequence },
          state: e.type,
        });
    }
    return { rows: [...rows.values()], complete };
  }, []);
  const show = async (row: Row) => {
    const key = `${row.kind}:${row.label}`;
    setOpen({ key });
    try {
      const verified = await provenQuery(light, 'xchain', row.kind, row.params);
      setOpen({ key, result: verified.result, proof: { state: 'reads', height: verified.height } });
    } catch (error) {
      setOpen({ key, error });
    }
  };
  const kinds: Kind[] = ['client', 'connection', 'channel', 'packet'];
  return (
    <>
      {found.error ? (
        <ErrorNote error={found.error} />
      ) : !found.data ? (
        <Loading />
      ) : (
        kinds.map((kind) => {
          const rows = found.data!.rows.filter((r) => r.kind === kind);
          return (
            <Section key={kind} title={t(`xchain.${kind}s`)}>
              <Table
                caption={t(`xchain.${kind}s`)}
                head={[t('xchain.id'), t('xchain.state'), t('xchain.details')]}
                rows={rows.map((r) => [
                  r.label,
                  r.state,
                  <button type="button" class="secondary" onClick={() => void show(r)}>
                    {t('xchain.show', { id: r.label })}
                  </button>,
                ])}
                empty={t('xchain.none')}
              />
              {open &&
                rows.some((r) => `${r.kind}:${r.label}` === open.key) &&
                (open.error ? (
                  <ErrorNote error={open.error} />
                ) : open.proof ? (
                  <QueryAnswer result={open.result} proof={open.proof} />
                ) : (
                  <Loading />
                ))}
            </Section>
          );
        })
      )}
      {found.data && !found.data.complete && <p class="muted">{t('xchain.partial')}</p>}
      <GenericModulePage module={module} />
    </>
  );
}
