import { decode } from '@pujiang/codec';
import { defineQuery, type StateRead } from '@pujiang/module-kit';
import { GOV_KEYS, ReadMandate } from '../formats.js';
import { ReadPermissionQuery } from '../schemas.js';

/**
 * Read mandates (set by proposal, `setReadPermission`): what auditors and regulators of an
 * organization may read of other members' private data. Governance keeps them; the modules
 * that hold private data (collections) consult them on every read.
 */
export function readMandate(read: StateRead, org: string, role: string): readonly string[] {
  const bytes = read(GOV_KEYS.readPermission(org, role));
  return bytes ? decode(ReadMandate, bytes) : [];
}

export const readPermissionQuery = defineQuery({
  ...ReadPermissionQuery,
  run: (read, { org, role }) => ({ resources: [...readMandate(read, org, role)] }),
});
