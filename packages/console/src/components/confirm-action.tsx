import type { ProposalJson } from '@pujiang/module-governance';
import { useI18n } from '../i18n/index.js';
import type { ProposalAction } from './proposal-card.js';
import { Fields } from './ui.js';

/**
 * The confirmation before the page signs a vote, veto or finalize: what is signed for, shown
 * from the proposal as DECODED from proven state (the caller passes only such a proposal),
 * never from the node's answer. Without a proven proposal, nothing can be confirmed.
 */
export function ConfirmAction({
  id,
  action,
  proposal,
  refusedWhy,
  onConfirm,
  onCancel,
}: {
  id: string;
  action: ProposalAction;
  proposal: ProposalJson | undefined;
  refusedWhy?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const what =
    action.kind === 'vote'
      ? t(action.approve ? 'gov.approveAction' : 'gov.rejectAction', { id })
      : action.kind === 'finalize'
        ? t('gov.finalizeAction', { id })
        : t('gov.vetoAction', { id });
  return (
    <section class="confirm" aria-labelledby="confirm-heading" data-testid="confirm">
      <h3 id="confirm-heading">{t('gov.confirmHeading', { what })}</h3>
      {proposal ? (
        <Fields
          rows={[
            [t('gov.title'), <span data-testid="confirm-title">{proposal.title || '—'}</span>],
            [
              t('gov.action'),
              <code class="hex" data-testid="confirm-action">
                {proposal.kind}: {JSON.stringify(proposal.action)}
              </code>,
            ],
            ...(action.kind === 'veto' ? [[t('gov.vetoReason'), action.reason] as const] : []),
          ]}
        />
      ) : (
        <p class="error" role="alert">
          {refusedWhy ?? t('gov.confirmUnknown', { id })}
        </p>
      )}
      <p class="muted">{t('gov.confirmProven')}</p>
      <div class="row actions">
        <button type="button" disabled={!proposal} onClick={onConfirm} data-testid="confirm-sign">
          {t('gov.confirmSign')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('gov.cancel')}
        </button>
      </div>
    </section>
  );
}
