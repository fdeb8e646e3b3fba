import { useAsync, useConnection } from '../../chain/hooks.js';
import { type IndexedTx, indexerGet } from '../../chain/indexer.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Fields, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href } from '../../router.js';

/** An account: its nonce, its balance proven against a certified header, and its history from the indexer. */
export function AccountView({ address }: { address: string }) {
  const { t } = useI18n();
  const { client, light, settings } = useConnection();
  const account = useAsync(async () => {
    const account = await client.getAccount(address);
    let balance: string | undefined;
    let proof: Proof;
    try {
      const verified = await light.getVerifiedBalance(address);
      balance = String(verified.balance);
      proof = { state: 'proven', height: verified.height };
    } catch (error) {
      proof = { state: 'failed', error };
    }
    return { account, balance, proof };
  }, [address]);
  const history = useAsync<readonly IndexedTx[] | undefined>(async () => {
    if (!settings.indexer) return undefined;
    return (await indexerGet<{ txs: IndexedTx[] }>(settings.indexer, '/v1/index/txs', { address, limit: 25 }))
      .txs;
  }, [address]);
  if (account.error) return <ErrorNote error={account.error} />;
  if (!account.data) return <Loading />;
  return (
    <>
      <Section title={t('explorer.account')} actions={<ProofBadge proof={account.data.proof} />}>
        <Fields
          rows={[
            [t('explorer.address'), <Hex value={address} chars={42} />],
            [t('explorer.balance'), account.data.balance ?? '—'],
            [`${t('explorer.nonce')} (${t('explorer.nodeSays')})`, account.data.account.nonce],
            [`${t('explorer.pendingNonce')} (${t('explorer.nodeSays')})`, account.data.account.pendingNonce],
          ]}
        />
      </Section>
      <Section title={t('explorer.history')}>
        {!settings.indexer ? (
          <p class="muted">{t('explorer.historyNeedsIndexer')}</p>
        ) : history.error ? (
          <ErrorNote error={history.error} />
        ) : !history.data ? (
          <Loading />
        ) : (
          <Table
            caption={t('explorer.history')}
            head={[t('explorer.hash'), t('explorer.block'), t('explorer.message'), t('explorer.result')]}
            rows={history.data.map((tx) => [
              <a href={href('explorer', 'tx', tx.hash)}>
                <Hex value={tx.hash} />
              </a>,
              <a href={href('explorer', 'block', tx.height)}>{tx.height}</a>,
              `${tx.module}/${tx.type}`,
              tx.code,
            ])}
          />
        )}
      </Section>
    </>
  );
}
