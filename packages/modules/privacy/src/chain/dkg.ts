import { decode, encode } from '@pujiang/codec';
import { type MessageContext, moduleError, type StateRead } from '@pujiang/module-kit';
import { bytesToHex, equalBytes } from '@pujiang/types';
import { dealContext } from '../contexts.js';
import { combineCommitments, lagrangeAtZero, shareCommitment } from '../crypto/dkg.js';
import {
  decodeNonZeroPoint,
  decodePoint,
  decodeScalar,
  encodePoint,
  G,
  type Point,
  times,
} from '../crypto/group.js';
import { verifyKnowledge } from '../crypto/proofs.js';
import {
  type Complain,
  ComplaintRecord,
  complaintKey,
  type Deal,
  dealKey,
  type EpochRecord,
  type Finalize,
  type Reveal,
  StoredDeal,
} from '../formats.js';
import {
  epochFor,
  indexOf,
  latestEpoch,
  markCurrent,
  phaseOf,
  readEpoch,
  verificationKey,
  writeEpoch,
} from './epochs.js';
import { COMPUTE_GAS } from './gas.js';

/**
 * The key generation's messages. Deals are public (commitments, an ephemeral key, a sealed
 * share per member); a member whose share does not match the commitments complains; the
 * dealer answers with the share in the clear, which the chain checks; dealers with a
 * complaint left unanswered are excluded when the epoch is finalized.
 */
export function readDeal(read: StateRead, epoch: number, dealer: number): StoredDeal | undefined {
  const bytes = read(dealKey(epoch, dealer));
  return bytes ? decode(StoredDeal, bytes) : undefined;
}

function sameEpoch(epoch: EpochRecord, asked: number): void {
  if (epoch.number !== asked)
    throw moduleError('PRIVACY_WRONG_EPOCH', `the committee's epoch is ${epoch.number}`, {
      epoch: epoch.number,
      asked,
    });
  if (epoch.status !== 'dealing')
    throw moduleError('PRIVACY_WRONG_PHASE', `epoch ${epoch.number} is ${epoch.status}`, {
      epoch: epoch.number,
    });
}

function inPhase(epoch: EpochRecord, height: bigint, phases: readonly string[]): void {
  const phase = phaseOf(epoch, height);
  if (!phases.includes(phase))
    throw moduleError('PRIVACY_WRONG_PHASE', `epoch ${epoch.number} is in its ${phase} phase`, {
      epoch: epoch.number,
      phase,
    });
}

export function deal(ctx: MessageContext, m: Deal): void {
  const epoch = epochFor(ctx);
  sameEpoch(epoch, m.epoch);
  inPhase(epoch, ctx.height, ['deal']);
  const dealer = indexOf(epoch.dealers, ctx.sender);
  if (dealer === 0)
    throw moduleError('PRIVACY_NOT_DEALER', `${ctx.sender} does not deal in epoch ${epoch.number}`);
  if (ctx.get(dealKey(epoch.number, dealer)) !== undefined)
    throw moduleError('PRIVACY_ALREADY_DEALT', `dealer ${dealer} dealt in epoch ${epoch.number}`);
  if (m.commitments.length !== epoch.threshold || m.shares.length !== epoch.members.length)
    throw moduleError(
      'PRIVACY_BAD_DEAL',
      `a deal has ${epoch.threshold} commitments and ${epoch.members.length} shares`,
    );
  ctx.consume((m.commitments.length + 1) * COMPUTE_GAS.pointDecode + 2 * COMPUTE_GAS.pointMul, 'deal');
  const constant = decodeNonZeroPoint(m.commitments[0] as Uint8Array, 'commitments[0]');
  for (const [k, c] of m.commitments.entries()) decodePoint(c, `commitments[${k}]`);
  decodeNonZeroPoint(m.ephemeral, 'ephemeral');
  if (!verifyKnowledge(G, constant, m.proof, dealContext(ctx.chainId, epoch.number, ctx.sender)))
    throw moduleError('PRIVACY_BAD_PROOF', 'the proof of the constant term does not verify', {
      field: 'proof',
    });
  if (epoch.previous !== 0) {
    // A resharing deals the dealer's own share: its constant term is its verification key.
    const previous = readEpoch((k) => ctx.get(k), epoch.previous) as EpochRecord;
    if (!verificationKey(ctx, previous, dealer).equals(constant))
      throw moduleError('PRIVACY_BAD_DEAL', "a resharing's constant term is the dealer's verification key", {
        dealer,
      });
  }
  ctx.set(dealKey(epoch.number, dealer), encode(StoredDeal, { ...m, height: ctx.height }));
  ctx.emit('dealt', { epoch: String(epoch.number), dealer: String(dealer), address: ctx.sender });
}

export function complain(ctx: MessageContext, m: Complain): void {
  const epoch = latestEpoch((k) => ctx.get(k));
  if (!epoch) throw moduleError('PRIVACY_NO_COMMITTEE', 'there is no key generation');
  sameEpoch(epoch, m.epoch);
  inPhase(epoch, ctx.height, ['complain']);
  const receiver = indexOf(epoch.members, ctx.sender);
  if (receiver === 0)
    throw moduleError('PRIVACY_NOT_MEMBER', `${ctx.sender} is not a member of epoch ${epoch.number}`);
  if (ctx.get(dealKey(epoch.number, m.dealer)) === undefined)
    throw moduleError('PRIVACY_NO_DEAL', `dealer ${m.dealer} did not deal`, { dealer: m.dealer });
  if (ctx.get(complaintKey(epoch.number, m.dealer, receiver)) !== undefined)
    throw moduleError('PRIVACY_ALREADY_COMPLAINED', 'one complaint per dealer and member');
  ctx.set(
    complaintKey(epoch.number, m.dealer, receiver),
    encode(ComplaintRecord, { resolved: false, share: new Uint8Array(0) }),
  );
  ctx.emit('complaint', {
    epoch: String(epoch.number),
    dealer: String(m.dealer),
    receiver: String(receiver),
  });
}

export function reveal(ctx: MessageContext, m: Reveal): void {
  const epoch = latestEpoch((k) => ctx.get(k));
  if (!epoch) throw moduleError('PRIVACY_NO_COMMITTEE', 'there is no key generation');
  sameEpoch(epoch, m.epoch);
  inPhase(epoch, ctx.height, ['complain', 'answer']);
  const dealer = indexOf(epoch.dealers, ctx.sender);
  const stored = ctx.get(complaintKey(epoch.number, dealer, m.receiver));
  if (dealer === 0 || !stored || decode(ComplaintRecord, stored).resolved)
    throw moduleError('PRIVACY_NO_COMPLAINT', 'there is no open complaint against the sender by that member');
  const record = readDeal((k) => ctx.get(k), epoch.number, dealer) as StoredDeal;
  ctx.consume(epoch.threshold * (COMPUTE_GAS.pointDecode + COMPUTE_GAS.pointMul), 'share check');
  const share = decodeScalar(m.share, 'share');
  const commitments = record.commitments.map((c) => decodePoint(c, 'commitment'));
  if (!times(G, share).equals(shareCommitment(commitments, m.receiver)))
    throw moduleError('PRIVACY_BAD_SHARE', 'the share does not match the commitments', {
      receiver: m.receiver,
    });
  ctx.set(
    complaintKey(epoch.number, dealer, m.receiver),
    encode(ComplaintRecord, { resolved: true, share: m.share }),
  );
  ctx.emit('answered', { epoch: String(epoch.number), dealer: String(dealer), receiver: String(m.receiver) });
}

/** Which dealers count: they dealt, and every complaint against them was answered. */
export function qualifiedDealers(read: StateRead, epoch: EpochRecord): number[] {
  const qualified: number[] = [];
  for (let dealer = 1; dealer <= epoch.dealers.length; dealer++) {
    if (read(dealKey(epoch.number, dealer)) === undefined) continue;
    let open = false;
    for (let receiver = 1; receiver <= epoch.members.length && !open; receiver++) {
      const stored = read(complaintKey(epoch.number, dealer, receiver));
      if (stored && !decode(ComplaintRecord, stored).resolved) open = true;
    }
    if (!open) qualified.push(dealer);
  }
  return qualified;
}

/** Lagrange weights of the qualified dealers: 1 each for a fresh key, λ_i for a resharing. */
export function dealerWeights(epoch: EpochRecord, qualified: readonly number[]): bigint[] {
  return qualified.map((i) => (epoch.previous === 0 ? 1n : lagrangeAtZero(qualified, i)));
}

export function finalize(ctx: MessageContext, m: Finalize): void {
  const read = (k: string) => ctx.get(k);
  const epoch = latestEpoch(read);
  if (!epoch) throw moduleError('PRIVACY_NO_COMMITTEE', 'there is no key generation');
  sameEpoch(epoch, m.epoch);
  inPhase(epoch, ctx.height, ['over']);
  const qualified = qualifiedDealers(read, epoch);
  if (qualified.length < epoch.dealersNeeded) {
    writeEpoch(ctx, { ...epoch, status: 'failed', qualified });
    ctx.emit('epochFailed', { epoch: String(epoch.number), qualified: String(qualified.length) });
    return;
  }
  const weights = dealerWeights(epoch, qualified);
  ctx.consume(
    qualified.length * epoch.threshold * (COMPUTE_GAS.pointDecode + COMPUTE_GAS.pointMul),
    'joint key',
  );
  const parts = qualified.map((dealer, i) => ({
    commitments: (readDeal(read, epoch.number, dealer) as StoredDeal).commitments.map((c) =>
      decodePoint(c, 'commitment'),
    ),
    weight: weights[i] as bigint,
  }));
  const joint: Point[] = combineCommitments(parts);
  const commitments = joint.map(encodePoint);
  if (epoch.previous !== 0) {
    const previous = readEpoch(read, epoch.previous) as EpochRecord;
    if (!equalBytes(commitments[0] as Uint8Array, previous.commitments[0] as Uint8Array))
      throw moduleError('PRIVACY_CORRUPT', 'a resharing changed the public key');
  }
  writeEpoch(ctx, { ...epoch, status: 'done', commitments, qualified });
  markCurrent(ctx, epoch.number);
  ctx.emit('epochDone', {
    epoch: String(epoch.number),
    publicKey: bytesToHex(commitments[0] as Uint8Array),
    qualified: qualified.join(','),
  });
}
