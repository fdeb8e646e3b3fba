import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The first reason a value does not match a schema, as a JSON Pointer and a message, or undefined. */
export function firstProblem(schema: TSchema, value: unknown): { path: string; message: string } | undefined {
  if (Value.Check(schema, value)) return undefined;
  const first = Value.Errors(schema, value).First();
  return { path: first?.path || '/', message: first?.message ?? 'does not match its schema' };
}

/** A JSON Pointer as a field path for messages: `/header/txs/0` is `header.txs[0]`, the root `(root)`. */
export function fieldOf(pointer: string): string {
  if (pointer === '' || pointer === '/') return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, part) => (/^[0-9]+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part),
      '',
    );
}
