import { errorText } from '../chain/hooks.js';
import { useI18n } from '../i18n/index.js';

/**
 * Whether what a view shows was proven against the pinned genesis. `proven` is only for
 * values the page decoded from proven state itself; when only the query's reads were proven
 * and the answer is the node's function of them, the state is `reads` (never green).
 */
export type Proof =
  | { readonly state: 'checking' }
  | { readonly state: 'proven'; readonly height: number }
  | { readonly state: 'reads'; readonly height: number }
  | { readonly state: 'unproven'; readonly why?: string }
  | { readonly state: 'failed'; readonly error: unknown };

/** The badge beside an answer: proven (and at which header), reads proven only, not proven, or refused with the failed check. */
export function ProofBadge({ proof }: { proof: Proof }) {
  const { t } = useI18n();
  const text =
    proof.state === 'proven'
      ? t('proof.proven', { height: proof.height })
      : proof.state === 'reads'
        ? t('proof.reads')
        : proof.state === 'checking'
          ? t('proof.checking')
          : proof.state === 'unproven'
            ? t('proof.unproven')
            : t('proof.failed');
  const title =
    proof.state === 'failed'
      ? errorText(proof.error)
      : proof.state === 'unproven'
        ? (proof.why ?? t('proof.unprovenWhy'))
        : proof.state === 'proven'
          ? t('proof.provenWhy')
          : proof.state === 'reads'
            ? t('proof.readsWhy', { height: proof.height })
            : '';
  return (
    <span class={`badge badge-${proof.state}`} role="status" data-proof={proof.state} title={title}>
      <span aria-hidden="true">{proof.state === 'proven' ? '✔' : proof.state === 'failed' ? '✖' : '•'}</span>{' '}
      {text}
      {proof.state === 'failed' && <span class="badge-detail"> — {errorText(proof.error)}</span>}
    </span>
  );
}
