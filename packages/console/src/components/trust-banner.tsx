import { useState } from 'preact/hooks';
import { forgetPinnedGenesis, pinGenesis } from '../chain/connection.js';
import { errorText, useConnection } from '../chain/hooks.js';
import { useI18n } from '../i18n/index.js';

/** Says which genesis the page verifies against, and lets the operator pin one from a file. */
export function TrustBanner() {
  const { t } = useI18n();
  const { trust, nodeUrl } = useConnection();
  const [problem, setProblem] = useState<string>();
  const load = async (file: File | undefined) => {
    if (!file) return;
    try {
      pinGenesis(JSON.parse(await file.text()));
      window.location.reload();
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  const cls =
    trust.kind === 'mismatch' ? 'trust trust-bad' : trust.kind === 'pinned' ? 'trust trust-good' : 'trust';
  return (
    <div class={cls} role={trust.kind === 'mismatch' ? 'alert' : undefined} data-trust={trust.kind}>
      <p>
        {trust.kind === 'pinned' && t('trust.pinned', { chain: trust.chainId, node: nodeUrl })}
        {trust.kind === 'first-use' && t('trust.firstUse', { chain: trust.chainId, node: nodeUrl })}
        {trust.kind === 'mismatch' &&
          t('trust.mismatch', { chain: trust.chainId, nodeChain: trust.nodeChainId })}
        {nodeUrl !== window.location.origin && (
          <span data-testid="other-node"> {t('trust.otherNode', { node: nodeUrl })}</span>
        )}
      </p>
      <div class="trust-actions">
        <label class="button-like">
          {t('trust.pinFile')}
          <input
            type="file"
            accept="application/json,.json"
            class="sr-only"
            onChange={(e) => load((e.currentTarget as HTMLInputElement).files?.[0])}
          />
        </label>
        {trust.kind !== 'first-use' && (
          <button
            type="button"
            onClick={() => {
              forgetPinnedGenesis();
              window.location.reload();
            }}
          >
            {t('trust.forget')}
          </button>
        )}
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
