import { useState } from 'preact/hooks';
import { replayEvents } from '../../chain/event-replay.js';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { provenQuery } from '../../chain/proven-query.js';
import type { Proof } from '../../components/proof-badge.js';
import { ErrorNote, Hex, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { GenericModulePage, QueryAnswer } from './generic.js';
import type { ModulePageProps } from './registry.js';

const strip0x = (s: string) => s.trim().toLowerCase().replace(/^0x/, '');

/**
 * Contracts: those created on chain (from the module's `executed` events), an account's code
 * hash and a storage slot read by proven queries, and `eth_call` through the node's `/rpc`
 * (the node's answer: a call's result is not provable without re-executing it).
 */
export function EvmPage({ module }: ModulePageProps) {
  const { t } = useI18n();
  const { client, light, nodeUrl } = useConnection();
  const [address, setAddress] = useState('');
  const [slot, setSlot] = useState('');
  const [data, setData] = useState('');
  const [read, setRead] = useState<{ result: unknown; proof: Proof } | { error: unknown }>();
  const [call, setCall] = useState<{ result: unknown } | { error: unknown }>();
  const contracts = useAsync(async () => {
    const { events } = await replayEvents(client, { module: 'evm', type: 'executed' });
    return events
      .filter((e) => e.event.attributes.created)
      .map((e) => ({ address: e.event.attributes.created!, height: e.height }));
  }, []);
  const proven = async (name: string, params: Record<string, string>) => {
    try {
      const verified = await provenQuery(light, 'evm', name, params);
      setRead({ result: verified.result, proof: { state: 'reads', height: verified.height } });
    } catch (error) {
      setRead({ error });
    }
  };
  const ethCall = async () => {
    try {
      const response = await fetch(`${nodeUrl}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'eth_call',
          params: [{ to: `0x${strip0x(address)}`, data: `0x${strip0x(data)}` }, 'latest'],
        }),
      });
      const body = (await response.json()) as { result?: unknown; error?: unknown };
      setCall(body.error ? { error: body.error } : { result: body.result });
    } catch (error) {
      setCall({ error });
    }
  };
  return (
    <>
      <Section title={t('evm.contracts')}>
        {contracts.error ? (
          <ErrorNote error={contracts.error} />
        ) : !contracts.data ? (
          <Loading />
        ) : (
          <Table
            caption={t('evm.contracts')}
            head={[t('evm.address'), t('evm.createdAt')]}
            rows={contracts.data.map((c) => [
              <button type="button" class="linklike" onClick={() => setAddress(strip0x(c.address))}>
                <Hex value={c.address} />
              </button>,
              c.height,
            ])}
            empty={t('evm.noContracts')}
          />
        )}
      </Section>
      <Section title={t('evm.inspect')}>
        <div class="field-row">
          <label for="evm-address">{t('evm.address')}</label>
          <input
            id="evm-address"
            class="wide"
            value={address}
            pattern="(0x)?[0-9a-fA-F]{40}"
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        </div>
        <div class="row">
          <button type="button" onClick={() => void proven('account', { address: strip0x(address) })}>
            {t('evm.account')}
          </button>
          <button type="button" onClick={() => void proven('code', { address: strip0x(address) })}>
            {t('evm.code')}
          </button>
        </div>
        <div class="field-row">
          <label for="evm-slot">{t('evm.slot')}</label>
          <input id="evm-slot" class="wide" value={slot} onInput={(e) => setSlot(e.currentTarget.value)} />
        </div>
        <button
          type="button"
          onClick={() =>
            void proven('storage', { address: strip0x(address), slot: strip0x(slot).padStart(64, '0') })
          }
        >
          {t('evm.readSlot')}
        </button>
        {read &&
          ('error' in read ? (
            <ErrorNote error={read.error} />
          ) : (
            <QueryAnswer result={read.result} proof={read.proof} />
          ))}
        <div class="field-row">
          <label for="evm-data">{t('evm.callData')}</label>
          <input id="evm-data" class="wide" value={data} onInput={(e) => setData(e.currentTarget.value)} />
        </div>
        <button type="button" onClick={() => void ethCall()}>
          {t('evm.call')}
        </button>
        <p class="muted small">{t('evm.callNote')}</p>
        {call &&
          ('error' in call ? (
            <ErrorNote
              error={
                typeof call.error === 'object' && call.error && 'message' in call.error
                  ? call.error
                  : JSON.stringify(call.error)
              }
            />
          ) : (
            <pre class="json" data-testid="eth-call-result">
              {String(call.result)}
            </pre>
          ))}
      </Section>
      <GenericModulePage module={module} />
    </>
  );
}
