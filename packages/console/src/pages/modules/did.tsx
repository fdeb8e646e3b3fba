import { verifiedChainLookup } from '@pujiang/module-did/client';
import {
  BUNDLED_CONTEXTS,
  didResolver,
  verifyCredential,
  verifyDidResolutionProof,
} from '@pujiang/sdk/verify';
import { useState } from 'preact/hooks';
import { useConnection } from '../../chain/hooks.js';
import { verifiedLatestHeader } from '../../chain/proven-query.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Fields, formatTime, Section } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { GenericModulePage } from './generic.js';
import type { ModulePageProps } from './registry.js';

interface Resolution {
  readonly document: unknown;
  readonly metadata: Record<string, unknown>;
  readonly proof: Proof;
}

/**
 * DIDs: resolve one through the node's W3C DID Resolution route with state proofs, and
 * rebuild the document in the browser from the proven reads (the node's own document is not
 * shown when the proof holds); check a credential through the node's VC-API.
 */
export function DidPage({ module }: ModulePageProps) {
  const { t, lang } = useI18n();
  const { client, light } = useConnection();
  const [did, setDid] = useState('');
  const [resolved, setResolved] = useState<Resolution | { error: unknown } | { loading: true }>();
  const [credential, setCredential] = useState('');
  const [verdict, setVerdict] = useState<
    | { ok: boolean; checks: string[]; error?: string; issued?: { height: string; time: string } }
    | { error: unknown }
  >();

  const resolve = async () => {
    setResolved({ loading: true });
    try {
      const value = did.trim();
      const answer = (await client.requestRoute(
        'GET',
        `/1.0/identifiers/${encodeURIComponent(value)}?proof=true`,
      )) as {
        didDocument?: unknown;
        didDocumentMetadata?: Record<string, unknown>;
        didResolutionMetadata?: { proof?: { height: number; stateRoot: string; reads: never[] } };
      };
      const proof = answer.didResolutionMetadata?.proof;
      if (!proof) {
        setResolved({
          document: answer.didDocument,
          metadata: answer.didDocumentMetadata ?? {},
          proof: { state: 'unproven' },
        });
        return;
      }
      try {
        await verifiedLatestHeader(light); // one walk of the validator sets, shared with the page's queries
        const header = await light.getVerifiedHeader(proof.height);
        const state = verifyDidResolutionProof(proof, header, value);
        if (!state) throw new Error(t('did.provenAbsent'));
        setResolved({
          document: state.document,
          metadata: {
            versionId: state.versionId,
            created: formatTime(state.created, lang),
            updated: state.updated === undefined ? undefined : formatTime(state.updated, lang),
            deactivated: state.deactivated,
            txHash: state.txHash,
          },
          proof: { state: 'proven', height: header.height },
        });
      } catch (error) {
        setResolved({
          document: answer.didDocument,
          metadata: answer.didDocumentMetadata ?? {},
          proof: { state: 'failed', error },
        });
      }
    } catch (error) {
      setResolved({ error });
    }
  };
  const verify = async () => {
    setVerdict(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(credential);
    } catch (error) {
      setVerdict({ error });
      return;
    }
    // In the browser: the issuer's DID document, key history and the proof's anchor are read
    // by proven queries against the pinned genesis; the node is trusted for nothing.
    const chain = verifiedChainLookup(light);
    const report = await verifyCredential(parsed, {
      contexts: BUNDLED_CONTEXTS,
      resolver: didResolver({ chain }),
      chain,
    });
    setVerdict({
      ok: report.verified,
      checks: report.checks.map((c) => `${c.check}: ${c.verified ? '✔' : '✖'}`),
      ...(report.error ? { error: `${report.error.code}: ${report.error.message}` } : {}),
      ...(report.issuance ? { issued: report.issuance } : {}),
    });
  };
  return (
    <>
      <Section
        title={t('did.resolveTitle')}
        actions={resolved && 'proof' in resolved ? <ProofBadge proof={resolved.proof} /> : undefined}
      >
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void resolve();
          }}
        >
          <label for="did-input">{t('did.did')}</label>
          <input
            id="did-input"
            class="wide"
            required
            pattern="did:[a-z0-9]+:.+"
            value={did}
            onInput={(e) => setDid(e.currentTarget.value)}
          />
          <button type="submit">{t('did.resolve')}</button>
        </form>
        {resolved && 'loading' in resolved && (
          <p class="muted" aria-busy="true">
            {t('common.loading')}
          </p>
        )}
        {resolved && 'error' in resolved && <ErrorNote error={resolved.error} />}
        {resolved && 'proof' in resolved && (
          <>
            <Fields
              rows={Object.entries(resolved.metadata)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, String(v)] as const)}
            />
            <pre class="json" data-testid="did-document">
              {JSON.stringify(resolved.document, null, 2)}
            </pre>
          </>
        )}
      </Section>
      <Section title={t('did.verifyTitle')}>
        <p class="muted">{t('did.verifyIntro')}</p>
        <div class="field-row">
          <label for="vc-input">{t('did.credential')}</label>
          <textarea
            id="vc-input"
            rows={6}
            value={credential}
            onInput={(e) => setCredential(e.currentTarget.value)}
          />
        </div>
        <button type="button" disabled={!credential.trim()} onClick={() => void verify()}>
          {t('did.verify')}
        </button>
        {verdict && !('ok' in verdict) && <ErrorNote error={verdict.error} />}
        {verdict && 'ok' in verdict && (
          <div
            class={`verdict ${verdict.ok ? 'verdict-ok' : 'verdict-bad'}`}
            role="status"
            data-verdict={verdict.ok ? 'valid' : 'invalid'}
          >
            <p>
              <strong>{verdict.ok ? `✔ ${t('did.verified')}` : `✖ ${t('did.notVerified')}`}</strong>
              {verdict.error ? ` — ${verdict.error}` : ''}
            </p>
            {verdict.issued && (
              <p>
                {t('did.issuedAt', {
                  height: verdict.issued.height,
                  time: formatTime(verdict.issued.time, lang),
                })}
              </p>
            )}
            <p class="small">{verdict.checks.join(' · ')}</p>
          </div>
        )}
      </Section>
      <GenericModulePage module={module} />
    </>
  );
}
