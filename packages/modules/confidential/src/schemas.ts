import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';

/** The JSON answers of the confidential token's queries. */
const { address, hex, u64 } = Schemas;

export const BalanceQuery = defineQueryContract({
  module: 'confidential',
  name: 'balance',
  summary: "An account's balance commitment (Baby Jubjub x || y) and view key",
  params: Type.Object({ address: address() }),
  result: Type.Object({ commitment: hex(), viewKey: Type.Union([hex(), Type.Null()]) }),
  invalidParams: 'CONFIDENTIAL_BAD_TRANSFER',
});

export const InboxQuery = defineQueryContract({
  module: 'confidential',
  name: 'inbox',
  summary: 'What an account received, from `from` (at most 100): commitments and memos sealed to it',
  params: Type.Object({ address: address(), from: Type.Optional(Schemas.integer(0, 0xffff_ffff)) }),
  result: Type.Object({
    count: Type.Integer({ minimum: 0 }),
    entries: Type.Array(
      Type.Object({
        seq: Type.Integer({ minimum: 0 }),
        from: address(),
        amount: hex(),
        minted: u64(),
        memo: hex(),
        memoAuditor: hex(),
        height: u64(),
        accepted: Type.Boolean(),
      }),
    ),
  }),
  invalidParams: 'CONFIDENTIAL_BAD_TRANSFER',
});

export const ParamsQuery = defineQueryContract({
  module: 'confidential',
  name: 'params',
  summary: 'What governance set (the minters, the auditor view key) and the total minted so far',
  params: Type.Object({}),
  result: Type.Object({
    minters: Type.Array(address()),
    auditor: Type.Union([hex(), Type.Null()]),
    supply: u64(),
  }),
  invalidParams: 'CONFIDENTIAL_BAD_TRANSFER',
});
