import type { ChainEvent } from '@pujiang/sdk/browser';
import { useEffect, useState } from 'preact/hooks';
import { useConnection } from '../../chain/hooks.js';
import type { ModuleInfo, QueryParam } from '../../chain/module-catalog.js';
import { provenQuery } from '../../chain/proven-query.js';
import { type Proof, ProofBadge } from '../../components/proof-badge.js';
import { ErrorNote, Section, Table } from '../../components/ui.js';
import { useI18n } from '../../i18n/index.js';
import { href } from '../../router.js';

/** A query's answer as JSON, with whether its reads were proven. */
export function QueryAnswer({ result, proof }: { result: unknown; proof: Proof }) {
  return (
    <div class="answer">
      <ProofBadge proof={proof} />
      <pre class="json" data-testid="query-result">
        {JSON.stringify(result, null, 2)}
      </pre>
    </div>
  );
}

/** A query's form, built from its parameters' schemas; the answer is proven against the pinned genesis. */
export function QueryForm({
  module,
  name,
  params,
  summary,
}: {
  module: string;
  name: string;
  params: readonly QueryParam[];
  summary: string;
}) {
  const { t } = useI18n();
  const { light, client } = useConnection();
  const [values, setValues] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<
    { result: unknown; proof: Proof } | { error: unknown } | { loading: true }
  >();
  const run = async () => {
    const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    setAnswer({ loading: true });
    try {
      const verified = await provenQuery(light, module, name, filled);
      setAnswer({ result: verified.result, proof: { state: 'reads', height: verified.height } });
    } catch (proofError) {
      // The node may still answer (the query itself may be refused, or its proof may fail).
      try {
        const plain = await client.query(module, name, filled);
        setAnswer({ result: plain.result, proof: { state: 'failed', error: proofError } });
      } catch (error) {
        setAnswer({ error });
      }
    }
  };
  const formId = `q-${module}-${name}`;
  return (
    <form
      class="query"
      data-query={`${module}/${name}`}
      aria-labelledby={`${formId}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <h3 id={`${formId}-title`}>
        {module}/{name}
      </h3>
      {summary && <p class="muted small">{summary}</p>}
      {params.map((p) => (
        <div class="field-row" key={p.name}>
          <label for={`${formId}-${p.name}`}>
            {p.name}
            {p.required ? '' : ` (${t('modules.optional')})`}
          </label>
          <input
            id={`${formId}-${p.name}`}
            name={p.name}
            required={p.required}
            {...(p.pattern ? { pattern: p.pattern, title: p.pattern } : {})}
            {...(p.type === 'integer' ? { inputMode: 'numeric' as const } : {})}
            value={values[p.name] ?? ''}
            onInput={(e) => setValues({ ...values, [p.name]: e.currentTarget.value })}
          />
        </div>
      ))}
      <button type="submit">{t('modules.run', { name })}</button>
      {answer && 'loading' in answer && (
        <p class="muted" aria-busy="true">
          {t('common.loading')}
        </p>
      )}
      {answer && 'error' in answer && <ErrorNote error={answer.error} />}
      {answer && 'result' in answer && <QueryAnswer result={answer.result} proof={answer.proof} />}
    </form>
  );
}

/** How far back the recent events are read. */
const RECENT_BLOCKS = 500;
const RECENT_SHOWN = 25;

interface SeenEvent {
  readonly height: number;
  readonly txHash: string;
  readonly event: ChainEvent;
}

/** A module's recent events: a replay of the last blocks from the node's event stream, then live ones. */
export function RecentEvents({ module }: { module: string }) {
  const { t } = useI18n();
  const { client } = useConnection();
  const [events, setEvents] = useState<readonly SeenEvent[]>([]);
  const [state, setState] = useState<'loading' | 'live' | 'error'>('loading');
  useEffect(() => {
    let closed = false;
    let subscription: ReturnType<typeof client.subscribe> | undefined;
    void client.getStatus().then(
      (status) => {
        if (closed) return;
        subscription = client.subscribe(
          {
            fromHeight: Math.max(1, status.height - RECENT_BLOCKS),
            blocks: false,
            txs: false,
            events: true,
            module,
          },
          (m) => {
            if (m.type === 'event')
              setEvents((list) =>
                [{ height: m.height, txHash: m.txHash, event: m.event }, ...list].slice(0, RECENT_SHOWN),
              );
            else if (m.type === 'caughtUp') setState('live');
          },
          { onError: () => setState('error') },
        );
      },
      () => setState('error'),
    );
    return () => {
      closed = true;
      subscription?.close();
    };
  }, [module]);
  return (
    <Section title={t('modules.recentEvents')}>
      {state === 'loading' ? (
        <p class="muted" aria-busy="true">
          {t('common.loading')}
        </p>
      ) : state === 'error' && events.length === 0 ? (
        <p class="error">{t('modules.eventsUnavailable')}</p>
      ) : (
        <Table
          caption={t('modules.recentEvents')}
          head={[t('modules.height'), t('modules.event'), t('modules.attributes')]}
          rows={events.map((e) => [
            <a href={href('explorer', 'tx', e.txHash)}>{e.height}</a>,
            e.event.type,
            <span class="hex small">
              {Object.entries(e.event.attributes)
                .map(([k, v]) => `${k}=${v.length > 40 ? `${v.slice(0, 16)}…` : v}`)
                .join(' ')}
            </span>,
          ])}
          empty={t('modules.noEvents', { blocks: RECENT_BLOCKS })}
        />
      )}
    </Section>
  );
}

/** The page every module gets: its queries as forms, and its recent events. */
export function GenericModulePage({ module }: { module: ModuleInfo }) {
  const { t } = useI18n();
  return (
    <>
      <Section title={t('modules.queries', { module: module.name })}>
        {module.queries.length === 0 ? (
          <p class="muted">{t('modules.noQueries')}</p>
        ) : (
          <div class="queries">
            {module.queries.map((q) => (
              <QueryForm
                key={q}
                module={module.name}
                name={q}
                params={module.params[q] ?? []}
                summary={module.summaries[q] ?? ''}
              />
            ))}
          </div>
        )}
      </Section>
      <RecentEvents module={module.name} />
    </>
  );
}
