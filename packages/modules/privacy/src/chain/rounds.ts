import { decode, encode, u32 } from '@pujiang/codec';
import { type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { submissionContext } from '../contexts.js';
import {
  addCiphertexts,
  decodeCiphertext,
  encodeCiphertext,
  verifyEncryptionProof,
  ZERO_CIPHERTEXT,
} from '../crypto/elgamal.js';
import {
  addPaillier,
  bigintFromBytes,
  bigintToBytes,
  ciphertextLength,
  opensTo,
  PAILLIER_ONE,
  parseCiphertext,
  parseModulus,
} from '../crypto/paillier.js';
import {
  type CloseRound,
  type OpenRound,
  type PublishTotal,
  RoundRecord,
  RoundResult,
  RoundTotal,
  roundKey,
  roundResultKey,
  roundTotalKey,
  type Submit,
  submitterKey,
} from '../formats.js';
import { currentKey } from './epochs.js';
import { COMPUTE_GAS, MIN_SUBMISSIONS, paillierAddGas, paillierOpenGas } from './gas.js';
import { checkId, checkLabel, readKey } from './keys.js';

/**
 * Aggregation rounds. A round's total is the homomorphic sum of every submission; the
 * chain never sees a plaintext. What the chain checks of a submission: the round is open;
 * the sender is a listed address or a valid identity of a listed organization, within its
 * count; the ciphertext is well formed for the round's key (Paillier: length, range, unit;
 * committee: two canonical points and a proof of knowledge of the randomness bound to this
 * chain, round and sender, so a member cannot replay or transform someone else's). It
 * cannot check that the plaintext is in range: submitters are registered and accountable.
 */
interface IdentityView {
  readonly org: string;
  readonly valid: boolean;
}

export function readRound(read: StateRead, id: string): RoundRecord | undefined {
  const bytes = read(roundKey(id));
  return bytes ? decode(RoundRecord, bytes) : undefined;
}

export function readTotal(read: StateRead, id: string): RoundTotal | undefined {
  const bytes = read(roundTotalKey(id));
  return bytes ? decode(RoundTotal, bytes) : undefined;
}

export const isClosed = (round: RoundRecord, height: bigint): boolean => height >= round.closesAt;

export function openRound(ctx: MessageContext, m: OpenRound): void {
  checkId(m.id, 'id');
  checkLabel(m.label);
  for (const org of m.orgs) checkLabel(org, 'org', 64);
  if (ctx.get(roundKey(m.id)) !== undefined)
    throw moduleError('PRIVACY_ROUND_EXISTS', `a round named ${m.id} exists`, { id: m.id });
  if (m.submitters.length === 0 && m.orgs.length === 0)
    throw moduleError('PRIVACY_BAD_ROUND', 'a round names its submitters or their organizations');
  if (m.maxPerSubmitter < 1) throw moduleError('PRIVACY_BAD_ROUND', 'maxPerSubmitter is at least 1');
  if (m.closesAt <= ctx.height)
    throw moduleError('PRIVACY_BAD_ROUND', 'closesAt is a later height', { height: String(ctx.height) });
  let publicKey: Uint8Array = new Uint8Array(0);
  let total: Uint8Array;
  if (m.scheme === 'paillier') {
    const key = readKey((k) => ctx.get(k), m.key);
    if (!key) throw moduleError('PRIVACY_KEY_UNKNOWN', `there is no key ${m.key}`, { key: m.key });
    total = bigintToBytes(PAILLIER_ONE, ciphertextLength(key.modulus.length));
  } else {
    if (m.key !== '') throw moduleError('PRIVACY_BAD_ROUND', 'a committee round names no key');
    const current = currentKey((k) => ctx.get(k));
    if (!current) throw moduleError('PRIVACY_NO_COMMITTEE_KEY', 'the committee has no key yet');
    publicKey = current.publicKey;
    total = encodeCiphertext(ZERO_CIPHERTEXT);
  }
  const record: RoundRecord = {
    id: m.id,
    opener: hexToBytes(ctx.sender),
    scheme: m.scheme,
    key: m.key,
    publicKey,
    orgs: m.orgs,
    maxPerSubmitter: m.maxPerSubmitter,
    closesAt: m.closesAt,
    label: m.label,
    openedAt: ctx.height,
  };
  ctx.set(roundKey(m.id), encode(RoundRecord, record));
  ctx.set(roundTotalKey(m.id), encode(RoundTotal, { count: 0, total }));
  for (const address of m.submitters) ctx.set(submitterKey(m.id, bytesToHex(address)), encode(u32, 0));
  ctx.emit('roundOpened', { round: m.id, scheme: m.scheme, closesAt: String(m.closesAt) });
}

function checkSubmitter(ctx: MessageContext, round: RoundRecord): number {
  const listed = ctx.get(submitterKey(round.id, ctx.sender));
  if (listed !== undefined) return decode(u32, listed);
  if (round.orgs.length > 0) {
    const identity = ctx.call('governance', 'identityOf', { address: ctx.sender }) as IdentityView | null;
    if (identity?.valid && round.orgs.includes(identity.org)) return 0;
  }
  throw moduleError('PRIVACY_NOT_SUBMITTER', `${ctx.sender} may not submit to round ${round.id}`, {
    round: round.id,
    submitter: ctx.sender,
  });
}

export function submit(ctx: MessageContext, m: Submit): void {
  const round = readRound((k) => ctx.get(k), m.round);
  if (!round) throw moduleError('PRIVACY_ROUND_UNKNOWN', `there is no round ${m.round}`, { round: m.round });
  if (isClosed(round, ctx.height))
    throw moduleError('PRIVACY_ROUND_CLOSED', `round ${m.round} closed at height ${round.closesAt}`, {
      round: m.round,
    });
  const count = checkSubmitter(ctx, round);
  if (count >= round.maxPerSubmitter)
    throw moduleError('PRIVACY_TOO_MANY_SUBMISSIONS', `at most ${round.maxPerSubmitter} per submitter`, {
      round: m.round,
    });
  const sum = readTotal((k) => ctx.get(k), m.round) as RoundTotal;
  let total: Uint8Array;
  if (round.scheme === 'paillier') {
    if (m.proof.length !== 0)
      throw moduleError('PRIVACY_BAD_PROOF', 'a Paillier submission carries no proof');
    const key = readKey((k) => ctx.get(k), round.key);
    if (!key) throw moduleError('PRIVACY_KEY_UNKNOWN', `there is no key ${round.key}`);
    ctx.consume(paillierAddGas(key.modulus.length), 'Paillier sum');
    const n = parseModulus(key.modulus);
    const c = parseCiphertext(n, key.modulus.length, m.ciphertext);
    const next = addPaillier(n, bigintFromBytes(sum.total), c);
    total = bigintToBytes(next, ciphertextLength(key.modulus.length));
  } else {
    ctx.consume(4 * COMPUTE_GAS.pointDecode + 3 * COMPUTE_GAS.pointMul, 'ElGamal submission');
    const ct = decodeCiphertext(m.ciphertext);
    if (!verifyEncryptionProof(ct, m.proof, submissionContext(ctx.chainId, m.round, ctx.sender)))
      throw moduleError('PRIVACY_BAD_PROOF', 'the proof of the encryption randomness does not verify', {
        field: 'proof',
      });
    total = encodeCiphertext(addCiphertexts(decodeCiphertext(sum.total, 'total'), ct));
  }
  ctx.set(roundTotalKey(m.round), encode(RoundTotal, { count: sum.count + 1, total }));
  ctx.set(submitterKey(m.round, ctx.sender), encode(u32, count + 1));
  ctx.emit('submitted', { round: m.round, submitter: ctx.sender, count: String(sum.count + 1) });
}

export function closeRound(ctx: MessageContext, m: CloseRound): void {
  const round = readRound((k) => ctx.get(k), m.round);
  if (!round) throw moduleError('PRIVACY_ROUND_UNKNOWN', `there is no round ${m.round}`, { round: m.round });
  if (bytesToHex(round.opener) !== ctx.sender)
    throw moduleError('PRIVACY_NOT_AUTHORIZED', 'only the opener closes a round early');
  if (isClosed(round, ctx.height)) throw moduleError('PRIVACY_ROUND_CLOSED', `round ${m.round} is closed`);
  ctx.set(roundKey(m.round), encode(RoundRecord, { ...round, closesAt: ctx.height }));
  ctx.emit('roundClosed', { round: m.round, height: String(ctx.height) });
}

/** The key's owner publishes a closed Paillier round's total with the randomness that proves it. */
export function publishTotal(ctx: MessageContext, m: PublishTotal): void {
  const round = readRound((k) => ctx.get(k), m.round);
  if (!round) throw moduleError('PRIVACY_ROUND_UNKNOWN', `there is no round ${m.round}`, { round: m.round });
  if (round.scheme !== 'paillier')
    throw moduleError('PRIVACY_BAD_ROUND', 'a committee round is opened by a decryption request');
  if (!isClosed(round, ctx.height)) throw moduleError('PRIVACY_ROUND_OPEN', `round ${m.round} is still open`);
  if (ctx.get(roundResultKey(m.round)) !== undefined)
    throw moduleError('PRIVACY_ALREADY_PUBLISHED', `round ${m.round}'s total was published`);
  const key = readKey((k) => ctx.get(k), round.key);
  if (!key) throw moduleError('PRIVACY_KEY_UNKNOWN', `there is no key ${round.key}`);
  if (bytesToHex(key.owner) !== ctx.sender)
    throw moduleError('PRIVACY_NOT_AUTHORIZED', "only the key's owner publishes");
  const sum = readTotal((k) => ctx.get(k), m.round) as RoundTotal;
  if (sum.count < MIN_SUBMISSIONS)
    throw moduleError('PRIVACY_TOO_FEW', `a total is opened from ${MIN_SUBMISSIONS} submissions on`, {
      count: sum.count,
    });
  ctx.consume(paillierOpenGas(key.modulus.length), 'Paillier opening');
  const n = parseModulus(key.modulus);
  if (!opensTo(n, bigintFromBytes(sum.total), bigintFromBytes(m.value), bigintFromBytes(m.randomness)))
    throw moduleError('PRIVACY_BAD_OPENING', 'the value and randomness do not open the total');
  const result: RoundResult = { value: m.value, by: hexToBytes(ctx.sender), height: ctx.height };
  ctx.set(roundResultKey(m.round), encode(RoundResult, result));
  ctx.emit('totalPublished', { round: m.round, value: bigintFromBytes(m.value).toString() });
}
