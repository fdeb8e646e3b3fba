import { addressOf, type KeyPair, parseKeyFile } from '@pujiang/sdk/browser';
import { useState } from 'preact/hooks';
import { errorText, useAsync, useConnection } from '../chain/hooks.js';
import { loadIdentity } from '../chain/members.js';
import { useI18n } from '../i18n/index.js';
import { ProofBadge } from './proof-badge.js';
import { Hex } from './ui.js';

/** A key loaded into the page: it lives in this component tree's memory only. */
export interface LoadedKey {
  readonly key: KeyPair;
  readonly address: string;
}

/**
 * Loads a key file (as `pujiang keys generate` writes it) into memory. The secret never
 * leaves the browser: it is not stored (no localStorage, no cookie) and no request carries
 * it; only transactions it signs are sent. The file input is cleared once read, and
 * "Forget" drops the key.
 */
export function KeyLoader({ loaded, onChange }: { loaded?: LoadedKey; onChange: (key?: LoadedKey) => void }) {
  const { t } = useI18n();
  const { genesis, light } = useConnection();
  const [error, setError] = useState<string>();
  // Whose key it is, decoded from the proven identity record (not the node's answer).
  const identity = useAsync(
    async () => (loaded ? await loadIdentity(light, loaded.address) : undefined),
    [loaded?.address],
  );
  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      const key = parseKeyFile(await file.text());
      setError(undefined);
      onChange({ key, address: addressOf(genesis.chainHash, key) });
    } catch (e) {
      setError(errorText(e));
      onChange(undefined);
    }
  };
  const who = identity.data?.value;
  return (
    <div class="key-loader" data-testid="key-loader">
      {loaded ? (
        <div class="row">
          <span class="ok" data-testid="key-address">
            {t('key.loaded')} <Hex value={loaded.address} /> ({loaded.key.publicKey.suite})
          </span>
          {who && (
            <span class={who.registered ? '' : 'warn'}>
              {who.registered
                ? t('key.member', { org: who.org ?? '', role: who.role ?? '' })
                : t('key.notMember')}{' '}
              <ProofBadge proof={identity.data!.proof} />
            </span>
          )}
          <button type="button" class="secondary" onClick={() => onChange(undefined)}>
            {t('key.forget')}
          </button>
        </div>
      ) : (
        <div class="field-row">
          <label for="key-file">{t('key.load')}</label>
          <input
            id="key-file"
            type="file"
            accept=".json,application/json"
            data-testid="key-file"
            onChange={(e) => void onFile(e.currentTarget)}
          />
        </div>
      )}
      <p class="muted small">{t('key.stays')}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
