import type { Static, TSchema } from '@pujiang/module-kit';
import { fieldOf, firstProblem } from '@pujiang/protocol';
import { sdkError } from './errors.js';

/**
 * Returns `value` typed by the API contract's schema for the answer, or throws
 * `SDK_BAD_RESPONSE` naming the first bad field (`details.field`, e.g. `header.height`), so a
 * method's typed return value is what its type says, whatever the server sent.
 */
export function expectResponse<S extends TSchema>(schema: S, value: unknown, source: string): Static<S> {
  const problem = firstProblem(schema, value);
  if (problem) {
    const field = fieldOf(problem.path);
    throw sdkError('SDK_BAD_RESPONSE', `${source}: malformed response at ${field}: ${problem.message}`, {
      source,
      field,
      problem: problem.message,
    });
  }
  return value as Static<S>;
}
