import {
  finalizeProposal,
  submitProposal,
  vetoProposal,
  voteOnProposal,
} from '@pujiang/module-governance/client';
import { useState } from 'preact/hooks';
import { actionOf, FORM_FIELDS, FORM_KINDS, type FormKind } from '../chain/governance-actions.js';
import { errorText, useAsync, useConnection } from '../chain/hooks.js';
import { pinnedSigner, signingRefusal } from '../chain/pinned-signer.js';
import { loadProposals, loadTimelock } from '../chain/proven-proposals.js';
import { forgetLatestHeader } from '../chain/proven-query.js';
import { ConfirmAction } from '../components/confirm-action.js';
import { KeyLoader, type LoadedKey } from '../components/key-loader.js';
import { ProofBadge } from '../components/proof-badge.js';
import { type ProposalAction, ProposalCard } from '../components/proposal-card.js';
import { ErrorNote, Hex, Loading, Section } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { href } from '../router.js';

/** Proposals are read again this often (and after each transaction the page sends). */
const PROPOSALS_POLL_MS = 10_000;

/** The last transaction the page sent: what it was, its hash and the committed receipt's code. */
interface Sent {
  readonly what: string;
  readonly hash?: string;
  readonly code?: string;
  readonly message?: string;
  readonly error?: string;
}

/** A sent call's outcome, whether the chain took it or refused it. */
async function outcome(
  what: string,
  send: () => Promise<{ hash: string; result: { receipt?: { code: string; message?: string } } }>,
): Promise<Sent> {
  try {
    const sent = await send();
    const receipt = sent.result.receipt;
    return {
      what,
      hash: sent.hash,
      ...(receipt ? { code: receipt.code, ...(receipt.message ? { message: receipt.message } : {}) } : {}),
    };
  } catch (error) {
    return { what, error: errorText(error) };
  }
}

function ProposeForm({
  disabled,
  onSubmit,
}: {
  disabled: boolean;
  onSubmit: (title: string, kind: FormKind, fields: Record<string, string>) => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<FormKind>('setPacing');
  const [title, setTitle] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(title, kind, fields);
      }}
    >
      <div class="field-row">
        <label for="proposal-kind">{t('gov.kind')}</label>
        <select id="proposal-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as FormKind)}>
          {FORM_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`gov.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field-row">
        <label for="proposal-title">{t('gov.title')}</label>
        <input id="proposal-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      {FORM_FIELDS[kind].map((name) => (
        <div class="field-row" key={`${kind}-${name}`}>
          <label for={`field-${name}`}>{t(`gov.field.${name}`)}</label>
          {name === 'caCertificate' ? (
            <textarea
              id={`field-${name}`}
              rows={5}
              value={fields[name] ?? ''}
              onInput={(e) => setFields({ ...fields, [name]: e.currentTarget.value })}
            />
          ) : (
            <input
              id={`field-${name}`}
              value={fields[name] ?? ''}
              onInput={(e) => setFields({ ...fields, [name]: e.currentTarget.value })}
            />
          )}
        </div>
      ))}
      <button type="submit" disabled={disabled}>
        {t('gov.propose')}
      </button>
    </form>
  );
}

/**
 * Governance: the proposals (proven query) with votes, time-lock and veto state, and, with a
 * key loaded into the page, propose, vote, veto and finalize. Transactions are built and
 * signed here; only the signed transaction is sent, and the page waits for its commit.
 */
export function GovernancePage(_props: { rest: readonly string[] }) {
  const { t } = useI18n();
  const { client, light, genesis, trust } = useConnection();
  const [key, setKey] = useState<LoadedKey>();
  const [pending, setPending] = useState<{ id: string; action: ProposalAction }>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Sent>();
  const [refresh, setRefresh] = useState(0);
  const status = useAsync(() => client.getStatus(), [], 3000);
  const height = status.data?.height ?? 0;
  const blockMs = useAsync(async () => {
    if (height < 12) return undefined;
    const [a, b] = await Promise.all([client.getHeader(height - 10), client.getHeader(height)]);
    return (Number(b.header.time) - Number(a.header.time)) / 10;
  }, [Math.floor(height / 20)]);
  const config = useAsync(() => loadTimelock(light), []);
  const proposals = useAsync(() => loadProposals(light), [refresh], PROPOSALS_POLL_MS);
  // The page signs only for the pinned chain: a node serving another genesis, or whose status
  // names another chain, gets nothing signed.
  const refusal = signingRefusal(trust, genesis, status.data?.chainId);
  const signer = pinnedSigner(client, genesis);

  const run = async (
    what: string,
    send: () => Promise<{ hash: string; result: { receipt?: { code: string; message?: string } } }>,
  ) => {
    setBusy(true);
    setSent({ what });
    const result = await outcome(what, send);
    setSent(result);
    setBusy(false);
    // Read the proposals again once the state after the transaction can be proven.
    if (result.hash)
      await client.waitForProvableState(result.hash, 30_000, { throwOnFailure: false }).catch(() => {});
    forgetLatestHeader(light);
    setRefresh((n) => n + 1);
  };
  const common = () => ({ key: key!.key, wait: true, throwOnFailure: false });
  const act = (id: string, action: ProposalAction) => {
    setPending(undefined);
    if (!key || refusal) return;
    if (action.kind === 'vote')
      void run(t(action.approve ? 'gov.approveAction' : 'gov.rejectAction', { id }), () =>
        voteOnProposal(signer, { ...common(), id, approve: action.approve }),
      );
    else if (action.kind === 'finalize')
      void run(t('gov.finalizeAction', { id }), () => finalizeProposal(signer, { ...common(), id }));
    else
      void run(t('gov.vetoAction', { id }), () =>
        vetoProposal(signer, { ...common(), id, reason: action.reason }),
      );
  };
  const propose = (title: string, kind: FormKind, fields: Record<string, string>) => {
    if (!key || refusal) return;
    let action: ReturnType<typeof actionOf>;
    try {
      action = actionOf(kind, fields);
    } catch (error) {
      setSent({ what: t('gov.propose'), error: errorText(error) });
      return;
    }
    void run(t('gov.propose'), () => submitProposal(signer, { ...common(), title: title || kind, action }));
  };

  return (
    <div class="grid">
      <Section title={t('gov.yourKey')}>
        <KeyLoader {...(key ? { loaded: key } : {})} onChange={setKey} />
        {refusal && (
          <p class="error" role="alert" data-testid="signing-refused">
            {t(refusal.kind === 'mismatch' ? 'gov.refuseMismatch' : 'gov.refuseStatus', {
              pinned: refusal.pinned,
              node: refusal.node,
            })}
          </p>
        )}
        {pending && (
          <ConfirmAction
            id={pending.id}
            action={pending.action}
            proposal={
              proposals.data?.proven ? proposals.data.list.find((p) => p.id === pending.id) : undefined
            }
            {...(proposals.data?.proven ? {} : { refusedWhy: t('gov.confirmUnproven') })}
            onConfirm={() => act(pending.id, pending.action)}
            onCancel={() => setPending(undefined)}
          />
        )}
        {sent && (
          <div class="sent" role="status" aria-live="polite" data-testid="sent">
            <strong>{sent.what}</strong>{' '}
            {sent.error ? (
              <span class="error" data-testid="sent-error">
                {sent.error}
              </span>
            ) : !sent.hash ? (
              <span class="muted" aria-busy="true">
                {t('gov.sending')}
              </span>
            ) : (
              <>
                <span class={sent.code === 'OK' ? 'ok' : 'error'} data-testid="sent-code">
                  {sent.code ?? t('gov.pending')}
                </span>
                {sent.message ? ` — ${sent.message}` : ''}{' '}
                <a href={href('explorer', 'tx', sent.hash)} data-testid="sent-tx">
                  {t('gov.viewTx')} <Hex value={sent.hash} />
                </a>
              </>
            )}
          </div>
        )}
      </Section>
      <Section
        title={t('gov.proposals')}
        actions={proposals.data && <ProofBadge proof={proposals.data.proof} />}
      >
        {proposals.error && !proposals.data ? (
          <ErrorNote error={proposals.error} />
        ) : !proposals.data ? (
          <Loading />
        ) : proposals.data.list.length === 0 ? (
          <p class="muted">{t('gov.noProposals')}</p>
        ) : (
          proposals.data.list.map((p) => (
            <ProposalCard
              key={p.id}
              proposal={p}
              height={height}
              {...(blockMs.data === undefined ? {} : { blockMs: blockMs.data })}
              {...(config.data === undefined || config.data === null ? {} : { timelock: config.data })}
              canAct={key !== undefined}
              busy={busy || pending !== undefined}
              signingBlocked={refusal !== undefined}
              onAct={(id, action) => setPending({ id, action })}
            />
          ))
        )}
      </Section>
      <Section title={t('gov.newProposal')}>
        {!key && <p class="muted">{t('gov.loadKeyFirst')}</p>}
        <ProposeForm disabled={!key || busy || refusal !== undefined} onSubmit={propose} />
      </Section>
    </div>
  );
}
