import { useAsync, useConnection } from '../chain/hooks.js';
import { ErrorNote, Hex, Loading, Section, Table } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';

interface PeerRow {
  readonly key: string;
  readonly address: string;
  readonly organization: string | null;
  readonly validator: boolean;
  readonly name?: string;
  readonly endpoint?: string | null;
  readonly score: number;
  readonly drops?: number;
  readonly reason?: string;
  readonly until?: number;
}

interface PeersAnswer {
  readonly peers: readonly PeerRow[];
  readonly banned: readonly PeerRow[];
}

/** The node's linked and banned peers with their scores (`GET /v1/peers`). */
export function PeersSection() {
  const { t } = useI18n();
  const { nodeUrl } = useConnection();
  const peers = useAsync<PeersAnswer>(
    async () => {
      const response = await fetch(`${nodeUrl}/v1/peers`);
      if (!response.ok) throw new Error(`GET /v1/peers: HTTP ${response.status}`);
      return (await response.json()) as PeersAnswer;
    },
    [],
    5000,
  );
  const who = (p: PeerRow) => p.name ?? p.organization ?? t('network.unknownPeer');
  return (
    <Section title={t('network.peers')}>
      {peers.error ? (
        <ErrorNote error={peers.error} />
      ) : !peers.data ? (
        <Loading />
      ) : (
        <>
          <Table
            caption={t('network.peers')}
            head={[
              t('network.peer'),
              t('network.key'),
              t('network.endpoint'),
              t('network.score'),
              t('network.drops'),
            ]}
            rows={peers.data.peers.map((p) => [
              `${who(p)}${p.validator ? ` (${t('network.validator')})` : ''}`,
              <Hex value={p.key} />,
              p.endpoint ?? '—',
              <span class={p.score >= 50 ? 'warn' : 'ok'}>{p.score.toFixed(0)}</span>,
              p.drops ?? 0,
            ])}
            empty={t('network.noPeers')}
          />
          {peers.data.banned.length > 0 && (
            <>
              <h3>{t('network.banned')}</h3>
              <Table
                caption={t('network.banned')}
                head={[t('network.peer'), t('network.key'), t('network.reason'), t('network.until')]}
                rows={peers.data.banned.map((p) => [
                  who(p),
                  <Hex value={p.key} />,
                  p.reason ?? '—',
                  p.until ? new Date(p.until).toLocaleTimeString() : '—',
                ])}
              />
            </>
          )}
        </>
      )}
    </Section>
  );
}
