import { defineQuery } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { AccountQuery, CodeQuery, StorageQuery } from '../schemas.js';
import { accountKey, codeKey, decodeAccount, storageKey } from './keys.js';

const NO_CODE = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

export const accountQuery = defineQuery({
  ...AccountQuery,
  run: (read, { address }) => {
    const bytes = read(accountKey(address));
    if (bytes === undefined) return { account: null };
    const a = decodeAccount(bytes);
    return {
      account: { nonce: String(a.nonce), balance: String(a.balance), codeHash: bytesToHex(a.codeHash) },
    };
  },
});

export const codeQuery = defineQuery({
  ...CodeQuery,
  run: (read, { address }) => {
    const bytes = read(accountKey(address));
    if (bytes === undefined) return { code: '' };
    const codeHash = bytesToHex(decodeAccount(bytes).codeHash);
    return { code: codeHash === NO_CODE ? '' : bytesToHex(read(codeKey(codeHash)) ?? new Uint8Array(0)) };
  },
});

export const storageQuery = defineQuery({
  ...StorageQuery,
  run: (read, { address, slot }) => {
    const value = read(storageKey(address, slot)) ?? new Uint8Array(0);
    return { value: bytesToHex(value).padStart(64, '0') };
  },
});
