import { decode, encode } from '@pujiang/codec';
import { defineQuery, type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { memberKeyContext } from '../contexts.js';
import { decodeNonZeroPoint, G } from '../crypto/group.js';
import { parseModulus } from '../crypto/paillier.js';
import { verifyKnowledge } from '../crypto/proofs.js';
import {
  ID_PATTERN,
  KeyRecord,
  keyKey,
  memberKeyKey,
  PRIVACY_LIMITS,
  type RegisterKey,
  type RegisterMemberKey,
} from '../formats.js';
import { KeyQuery, MemberKeyQuery } from '../schemas.js';
import { COMPUTE_GAS } from './gas.js';

/**
 * Keys on chain: Paillier public keys (the modulus; the owner keeps p and q and decrypts
 * totals), and committee members' ristretto255 keys, to which key-generation shares are sealed.
 */
export function checkId(id: string, field: string): void {
  if (!ID_PATTERN.test(id))
    throw moduleError(
      'PRIVACY_BAD_ID',
      `${field} is 1-64 of a-z 0-9 . _ - (starting with a letter or digit)`,
      {
        field,
        id,
      },
    );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkLabel(label: string, field = 'label', max: number = PRIVACY_LIMITS.label): void {
  if (label.length > max || CONTROL.test(label) || !label.isWellFormed())
    throw moduleError(
      'PRIVACY_BAD_TEXT',
      `${field} is at most ${max} characters without control characters`,
      {
        field,
      },
    );
}

export function registerKey(ctx: MessageContext, m: RegisterKey): void {
  checkId(m.id, 'id');
  checkLabel(m.label);
  parseModulus(m.modulus);
  if (ctx.get(keyKey(m.id)) !== undefined)
    throw moduleError('PRIVACY_KEY_EXISTS', `a key named ${m.id} exists`, { id: m.id });
  const record: KeyRecord = { ...m, owner: hexToBytes(ctx.sender), height: ctx.height };
  ctx.set(keyKey(m.id), encode(KeyRecord, record));
  ctx.emit('keyRegistered', { id: m.id, owner: ctx.sender, bits: String(m.modulus.length * 8) });
}

export function readKey(read: StateRead, id: string): KeyRecord | undefined {
  const bytes = read(keyKey(id));
  return bytes ? decode(KeyRecord, bytes) : undefined;
}

export function registerMemberKey(ctx: MessageContext, m: RegisterMemberKey): void {
  ctx.consume(COMPUTE_GAS.pointDecode + 2 * COMPUTE_GAS.pointMul, 'proof of the member key');
  const key = decodeNonZeroPoint(m.key, 'key');
  if (!verifyKnowledge(G, key, m.proof, memberKeyContext(ctx.chainId, ctx.sender)))
    throw moduleError('PRIVACY_BAD_PROOF', 'the proof of the member key does not verify', { field: 'proof' });
  ctx.set(memberKeyKey(ctx.sender), m.key);
  ctx.emit('memberKey', { member: ctx.sender, key: bytesToHex(m.key) });
}

export const keyQuery = defineQuery({
  ...KeyQuery,
  run: (read, { id }) => {
    const record = readKey(read, id);
    return {
      key: record
        ? {
            id: record.id,
            owner: bytesToHex(record.owner),
            modulus: bytesToHex(record.modulus),
            bits: record.modulus.length * 8,
            label: record.label,
            height: record.height.toString(),
          }
        : null,
    };
  },
});

export const memberKeyQuery = defineQuery({
  ...MemberKeyQuery,
  run: (read, { address }) => {
    const key = read(memberKeyKey(address));
    return { key: key ? bytesToHex(key) : null };
  },
});
