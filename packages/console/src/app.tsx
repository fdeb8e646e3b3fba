import { type ComponentType, lazy, Suspense } from 'preact/compat';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Connection, connect, PinRequiredError } from './chain/connection.js';
import { ConnectionContext, errorText } from './chain/hooks.js';
import { PinRequired } from './components/pin-required.js';
import { TrustBanner } from './components/trust-banner.js';
import { Loading } from './components/ui.js';
import { I18nContext, initialLang, type Lang, type MessageKey, saveLang, translate } from './i18n/index.js';
import { href, useRoute } from './router.js';

// Each page is its own chunk, loaded when first opened, so the first load carries only the shell and one page.
const PAGES: Record<string, { label: MessageKey; page: ComponentType<{ rest: readonly string[] }> }> = {
  network: {
    label: 'nav.network',
    page: lazy(() => import('./pages/network.js').then((m) => m.NetworkPage)),
  },
  explorer: {
    label: 'nav.explorer',
    page: lazy(() => import('./pages/explorer/index.js').then((m) => m.ExplorerPage)),
  },
  orgs: { label: 'nav.orgs', page: lazy(() => import('./pages/orgs.js').then((m) => m.OrgsPage)) },
  governance: {
    label: 'nav.governance',
    page: lazy(() => import('./pages/governance.js').then((m) => m.GovernancePage)),
  },
  notary: { label: 'nav.notary', page: lazy(() => import('./pages/notary.js').then((m) => m.NotaryPage)) },
  modules: {
    label: 'nav.modules',
    page: lazy(() => import('./pages/modules/index.js').then((m) => m.ModulesPage)),
  },
  alerts: { label: 'nav.alerts', page: lazy(() => import('./pages/alerts.js').then((m) => m.AlertsPage)) },
};

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo(
    () => ({
      lang,
      t: (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars),
      setLang: (next: Lang) => {
        saveLang(next);
        setLangState(next);
      },
    }),
    [lang],
  );
  const [connection, setConnection] = useState<Connection>();
  const [failure, setFailure] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    saveLang(lang);
  }, []);
  useEffect(() => {
    connect().then(setConnection, setFailure);
  }, [attempt]);
  const route = useRoute();
  const entry = PAGES[route.page] ?? PAGES.network!;
  const Page = entry.page;
  const { t } = i18n;
  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            浦
          </span>
          <span>{t('app.title')}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul>
            {Object.entries(PAGES).map(([id, p]) => (
              <li key={id}>
                <a
                  href={href(id)}
                  aria-current={
                    route.page === id || (id === 'network' && !PAGES[route.page]) ? 'page' : undefined
                  }
                >
                  {t(p.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <label class="lang">
          <span class="sr-only">{t('nav.language')}</span>
          <select
            value={lang}
            onChange={(e) => i18n.setLang((e.currentTarget as HTMLSelectElement).value as Lang)}
            aria-label={t('nav.language')}
            data-testid="language"
          >
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </label>
      </header>
      <main id="main" tabIndex={-1}>
        {failure instanceof PinRequiredError && !connection ? (
          <PinRequired
            nodeUrl={failure.nodeUrl}
            onPinned={() => {
              setFailure(undefined);
              setAttempt((n) => n + 1);
            }}
          />
        ) : failure !== undefined && !connection ? (
          <div class="card" role="alert">
            <h1>{t('app.unreachable')}</h1>
            <p>{errorText(failure)}</p>
            <button
              type="button"
              onClick={() => {
                setFailure(undefined);
                setAttempt((n) => n + 1);
              }}
            >
              {t('common.retry')}
            </button>
          </div>
        ) : !connection ? (
          <Loading />
        ) : (
          <ConnectionContext.Provider value={connection}>
            <TrustBanner />
            <h1 class="page-title">{t(entry.label)}</h1>
            <Suspense fallback={<Loading />}>
              <Page rest={route.rest} />
            </Suspense>
          </ConnectionContext.Provider>
        )}
      </main>
    </I18nContext.Provider>
  );
}
