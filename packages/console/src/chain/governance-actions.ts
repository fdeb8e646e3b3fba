import type { GovernanceAction } from '@pujiang/module-governance';
import type { SuiteId } from '@pujiang/sdk/browser';
import { hexToBytes } from '@pujiang/types';
import { pemToDer } from './certificates.js';

/** The proposals the page's form offers (the CLI's `gov propose` offers them all). */
export const FORM_KINDS = [
  'setPacing',
  'removeOrganization',
  'revokeCertificate',
  'setValidator',
  'addOrganization',
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

export type FormField =
  | 'emptyBlockIntervalMs'
  | 'id'
  | 'org'
  | 'serial'
  | 'suite'
  | 'publicKey'
  | 'power'
  | 'name'
  | 'caCertificate';

/** The fields each kind's form asks for, in order. */
export const FORM_FIELDS: Record<FormKind, readonly FormField[]> = {
  setPacing: ['emptyBlockIntervalMs'],
  removeOrganization: ['id'],
  revokeCertificate: ['org', 'serial'],
  setValidator: ['suite', 'publicKey', 'power', 'name'],
  addOrganization: ['id', 'name', 'caCertificate'],
};

function whole(value: string | undefined, field: string): bigint {
  if (!value || !/^(0|[1-9][0-9]{0,18})$/.test(value.trim())) throw new Error(`${field}: a whole number`);
  return BigInt(value.trim());
}

function hex(value: string | undefined, field: string): Uint8Array {
  const text = (value ?? '').trim().toLowerCase();
  if (!/^([0-9a-f]{2})+$/.test(text)) throw new Error(`${field}: hex digits`);
  return hexToBytes(text);
}

function text(value: string | undefined, field: string): string {
  const v = (value ?? '').trim();
  if (!v) throw new Error(`${field}: required`);
  return v;
}

/** The action a filled form describes; a field that does not parse throws an Error naming it. */
export function actionOf(kind: FormKind, f: Readonly<Record<string, string>>): GovernanceAction {
  switch (kind) {
    case 'setPacing':
      return {
        type: 'setPacing',
        value: { emptyBlockIntervalMs: Number(whole(f.emptyBlockIntervalMs, 'emptyBlockIntervalMs')) },
      };
    case 'removeOrganization':
      return { type: 'removeOrganization', value: { id: text(f.id, 'id') } };
    case 'revokeCertificate':
      return {
        type: 'revokeCertificate',
        value: { org: text(f.org, 'org'), serial: hex(f.serial, 'serial') },
      };
    case 'setValidator':
      return {
        type: 'setValidator',
        value: {
          suite: text(f.suite, 'suite') as SuiteId,
          publicKey: hex(f.publicKey, 'publicKey'),
          power: whole(f.power, 'power'),
          name: (f.name ?? '').trim(),
        },
      };
    case 'addOrganization':
      return {
        type: 'addOrganization',
        value: {
          id: text(f.id, 'id'),
          name: text(f.name, 'name'),
          caCertificate: pemToDer(text(f.caCertificate, 'caCertificate')),
        },
      };
  }
}
