import { useAsync, useConnection } from '../../chain/hooks.js';
import { ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Loading, Section } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { type ProvenRead, type ProvenRecord, provenRecord } from './proven-record.js';

/**
 * The organizations governance named as a trade module's banks (its `banks` parameter), decoded
 * with the module's own reader from the proven parameter.
 */
export function useProvenBanks(module: string, banksKey: string, read: (r: ProvenRead) => string[]) {
  const { light } = useConnection();
  return useAsync<ProvenRecord<string[]>>(
    () =>
      provenRecord(light, {
        module,
        name: 'banks',
        params: {},
        required: [banksKey],
        rebuild: read,
        fromNode: (result) => (result as { banks: string[] }).banks,
      }),
    [module],
  );
}

export function BanksList({
  module,
  title,
  banks,
}: {
  module: string;
  title: string;
  banks: ReturnType<typeof useProvenBanks>;
}) {
  const { t } = useI18n();
  return (
    <Section title={title} actions={banks.data ? <ProofBadge proof={banks.data.proof} /> : undefined}>
      {banks.error ? (
        <ErrorNote error={banks.error} />
      ) : !banks.data ? (
        <Loading />
      ) : banks.data.value.length === 0 ? (
        <p class="muted">{t('trade.noBanks')}</p>
      ) : (
        <ul class="plain" data-testid={`${module}-banks`}>
          {banks.data.value.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
    </Section>
  );
}
