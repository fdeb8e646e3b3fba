import { useState } from 'preact/hooks';
import { pinGenesis } from '../chain/connection.js';
import { errorText } from '../chain/hooks.js';
import { useI18n } from '../i18n/index.js';

/**
 * Shown instead of the pages when `?node=` names another node than the page's own and no
 * genesis is pinned for it: the operator loads the chain's genesis file, pinned for that node.
 */
export function PinRequired({ nodeUrl, onPinned }: { nodeUrl: string; onPinned: () => void }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string>();
  const load = async (file: File | undefined) => {
    if (!file) return;
    try {
      pinGenesis(JSON.parse(await file.text()), nodeUrl);
      onPinned();
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  return (
    <div class="trust trust-bad" role="alert" data-trust="pin-required">
      <p>{t('trust.pinRequired', { node: nodeUrl, origin: window.location.origin })}</p>
      <div class="trust-actions">
        <label class="button-like">
          {t('trust.pinFile')}
          <input
            type="file"
            accept="application/json,.json"
            class="sr-only"
            data-testid="pin-file"
            onChange={(e) => load((e.currentTarget as HTMLInputElement).files?.[0])}
          />
        </label>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
