import { defineQueryContract } from '@pujiang/module-kit';
import { Type } from '@sinclair/typebox';
import { EVM_MODULE } from './formats.js';

const address = () =>
  Type.String({ pattern: '^[0-9a-f]{40}$', description: '20 bytes, lowercase hex without 0x' });
const word = () =>
  Type.String({ pattern: '^[0-9a-f]{64}$', description: '32 bytes, lowercase hex without 0x' });

/** `evm/account?address=`: an EVM account (null if it does not exist). */
export const AccountQuery = defineQueryContract({
  module: EVM_MODULE,
  name: 'account',
  summary: "An EVM account's nonce, balance (wei, decimal) and code hash (null if it does not exist)",
  params: Type.Object({ address: address() }),
  result: Type.Object({
    account: Type.Union([
      Type.Object({ nonce: Type.String(), balance: Type.String(), codeHash: word() }),
      Type.Null(),
    ]),
  }),
  invalidParams: 'EVM_BAD_QUERY',
});

/** `evm/code?address=`: an account's code (empty for none). */
export const CodeQuery = defineQueryContract({
  module: EVM_MODULE,
  name: 'code',
  summary: "An account's contract code, hex (empty for an account without code)",
  params: Type.Object({ address: address() }),
  result: Type.Object({ code: Type.String({ pattern: '^([0-9a-f]{2})*$' }) }),
  invalidParams: 'EVM_BAD_QUERY',
});

/** `evm/storage?address=&slot=`: one storage slot, proven like any state with `prove=true`. */
export const StorageQuery = defineQueryContract({
  module: EVM_MODULE,
  name: 'storage',
  summary: "A contract's storage slot as a 32-byte word (zero if never written)",
  params: Type.Object({ address: address(), slot: word() }),
  result: Type.Object({ value: word() }),
  invalidParams: 'EVM_BAD_QUERY',
});
