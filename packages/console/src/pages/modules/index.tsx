import { Suspense } from 'preact/compat';
import { useAsync, useConnection } from '../../chain/hooks.js';
import { loadModules } from '../../chain/module-catalog.js';
import { ErrorNote, Loading, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href } from '../../router.js';
import { GenericModulePage } from './generic.js';
import { MODULE_PAGES } from './registry.js';

/** `#/modules`: the node's enabled modules; `#/modules/<name>`: that module's page (its own, or the generic one). */
export function ModulesPage({ rest }: { rest: readonly string[] }) {
  const { t } = useI18n();
  const { client } = useConnection();
  const modules = useAsync(() => loadModules(client), []);
  if (modules.error) return <ErrorNote error={modules.error} />;
  if (!modules.data) return <Loading />;
  const [name, ...more] = rest;
  const nav = (
    <nav aria-label={t('modules.list')} class="module-nav">
      <ul class="module-nav-list">
        {modules.data.map((m) => (
          <li key={m.name}>
            <a href={href('modules', m.name)} aria-current={m.name === name ? 'page' : undefined}>
              {m.name}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
  if (!name)
    return (
      <div class="grid">
        {nav}
        <Section title={t('modules.enabled')}>
          <Table
            caption={t('modules.enabled')}
            head={[t('modules.name'), t('modules.queriesCount'), t('modules.messages'), t('modules.page')]}
            rows={modules.data.map((m) => [
              <a href={href('modules', m.name)}>{m.name}</a>,
              m.queries.length,
              m.messages.join(', ') || '—',
              MODULE_PAGES[m.name] ? t('modules.ownPage') : t('modules.genericPage'),
            ])}
          />
        </Section>
      </div>
    );
  const module = modules.data.find((m) => m.name === name);
  if (!module)
    return (
      <div class="grid">
        {nav}
        <p class="error" role="alert">
          {t('modules.notEnabled', { name })}
        </p>
      </div>
    );
  const Own = MODULE_PAGES[module.name];
  return (
    <div class="grid" data-module={module.name}>
      {nav}
      <h2 class="module-title">{t('modules.pageOf', { name: module.name })}</h2>
      {Own ? (
        <Suspense fallback={<Loading />}>
          <Own module={module} rest={more} />
        </Suspense>
      ) : (
        <GenericModulePage module={module} />
      )}
    </div>
  );
}
