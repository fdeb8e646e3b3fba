import type { TxEnvelope } from '@pujiang/module-kit';
import { isPujiangError, type PujiangError } from '@pujiang/types';

/**
 * Authorization verdicts by signer set (null: admitted). Authorization is a consensus rule,
 * so a pure function of the authorizing modules' state and the envelope: a verdict holds for
 * every transaction of the same message and signers while that state, the height and the
 * time stay the same. Admission keeps one set per state. (Execution decides afresh: keeping
 * a set per block, dropped when a transaction writes an authorizer's state, measured no gain.)
 */
export type Verdicts = Map<string, PujiangError | null>;

/** Bound on the verdicts kept in one set. */
const MAX_VERDICTS = 100_000;

/** What a verdict depends on besides the state: the message and every signer's suite and address. */
function verdictKey(envelope: TxEnvelope): string {
  let key = `${envelope.resource ?? `${envelope.module}/${envelope.type}`}|${envelope.sender.key.suite}:${envelope.sender.address}`;
  for (const e of envelope.endorsers) key += `|${e.key.suite}:${e.address}`;
  return key;
}

/** The refusal `authorize` throws for this envelope (undefined: admitted), decided once per set. */
export function verdictFor(
  verdicts: Verdicts,
  envelope: TxEnvelope,
  authorize: () => void,
): PujiangError | undefined {
  const key = verdictKey(envelope);
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    try {
      authorize();
      verdict = null;
    } catch (error) {
      if (!isPujiangError(error)) throw error; // a bug, not a refusal
      verdict = error;
    }
    if (verdicts.size < MAX_VERDICTS) verdicts.set(key, verdict);
  }
  return verdict ?? undefined;
}
