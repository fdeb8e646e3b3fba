import { firstProblem } from '@pujiang/protocol';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { moduleError } from './errors.js';

/**
 * URL parameters (strings) read as the declared object: each value converted to its
 * declared type, unknown names refused. Any mismatch throws `code` naming the parameter.
 */
export function parseParams<T extends TObject>(
  schema: T,
  raw: Readonly<Record<string, string>>,
  code: string,
  /** Codes for particular parameters, where a module names them apart. */
  codes: Readonly<Record<string, string>> = {},
): Static<T> {
  for (const name of Object.keys(raw))
    if (!Object.hasOwn(schema.properties, name))
      throw moduleError(code, `unknown parameter ${name}`, {
        parameter: name,
        known: Object.keys(schema.properties),
      });
  const value = Value.Convert(schema, { ...raw });
  const problem = firstProblem(schema, value);
  if (problem) {
    const parameter = problem.path.split('/')[1] ?? '';
    throw moduleError(
      Object.hasOwn(codes, parameter) ? codes[parameter]! : code,
      `parameter ${parameter || '(none)'}: ${problem.message}`,
      {
        parameter,
        problem: problem.message,
      },
    );
  }
  return value as Static<T>;
}

/** Checks a value (a body, a result) against its schema; throws `code` naming the first bad path. */
export function checkValue<T extends TSchema>(
  schema: T,
  value: unknown,
  code: string,
  what: string,
): Static<T> {
  const problem = firstProblem(schema, value);
  if (problem)
    throw moduleError(code, `${what} ${problem.path}: ${problem.message}`, {
      path: problem.path,
      problem: problem.message,
    });
  return value as Static<T>;
}
