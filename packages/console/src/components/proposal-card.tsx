import type { ProposalJson, ProposalStatus } from '@pujiang/module-governance';
import { proposalStatusAt } from '@pujiang/module-governance/client';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { Fields, Hex, Table } from './ui.js';

export type ProposalAction =
  | { readonly kind: 'vote'; readonly approve: boolean }
  | { readonly kind: 'finalize' }
  | { readonly kind: 'veto'; readonly reason: string };

/** Blocks left until `target` and, at the recent block time, roughly how long. */
function Countdown({ height, target, blockMs }: { height: number; target: number; blockMs?: number }) {
  const { t } = useI18n();
  const blocks = Math.max(0, target - height);
  const seconds = blockMs === undefined ? undefined : Math.round((blocks * blockMs) / 1000);
  return (
    <span data-blocks-left={blocks}>
      {t('gov.blocksLeft', { blocks, target })}
      {seconds !== undefined && blocks > 0
        ? ` (~${seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`})`
        : ''}
    </span>
  );
}

/**
 * One proposal: its action, policy, votes per organization, where it stands (voting window,
 * time-lock, veto), and, with a key loaded, the actions that apply now.
 */
export function ProposalCard({
  proposal: p,
  height,
  blockMs,
  timelock,
  canAct,
  busy,
  signingBlocked = false,
  onAct,
}: {
  proposal: ProposalJson;
  height: number;
  blockMs?: number;
  /** The chain's time-lock in blocks (from its configuration), for proposals still voting. */
  timelock?: number;
  canAct: boolean;
  busy: boolean;
  /** The page refuses to sign (another chain than the pinned one): the actions show, disabled. */
  signingBlocked?: boolean;
  onAct: (id: string, action: ProposalAction) => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const status = proposalStatusAt(p, height) as ProposalStatus;
  const votingEnds = Number(p.votingEnds);
  const executableAt = Number(p.executableAt);
  const vetoBy = p.policy.vetoBy ?? [];
  const vetoed = p.history.find((h) => h.status === 'vetoed');
  const finalizable =
    (status === 'queued' && height >= executableAt) || (status === 'expired' && p.status === 'voting');
  const reasonId = `veto-reason-${p.id}`;
  // The vote closes when the outcome is decided, or at the end of the voting period.
  const closedAt = p.history.find((h) => h.status !== 'voting')?.height ?? p.votingEnds;
  return (
    <article class="proposal" data-proposal={p.id} data-status={status} aria-labelledby={`proposal-${p.id}`}>
      <h3 id={`proposal-${p.id}`}>
        #{p.id} {p.title || p.kind} <span class={`status status-${status}`}>{t(`gov.status.${status}`)}</span>
      </h3>
      <Fields
        rows={[
          [
            t('gov.action'),
            <code class="hex">
              {p.kind}: {JSON.stringify(p.action)}
            </code>,
          ],
          [t('gov.resource'), p.resource],
          [
            t('gov.policy'),
            `${typeof p.policy.rule === 'string' ? p.policy.rule : JSON.stringify(p.policy.rule)} — ${
              p.policy.orgs?.length ? p.policy.orgs.join(', ') : t('gov.allOrgs')
            }`,
          ],
          [t('gov.proposer'), <Hex value={p.proposer} />],
          [
            t('gov.history'),
            p.history.map((h) => `${t(`gov.status.${h.status as ProposalStatus}`)} @${h.height}`).join(' → '),
          ],
          [
            t('gov.voting'),
            status === 'voting' ? (
              <Countdown
                height={height}
                target={votingEnds}
                {...(blockMs === undefined ? {} : { blockMs })}
              />
            ) : (
              t('gov.closedAt', { height: closedAt })
            ),
          ],
          [
            t('gov.timelock'),
            status === 'queued' ? (
              height >= executableAt ? (
                <span class="ok">{t('gov.timelockOver', { height: executableAt })}</span>
              ) : (
                <Countdown
                  height={height}
                  target={executableAt}
                  {...(blockMs === undefined ? {} : { blockMs })}
                />
              )
            ) : executableAt > 0 ? (
              t('gov.executableAt', { height: executableAt })
            ) : status === 'voting' && timelock !== undefined ? (
              t('gov.timelockAfter', { blocks: timelock })
            ) : (
              '—'
            ),
          ],
          [
            t('gov.veto'),
            vetoed ? (
              <span class="error">{t('gov.vetoedBy', { by: vetoed.by, note: vetoed.note })}</span>
            ) : vetoBy.length === 0 ? (
              t('gov.noVeto')
            ) : (
              t('gov.vetoBy', { orgs: vetoBy.join(', ') })
            ),
          ],
        ]}
      />
      <Table
        caption={t('gov.votesOf', { id: p.id })}
        head={[t('gov.org'), t('gov.voter'), t('gov.vote'), t('gov.atHeight')]}
        rows={p.votes.map((v) => [
          v.org,
          <Hex value={v.voter} />,
          <span class={v.approve ? 'ok' : 'error'} data-vote={`${v.org}:${v.approve ? 'yes' : 'no'}`}>
            {v.approve ? t('gov.approve') : t('gov.reject')}
          </span>,
          v.height,
        ])}
        empty={t('gov.noVotes')}
      />
      {canAct && (
        <div class="row actions">
          {status === 'voting' && (
            <>
              <button
                type="button"
                disabled={busy || signingBlocked}
                onClick={() => onAct(p.id, { kind: 'vote', approve: true })}
              >
                {t('gov.approveAction', { id: p.id })}
              </button>
              <button
                type="button"
                class="secondary"
                disabled={busy || signingBlocked}
                onClick={() => onAct(p.id, { kind: 'vote', approve: false })}
              >
                {t('gov.rejectAction', { id: p.id })}
              </button>
            </>
          )}
          {finalizable && (
            <button
              type="button"
              disabled={busy || signingBlocked}
              onClick={() => onAct(p.id, { kind: 'finalize' })}
            >
              {t('gov.finalizeAction', { id: p.id })}
            </button>
          )}
          {vetoBy.length > 0 && (status === 'voting' || status === 'queued') && (
            <span class="row">
              <label for={reasonId}>{t('gov.vetoReason')}</label>
              <input id={reasonId} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              <button
                type="button"
                class="secondary"
                disabled={busy || signingBlocked || !reason}
                onClick={() => onAct(p.id, { kind: 'veto', reason })}
              >
                {t('gov.vetoAction', { id: p.id })}
              </button>
            </span>
          )}
        </div>
      )}
    </article>
  );
}
