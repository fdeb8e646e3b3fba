import { defineQueryContract, Schemas, Type } from '@pujiang/module-kit';
import { XCHAIN_MODULE } from './names.js';

/** `xchain/htlc?id=`: a hash time-locked contract (null if none); the preimage once claimed. */
export const htlcQueryContract = defineQueryContract({
  module: XCHAIN_MODULE,
  name: 'htlc',
  summary:
    'A hash time-locked contract: parties, amount, hash lock, time-lock, state, and the preimage once claimed',
  params: Type.Object({ id: Schemas.hash32() }),
  result: Type.Object({
    htlc: Type.Union([
      Type.Object({
        sender: Schemas.address(),
        receiver: Schemas.address(),
        denom: Type.String(),
        amount: Type.String({ pattern: '^[1-9][0-9]*$' }),
        hashlock: Schemas.hash32(),
        timelock: Schemas.u64(),
        state: Type.Union([Type.Literal('LOCKED'), Type.Literal('CLAIMED'), Type.Literal('REFUNDED')]),
        preimage: Type.Union([Schemas.hex(), Type.Null()]),
      }),
      Type.Null(),
    ]),
  }),
  invalidParams: 'XCHAIN_BAD_HTLC',
});
