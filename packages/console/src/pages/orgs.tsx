import { EXPIRY_WARNING_MS, type ExpiryState, expiryState } from '../chain/certificates.js';
import { useAsync, useConnection } from '../chain/hooks.js';
import { loadMembers, loadOrganizations, type MemberView } from '../chain/members.js';
import { ProofBadge } from '../components/proof-badge.js';
import { ErrorNote, Hex, Loading, Section, Table } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { href } from '../router.js';

const DAY_MS = 86_400_000;

/** A validity end with how it stands: expired, expiring within the warning window, or valid. */
function Expiry({ notAfter }: { notAfter: number | undefined }) {
  const { t, lang } = useI18n();
  if (notAfter === undefined) return <span>—</span>;
  const state: ExpiryState = expiryState(notAfter);
  const days = Math.max(0, Math.floor((notAfter - Date.now()) / DAY_MS));
  const date = new Date(notAfter).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  return (
    <span class={state === 'valid' ? '' : state === 'expired' ? 'error' : 'warn'} data-expiry={state}>
      {date}{' '}
      {state === 'expired'
        ? `(${t('orgs.expired')})`
        : state === 'expiring'
          ? `(${t('orgs.expiresIn', { days })})`
          : ''}
    </span>
  );
}

/** Expiring and expired certificates first, soonest first; then the rest by organization. */
function byUrgency(a: MemberView, b: MemberView): number {
  const rank = (m: MemberView) =>
    m.notAfter === undefined ? 2 : expiryState(m.notAfter) === 'valid' ? 1 : 0;
  return (
    rank(a) - rank(b) ||
    (rank(a) === 0 ? (a.notAfter ?? 0) - (b.notAfter ?? 0) : 0) ||
    a.org.localeCompare(b.org) ||
    a.address.localeCompare(b.address)
  );
}

/**
 * Organizations and certificates: each member organization with its root CAs (read from the
 * certificate in the browser) and its CRL, and every member found with its role and
 * certificate expiry. Certificates expiring within 30 days are listed first and highlighted.
 */
export function OrgsPage(_props: { rest: readonly string[] }) {
  const { t, lang } = useI18n();
  const { light, client, genesis } = useConnection();
  const orgs = useAsync(() => loadOrganizations(light), []);
  const members = useAsync(() => loadMembers(light, client, genesis), []);
  const sorted = [...(members.data?.members ?? [])].sort(byUrgency);
  const urgent = sorted.filter((m) => m.notAfter !== undefined && expiryState(m.notAfter) !== 'valid');
  const allCas = orgs.data?.orgs.flatMap((o) => o.cas.map((ca) => ({ org: o.id, ca }))) ?? [];
  const urgentCas = allCas.filter(({ ca }) => ca.notAfter > 0 && expiryState(ca.notAfter) !== 'valid');
  const date = (ms: number) => new Date(ms).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  return (
    <div class="grid">
      <Section title={t('orgs.expiring', { days: EXPIRY_WARNING_MS / DAY_MS })}>
        {members.error ? (
          <ErrorNote error={members.error} />
        ) : !members.data || !orgs.data ? (
          <Loading />
        ) : urgent.length === 0 && urgentCas.length === 0 ? (
          <p class="ok" data-testid="no-expiring">
            {t('orgs.noneExpiring')}
          </p>
        ) : (
          <ul class="alert-list" data-testid="expiring">
            {urgentCas.map(({ org, ca }) => (
              <li key={`ca-${ca.fingerprint}`} class="warn-row">
                {t('orgs.caOf', { org })} <Hex value={ca.fingerprint} /> — <Expiry notAfter={ca.notAfter} />
              </li>
            ))}
            {urgent.map((m) => (
              <li key={m.address} class="warn-row">
                {m.name ? `${m.name} (${m.org}, ${m.role})` : `${m.role} (${m.org})`}{' '}
                <a href={href('explorer', 'account', m.address)}>
                  <Hex value={m.address} />
                </a>{' '}
                — <Expiry notAfter={m.notAfter} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('orgs.organizations')} actions={orgs.data && <ProofBadge proof={orgs.data.proof} />}>
        {orgs.error ? (
          <ErrorNote error={orgs.error} />
        ) : !orgs.data ? (
          <Loading />
        ) : (
          orgs.data.orgs.map((org) => (
            <div class="org" key={org.id} data-org={org.id}>
              <h3>
                {org.name} <span class="muted">({org.id})</span>
              </h3>
              <Table
                caption={t('orgs.casOf', { org: org.id })}
                head={[t('orgs.subject'), t('orgs.fingerprint'), t('orgs.validFrom'), t('orgs.validTo')]}
                rows={org.cas.map((ca) => [
                  <>
                    {ca.subject.CN ?? '—'}
                    {ca.error && (
                      <span class="error" role="alert">
                        {' '}
                        {ca.error}
                      </span>
                    )}
                  </>,
                  <Hex value={ca.fingerprint} />,
                  ca.notBefore ? date(ca.notBefore) : '—',
                  ca.notAfter ? <Expiry notAfter={ca.notAfter} /> : '—',
                ])}
              />
              <div class="row crl">
                <strong>{t('orgs.crl')}</strong>
                <ProofBadge proof={org.crlProof} />
                {org.revoked.length === 0 ? (
                  <span class="muted">{t('orgs.noRevoked')}</span>
                ) : (
                  <span data-testid={`crl-${org.id}`}>
                    {org.revoked.map((serial) => (
                      <Hex key={serial} value={serial} />
                    ))}
                  </span>
                )}
              </div>
            </div>
          ))
        )}
      </Section>
      <Section title={t('orgs.members')}>
        {members.error ? (
          <ErrorNote error={members.error} />
        ) : !members.data ? (
          <Loading />
        ) : (
          <>
            {!members.data.complete && <p class="muted">{t('orgs.partial')}</p>}
            <Table
              caption={t('orgs.members')}
              head={[
                t('orgs.member'),
                t('orgs.org'),
                t('orgs.role'),
                t('orgs.serial'),
                t('orgs.validTo'),
                t('orgs.status'),
                t('orgs.proof'),
              ]}
              rows={sorted.map((m) => {
                const revoked = orgs.data?.orgs.find((o) => o.id === m.org)?.revoked.includes(m.serial);
                return [
                  <a href={href('explorer', 'account', m.address)} data-member={m.address}>
                    {m.name ? `${m.name} ` : ''}
                    <Hex value={m.address} />
                  </a>,
                  m.org,
                  m.role,
                  m.serial ? <Hex value={m.serial} chars={8} /> : '—',
                  <Expiry notAfter={m.notAfter} />,
                  !m.registered ? (
                    <span class="muted">{t('orgs.notRegistered')}</span>
                  ) : m.problem || revoked ? (
                    <span class="error">{m.problem ?? t('orgs.revoked')}</span>
                  ) : (
                    <span class="ok">{t('orgs.active')}</span>
                  ),
                  <ProofBadge proof={m.proof} />,
                ];
              })}
            />
          </>
        )}
      </Section>
    </div>
  );
}
