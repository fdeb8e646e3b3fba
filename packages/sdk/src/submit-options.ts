import { invalidArgument } from '@pujiang/module-kit';

/** The flags and durations of submitting and waiting: true/false, and positive milliseconds. */
export function submitOptionsArgument(o: {
  wait?: unknown;
  throwOnFailure?: unknown;
  waitTimeoutMs?: unknown;
  pollIntervalMs?: unknown;
}): void {
  for (const flag of ['wait', 'throwOnFailure'] as const)
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean')
      throw invalidArgument(`${flag} must be true or false`, flag);
  for (const ms of ['waitTimeoutMs', 'pollIntervalMs'] as const) {
    const v = o[ms];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0))
      throw invalidArgument(`${ms} must be a positive number of milliseconds`, ms);
  }
}
