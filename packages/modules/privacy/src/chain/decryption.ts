import { decode, encode } from '@pujiang/codec';
import { mandateCovers } from '@pujiang/module-governance';
import { type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import { partialContext, requestContext } from '../contexts.js';
import { lagrangeAtZero } from '../crypto/dkg.js';
import { decodeCiphertext, encodeCiphertext } from '../crypto/elgamal.js';
import {
  decodeNonZeroPoint,
  decodePoint,
  decodeScalar,
  encodePoint,
  G,
  IDENTITY,
  invert,
  type Point,
  times,
} from '../crypto/group.js';
import { bigintToBytes } from '../crypto/paillier.js';
import { verifyEqualLogs, verifyKnowledge } from '../crypto/proofs.js';
import {
  type EpochRecord,
  type PartialDecrypt,
  type PublishDecryption,
  partialKey,
  type RequestDecryption,
  RequestRecord,
  RoundResult,
  requestKey,
  roundResultKey,
} from '../formats.js';
import { currentEpoch, indexOf, verificationKey } from './epochs.js';
import { COMPUTE_GAS, MIN_SUBMISSIONS } from './gas.js';
import { checkId, checkLabel } from './keys.js';
import { isClosed, readRound, readTotal } from './rounds.js';

/**
 * Threshold decryption by the committee. A request names a committee round's total (its
 * opener asks, once it closed) or a flagged ciphertext (a valid regulator or auditor asks),
 * with a reason the chain records. The committee decrypts a blinded c1, so only the
 * requester learns the plaintext; every partial decryption carries a Chaum-Pedersen proof
 * against its member's verification key, and a wrong one is refused naming its author.
 */
interface IdentityView {
  readonly org: string;
  readonly role: string;
  readonly valid: boolean;
}

/** The mandate (governance's `setReadPermission`) that lets a role open flagged records. */
export const RECORDS_RESOURCE = 'privacy/records';

export function readRequest(read: StateRead, id: string): RequestRecord | undefined {
  const bytes = read(requestKey(id));
  return bytes ? decode(RequestRecord, bytes) : undefined;
}

function targetCiphertext(ctx: MessageContext, m: RequestDecryption): Uint8Array {
  const read = (k: string) => ctx.get(k);
  if (m.target.type === 'round') {
    const round = readRound(read, m.target.value);
    if (round?.scheme !== 'committee')
      throw moduleError('PRIVACY_ROUND_UNKNOWN', `there is no committee round ${m.target.value}`);
    if (!isClosed(round, ctx.height))
      throw moduleError('PRIVACY_ROUND_OPEN', `round ${round.id} is still open`);
    if (bytesToHex(round.opener) !== ctx.sender)
      throw moduleError('PRIVACY_NOT_AUTHORIZED', "only the round's opener asks for its total");
    const total = readTotal(read, round.id);
    if (!total || total.count < MIN_SUBMISSIONS)
      throw moduleError('PRIVACY_TOO_FEW', `a total is opened from ${MIN_SUBMISSIONS} submissions on`, {
        count: total?.count ?? 0,
      });
    return total.total;
  }
  const identity = ctx.call('governance', 'identityOf', { address: ctx.sender }) as IdentityView | null;
  const mandate = identity?.valid
    ? (ctx.call('governance', 'readMandate', { org: identity.org, role: identity.role }) as string[])
    : [];
  if (!mandateCovers(mandate, RECORDS_RESOURCE))
    throw moduleError(
      'PRIVACY_NOT_AUTHORIZED',
      `a flagged record is opened at the request of a role whose governance mandate names ${RECORDS_RESOURCE}`,
      { org: identity?.org ?? null, role: identity?.role ?? null },
    );
  return m.target.value;
}

export function requestDecryption(ctx: MessageContext, m: RequestDecryption): void {
  checkId(m.id, 'id');
  checkLabel(m.reason, 'reason', 256);
  if (ctx.get(requestKey(m.id)) !== undefined)
    throw moduleError('PRIVACY_REQUEST_EXISTS', `a request named ${m.id} exists`, { id: m.id });
  const epoch = currentEpoch((k) => ctx.get(k));
  if (!epoch) throw moduleError('PRIVACY_NO_COMMITTEE_KEY', 'the committee has no key yet');
  const ciphertext = targetCiphertext(ctx, m);
  ctx.consume(4 * COMPUTE_GAS.pointDecode + 2 * COMPUTE_GAS.pointMul, 'request proof');
  const ct = decodeCiphertext(ciphertext, 'target');
  const blinded = decodeNonZeroPoint(m.blinded, 'blinded');
  if (ct.c1.is0() || !verifyKnowledge(ct.c1, blinded, m.proof, requestContext(ctx.chainId, m.id, ctx.sender)))
    throw moduleError('PRIVACY_BAD_PROOF', 'the proof that blinded is a multiple of c1 does not verify', {
      field: 'proof',
    });
  const record: RequestRecord = {
    id: m.id,
    requester: hexToBytes(ctx.sender),
    epoch: epoch.number,
    target: m.target,
    ciphertext: encodeCiphertext(ct),
    blinded: m.blinded,
    reason: m.reason,
    height: ctx.height,
    partials: [],
    combined: new Uint8Array(0),
    value: new Uint8Array(0),
  };
  ctx.set(requestKey(m.id), encode(RequestRecord, record));
  ctx.emit('decryptionRequested', {
    request: m.id,
    requester: ctx.sender,
    target: m.target.type === 'round' ? `round:${m.target.value}` : `record:${bytesToHex(m.target.value)}`,
    reason: m.reason,
    epoch: String(epoch.number),
  });
}

export function partialDecrypt(ctx: MessageContext, m: PartialDecrypt): void {
  const read = (k: string) => ctx.get(k);
  const found = readRequest(read, m.request);
  if (!found) throw moduleError('PRIVACY_REQUEST_UNKNOWN', `there is no request ${m.request}`);
  if (found.combined.length > 0)
    throw moduleError('PRIVACY_REQUEST_DONE', `request ${m.request} has its partials`);
  // Only the committee in force decrypts: after a resharing, partials of the old epoch no
  // longer count and the request starts over with the new members (the key is the same).
  const epoch = currentEpoch(read) as EpochRecord;
  const request: RequestRecord =
    found.epoch === epoch.number ? found : { ...found, epoch: epoch.number, partials: [] };
  const member = indexOf(epoch.members, ctx.sender);
  if (member === 0)
    throw moduleError('PRIVACY_NOT_MEMBER', `${ctx.sender} is not a member of the committee in force`, {
      epoch: epoch.number,
    });
  if (request.partials.includes(member))
    throw moduleError('PRIVACY_ALREADY_PARTIAL', `member ${member} answered request ${m.request}`);
  ctx.consume(2 * COMPUTE_GAS.pointDecode + 4 * COMPUTE_GAS.pointMul, 'partial decryption proof');
  const share = decodePoint(m.share, 'share');
  const blinded = decodePoint(request.blinded, 'blinded');
  const key = verificationKey(ctx, epoch, member);
  if (!verifyEqualLogs(G, key, blinded, share, m.proof, partialContext(ctx.chainId, m.request, member)))
    throw moduleError(
      'PRIVACY_BAD_PARTIAL',
      `the partial decryption of member ${member} (${ctx.sender}) is wrong`,
      {
        member: ctx.sender,
        index: member,
      },
    );
  ctx.set(partialKey(m.request, member), m.share);
  const partials = [...request.partials, member];
  let combined: Uint8Array = new Uint8Array(0);
  if (partials.length === epoch.threshold) {
    ctx.consume(partials.length * (COMPUTE_GAS.pointDecode + COMPUTE_GAS.pointMul), 'combination');
    let sum: Point = IDENTITY;
    for (const j of partials) {
      const d = j === member ? share : decodePoint(read(partialKey(m.request, j)) as Uint8Array, 'share');
      sum = sum.add(times(d, lagrangeAtZero(partials, j)));
    }
    combined = encodePoint(sum);
  }
  ctx.set(requestKey(m.request), encode(RequestRecord, { ...request, partials, combined }));
  ctx.emit('partialDecryption', { request: m.request, member: String(member), address: ctx.sender });
  if (combined.length > 0) ctx.emit('decryptionReady', { request: m.request });
}

/** The requester publishes the plaintext; the blind proves it against the recorded ciphertext. */
export function publishDecryption(ctx: MessageContext, m: PublishDecryption): void {
  const request = readRequest((k) => ctx.get(k), m.request);
  if (!request) throw moduleError('PRIVACY_REQUEST_UNKNOWN', `there is no request ${m.request}`);
  if (bytesToHex(request.requester) !== ctx.sender)
    throw moduleError('PRIVACY_NOT_AUTHORIZED', 'only the requester publishes a decryption');
  if (request.combined.length === 0)
    throw moduleError('PRIVACY_REQUEST_PENDING', 'the partials are not all in');
  if (request.value.length > 0)
    throw moduleError('PRIVACY_ALREADY_PUBLISHED', 'the decryption was published');
  ctx.consume(3 * COMPUTE_GAS.pointDecode + 4 * COMPUTE_GAS.pointMul, 'decryption check');
  const blind = decodeScalar(m.blind, 'blind');
  const ct = decodeCiphertext(request.ciphertext);
  const combined = decodePoint(request.combined, 'combined');
  const opened = blind !== 0n && times(ct.c1, blind).equals(decodePoint(request.blinded, 'blinded'));
  if (
    !opened ||
    !times(G, m.value)
      .add(times(combined, invert(blind)))
      .equals(ct.c2)
  )
    throw moduleError('PRIVACY_BAD_OPENING', 'the value and blind do not open the request');
  const value = bigintToBytes(m.value, 8);
  ctx.set(requestKey(m.request), encode(RequestRecord, { ...request, value }));
  if (request.target.type === 'round')
    ctx.set(
      roundResultKey(request.target.value),
      encode(RoundResult, { value, by: hexToBytes(ctx.sender), height: ctx.height } satisfies RoundResult),
    );
  ctx.emit('decryptionPublished', { request: m.request, value: m.value.toString() });
}
