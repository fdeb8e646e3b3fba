import { decode } from '@pujiang/codec';
import { moduleError, type StateRead } from '@pujiang/module-kit';
import { Auditors, auditorsKey } from '../formats.js';

const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;

/** The `auditors` parameter's check (governance sets it by proposal): distinct DIDs, 8 at most. */
export function checkAuditors(value: Uint8Array): void {
  let dids: string[];
  try {
    dids = decode(Auditors, value);
  } catch {
    throw moduleError('DATA_BAD_AUDITORS', 'auditors must be an encoded list of DIDs');
  }
  if (new Set(dids).size !== dids.length || !dids.every((d) => DID.test(d)))
    throw moduleError('DATA_BAD_AUDITORS', 'auditors are distinct DIDs');
}

/** The auditors every request is sealed to (none until governance names them). */
export function readAuditors(read: StateRead): string[] {
  const bytes = read(auditorsKey);
  return bytes ? decode(Auditors, bytes) : [];
}
