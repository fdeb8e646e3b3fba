/**
 * PostgreSQL's COPY text format: one line per row, columns separated by tabs, `\N` for
 * NULL, and backslash, tab, newline and carriage return escaped in values.
 */
export type CopyValue = string | number | boolean | null;

export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
}

function escapeChar(c: string): string {
  switch (c) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    default:
      return '\\r';
  }
}

export function copyLine(values: readonly CopyValue[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}

/** A table's rows as COPY text: the lines joined (a batch is bounded, so one string is fine). */
export function copyText<R>(rows: readonly R[], columns: (row: R) => readonly CopyValue[]): string {
  let out = '';
  for (const row of rows) out += copyLine(columns(row));
  return out;
}
