import { sdkError } from '@pujiang/module-kit';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, isPujiangError } from '@pujiang/types';
import type { AuditCheck, AuditOutcome } from './audit-types.js';

/** Reads of one proven answer, by module-relative key (a key it did not prove fails). */
export function provenReader(module: string, reads: ReadonlyMap<string, Uint8Array | undefined>) {
  return (key: string) => {
    const stateKey = bytesToHex(moduleKey(module, key));
    if (!reads.has(stateKey))
      throw sdkError('SDK_VERIFICATION_FAILED', 'the proof lacks a read the audit depends on', {
        key: stateKey,
      });
    return reads.get(stateKey);
  };
}

/** A check that failed, with the typed error's code. */
export const failure = (check: AuditCheck, error: unknown, seq?: number): AuditOutcome => ({
  check,
  verified: false,
  ...(seq === undefined ? {} : { seq }),
  code: isPujiangError(error) ? error.code : 'DATA_AUDIT_FAILED',
  message: (error as Error).message,
});
