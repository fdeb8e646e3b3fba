import type { ComponentChildren } from 'preact';
import { errorText } from '../chain/hooks.js';
import { useI18n } from '../i18n/index.js';

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** A long hex value, shortened on screen with the whole value in its title and for screen readers. */
export function Hex({ value, chars = 10 }: { value: string; chars?: number }) {
  const short = value.length > chars * 2 + 1 ? `${value.slice(0, chars)}…${value.slice(-chars / 2)}` : value;
  return (
    <code class="hex" title={value} data-full={value}>
      {short}
    </code>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useI18n();
  return (
    <p class="error" role="alert">
      {t('common.error')}: {errorText(error)}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" aria-busy="true">
      {t('common.loading')}
    </p>
  );
}

/** A definition list of label/value pairs. */
export function Fields({ rows }: { rows: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    <dl class="fields">
      {rows.map(([label, value]) => (
        <div class="field" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A table with a caption for screen readers; on a narrow screen each row becomes a card. */
export function Table({
  caption,
  head,
  rows,
  empty,
}: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly ComponentChildren[])[];
  empty?: string;
}) {
  const { t } = useI18n();
  if (rows.length === 0) return <p class="muted">{empty ?? t('common.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j} data-label={head[j]}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function formatTime(ms: number | string | bigint, lang: string): string {
  const n = Number(ms);
  if (!Number.isFinite(n) || n <= 0) return '—';
  return new Date(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}
