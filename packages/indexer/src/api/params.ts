import { indexerError } from '../errors.js';

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
const MAX_HEIGHT = 999_999_999_999_999;
export const HASH = /^[0-9a-f]{64}$/;
export const ADDRESS = /^[0-9a-f]{42}$/;
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_ATTRIBUTE_FILTERS = 8;
const MAX_VALUE = 256;

export function badRequest(message: string, parameter: string): never {
  throw indexerError('INDEX_BAD_REQUEST', message, { parameter });
}

/**
 * A request's query parameters, each read at most once: a parameter the endpoint does not
 * take, or one given twice, is a 400 naming it (`rest` for the `attr.` family).
 */
export class Params {
  private readonly values = new Map<string, string>();

  constructor(search: URLSearchParams, allowed: readonly string[], allowAttributes = false) {
    for (const [name, value] of search) {
      if (this.values.has(name)) badRequest(`${name} is given more than once`, name);
      if (!allowed.includes(name) && !(allowAttributes && name.startsWith('attr.')))
        badRequest(`${name} is not a parameter of this endpoint`, name);
      if (value.length > MAX_VALUE) badRequest(`${name} is longer than ${MAX_VALUE} characters`, name);
      this.values.set(name, value);
    }
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  /** A module, event type or record kind name. */
  name(name: string): string | undefined {
    const v = this.values.get(name);
    if (v !== undefined && !NAME.test(v)) badRequest(`${name} must be a name (letters, digits, _ . -)`, name);
    return v;
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (!/^[0-9]{1,16}$/.test(v) || Number(v) < min || Number(v) > max)
      badRequest(`${name} must be an integer from ${min} to ${max}`, name);
    return Number(v);
  }

  limit(): number {
    return this.int('limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  }

  hex(name: string, pattern: RegExp, what: string): string | undefined {
    const v = this.values.get(name)?.toLowerCase();
    if (v !== undefined && !pattern.test(v)) badRequest(`${name} must be ${what}`, name);
    return v;
  }

  /**
   * A keyset cursor: `H`, `H.I` or `H.I.E` (height, then index within it, then event index),
   * as the `next` of a previous page; rows strictly before it come next.
   */
  cursor(name: string, parts: number): number[] | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    const fields = v.split('.');
    if (
      fields.length < 1 ||
      fields.length > parts ||
      !fields.every((f) => /^[0-9]{1,15}$/.test(f)) ||
      Number(fields[0]) > MAX_HEIGHT
    )
      badRequest(`${name} must be a cursor: ${['height', 'index', 'event'].slice(0, parts).join('.')}`, name);
    return fields.map(Number);
  }

  /** `attr.NAME=value` filters (events whose attributes contain all of them). */
  attributes(): Record<string, string> {
    const out: Record<string, string> = {};
    let n = 0;
    for (const [name, value] of this.values) {
      if (!name.startsWith('attr.')) continue;
      const key = name.slice(5);
      if (!NAME.test(key)) badRequest(`${name}: an attribute name is letters, digits, _ . -`, name);
      if (++n > MAX_ATTRIBUTE_FILTERS) badRequest(`at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`, name);
      out[key] = value;
    }
    return out;
  }
}

/**
 * A keyset condition `(c1, c2, ...) < (v1, v2, ...)` for a cursor of fewer parts than
 * columns: `H` means before height H, `H.I` before index I of height H.
 */
export function before(
  columns: readonly string[],
  cursor: readonly number[] | undefined,
  args: unknown[],
): string {
  if (!cursor) return 'true';
  const cols = columns.slice(0, cursor.length);
  const placeholders = cursor.map((v) => {
    args.push(v);
    return `$${args.length}`;
  });
  return `(${cols.join(', ')}) < (${placeholders.join(', ')})`;
}
