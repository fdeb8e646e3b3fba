import { decode } from '@pujiang/codec';
import { defineMessage, defineModule, moduleError } from '@pujiang/module-kit';
import {
  Accept,
  AUDITOR_PARAM,
  AuditorKey,
  CONFIDENTIAL_MODULE,
  MINTERS_PARAM,
  Mint,
  Minters,
  RegisterViewKey,
  Transfer,
} from '../formats.js';
import { accept, balanceQuery, inboxQuery, mint, paramsQuery, registerViewKey, transfer } from './token.js';

const checked = (codec: typeof Minters | typeof AuditorKey, what: string) => (value: Uint8Array) => {
  try {
    decode(codec as typeof Minters, value);
  } catch {
    throw moduleError('CONFIDENTIAL_BAD_PARAM', `the ${what} parameter does not decode`);
  }
};

/**
 * A confidential token: balances are Pedersen commitments on Baby Jubjub, transfers carry
 * Groth16 proofs (circom circuit `circuits/transfer.circom`, keys from the local ceremony in
 * `keys/`) verified in execution, and memos let the receiver and the auditor open amounts.
 */
export const confidential = defineModule({
  name: CONFIDENTIAL_MODULE,
  summary: 'A confidential token: Pedersen commitments with Groth16 proofs, and an auditor view key',
  errors: {
    CONFIDENTIAL_BAD_AMOUNT: 'a minted amount is out of range',
    CONFIDENTIAL_BAD_PARAM: 'a parameter (minters, auditor key) is malformed',
    CONFIDENTIAL_BAD_POINT: 'a commitment is not a point of the Baby Jubjub subgroup',
    CONFIDENTIAL_BAD_PROOF: 'the transfer proof does not verify',
    CONFIDENTIAL_BAD_TRANSFER: 'a transfer or query parameter is malformed',
    CONFIDENTIAL_NO_AUDITOR: 'governance has not set the auditor view key',
    CONFIDENTIAL_NOT_MINTER: 'the sender may not mint',
    CONFIDENTIAL_SUPPLY_CAP: 'the total ever minted stays below 2^64',
  },
  events: {
    minted: ['to', 'amount'],
    transferred: ['from', 'to'],
    accepted: ['account', 'entries'],
    viewKey: ['account', 'key'],
  },
  messages: {
    mint: defineMessage(Mint, mint),
    transfer: defineMessage(Transfer, transfer),
    registerViewKey: defineMessage(RegisterViewKey, registerViewKey),
    accept: defineMessage(Accept, accept),
  },
  params: { [MINTERS_PARAM]: checked(Minters, 'minters'), [AUDITOR_PARAM]: checked(AuditorKey, 'auditor') },
  queries: { balance: balanceQuery, inbox: inboxQuery, params: paramsQuery },
});
