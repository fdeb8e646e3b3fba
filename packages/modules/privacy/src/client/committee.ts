import {
  type ChainClient,
  encodePayload,
  listArgument,
  queryTyped,
  type SendTransactionReturnType,
  sdkError,
} from '@pujiang/module-kit';
import { bytesToHex, hexToBytes } from '@pujiang/types';
import type { Static } from '@sinclair/typebox';
import { intArgument, recordArgument } from '../arguments.js';
import { checkCommittee } from '../committee-param.js';
import { dealContext, memberKeyContext, shareContext } from '../contexts.js';
import {
  commitmentsOf,
  evaluate,
  lagrangeAtZero,
  openShare,
  randomPolynomial,
  sealShare,
  shareCommitment,
} from '../crypto/dkg.js';
import { decodePoint, encodePoint, G, randomScalar, times } from '../crypto/group.js';
import { proveKnowledge } from '../crypto/proofs.js';
import { CommitteeParam, Complain, Deal, Finalize, RegisterMemberKey, Reveal } from '../formats.js';
import { CommitteeQuery, DealQuery, type EpochSchema, MemberKeyQuery } from '../schemas.js';
import { type PrivacySendParameters, sendPrivacy, signerOf } from './common.js';
import { type MemberState, parseMemberState, scalarHex, scalarOf } from './member.js';

/**
 * The committee's key generation from a member's side: register a committee key, deal
 * (a fresh polynomial, or one's own share when resharing), check the shares others dealt
 * and complain about bad ones, answer complaints, finalize, and derive one's share.
 */
export type EpochJson = Static<typeof EpochSchema>;
export type CommitteeJson = Static<typeof CommitteeQuery.result>;

/**
 * The committee parameter's value (hex) for a governance proposal:
 * `pujiang gov propose set-param --module privacy --name committee --value HEX`.
 */
export function committeeParamValue(p: {
  members: readonly string[];
  threshold: number;
  phaseBlocks: number;
}): string {
  recordArgument(p, 'parameters');
  intArgument(p.threshold, 'threshold', 1, 32);
  intArgument(p.phaseBlocks, 'phaseBlocks', 1, 100_000);
  const members = listArgument(p.members, 'members').map((a, i) => {
    if (typeof a !== 'string' || !/^[0-9a-f]{42}$/.test(a))
      throw sdkError('SDK_INVALID_ARGUMENT', `members[${i}] is not an address`, {
        parameter: `members[${i}]`,
      });
    return hexToBytes(a);
  });
  const value = encodePayload(CommitteeParam, {
    members,
    threshold: p.threshold,
    phaseBlocks: p.phaseBlocks,
  });
  try {
    checkCommittee(value);
  } catch (error) {
    throw sdkError('SDK_INVALID_ARGUMENT', (error as Error).message, { parameter: 'committee' });
  }
  return bytesToHex(value);
}

export async function getCommittee(client: ChainClient): Promise<CommitteeJson> {
  return (await queryTyped(client, CommitteeQuery, {})).result;
}

export async function registerMemberKey(
  client: ChainClient,
  p: PrivacySendParameters & { member: MemberState },
): Promise<SendTransactionReturnType> {
  parseMemberState(recordArgument<{ member: unknown }>(p, 'parameters').member);
  const { chainId, address } = await signerOf(client, p.key);
  const secret = scalarOf(p.member.secret, 'member.secret');
  const key = encodePoint(times(G, secret));
  const proof = proveKnowledge(G, secret, memberKeyContext(chainId, address));
  return sendPrivacy(client, p, 'registerMemberKey', RegisterMemberKey, { key, proof }, 400_000);
}

/** The epoch a deal now goes to: the latest, or the one the chain starts on the next committee message. */
export async function dealingEpoch(client: ChainClient): Promise<EpochJson> {
  const c = await getCommittee(client);
  if (!c.pending) {
    if (c.latest?.status !== 'dealing')
      throw sdkError('SDK_INVALID_ARGUMENT', 'no key generation is due or running', { parameter: 'epoch' });
    return c.latest;
  }
  const param = c.param as NonNullable<CommitteeJson['param']>;
  const memberKeys = await Promise.all(
    param.members.map(async (address) => {
      const { key } = (await queryTyped(client, MemberKeyQuery, { address })).result;
      if (!key)
        throw sdkError('SDK_INVALID_ARGUMENT', `member ${address} has no committee key yet`, {
          parameter: 'member',
        });
      return key;
    }),
  );
  return {
    number: (c.latest?.number ?? 0) + 1,
    members: param.members,
    memberKeys,
    threshold: param.threshold,
    phaseBlocks: param.phaseBlocks,
    start: '0',
    previous: c.current?.number ?? 0,
    dealers: c.current ? c.current.members : param.members,
    dealersNeeded: c.current ? c.current.threshold : param.threshold,
    status: 'dealing',
    publicKey: null,
    commitments: [],
    qualified: [],
    dealt: [],
    complaints: [],
  };
}

/** Deals for the epoch due; returns the member state with the polynomial kept for complaints. */
export async function dealShares(
  client: ChainClient,
  p: PrivacySendParameters & { member: MemberState },
): Promise<{
  readonly result: SendTransactionReturnType;
  readonly member: MemberState;
  readonly epoch: number;
}> {
  parseMemberState(recordArgument<{ member: unknown }>(p, 'parameters').member);
  const { chainId, address } = await signerOf(client, p.key);
  const epoch = await dealingEpoch(client);
  const dealer = epoch.dealers.indexOf(address) + 1;
  if (dealer === 0)
    throw sdkError('SDK_INVALID_ARGUMENT', `${address} does not deal in epoch ${epoch.number}`, {
      parameter: 'key',
    });
  let secret: bigint | undefined;
  if (epoch.previous !== 0) {
    const share = p.member.shares[String(epoch.previous)];
    if (!share)
      throw sdkError('SDK_INVALID_ARGUMENT', `no share of epoch ${epoch.previous} to reshare`, {
        parameter: 'member',
      });
    secret = scalarOf(share, 'share');
  }
  const poly = randomPolynomial(epoch.threshold, secret);
  const ephemeralSecret = randomScalar();
  const context = shareContext(chainId, epoch.number, dealer);
  const shares = epoch.memberKeys.map((key, i) =>
    sealShare(
      evaluate(poly, i + 1),
      decodePoint(hexToBytes(key), 'memberKey'),
      ephemeralSecret,
      i + 1,
      context,
    ),
  );
  const message = {
    epoch: epoch.number,
    commitments: commitmentsOf(poly).map(encodePoint),
    ephemeral: encodePoint(times(G, ephemeralSecret)),
    shares,
    proof: proveKnowledge(G, poly.coefficients[0] as bigint, dealContext(chainId, epoch.number, address)),
  };
  const member: MemberState = {
    ...p.member,
    dealt: { ...p.member.dealt, [String(epoch.number)]: poly.coefficients.map(scalarHex) },
  };
  const gas = 1_000_000 + 100_000 * (epoch.threshold + 1) * 2;
  const result = await sendPrivacy(client, p, 'deal', Deal, message, gas);
  return { result, member, epoch: epoch.number };
}

/** This member's share from one dealer in an epoch: opened and checked against the commitments. */
async function shareFrom(
  client: ChainClient,
  chainId: string,
  epoch: EpochJson,
  dealer: number,
  me: number,
  member: MemberState,
): Promise<bigint | undefined> {
  const revealed = epoch.complaints.find((c) => c.dealer === dealer && c.receiver === me && c.resolved);
  const deal = (await queryTyped(client, DealQuery, { epoch: epoch.number, dealer })).result.deal;
  if (!deal) return undefined;
  const commitments = deal.commitments.map((c) => decodePoint(hexToBytes(c), 'commitment'));
  let share: bigint;
  try {
    share = revealed?.share
      ? scalarOf(revealed.share, 'share')
      : openShare(
          hexToBytes(deal.shares[me - 1] as string),
          decodePoint(hexToBytes(deal.ephemeral), 'ephemeral'),
          scalarOf(member.secret, 'member.secret'),
          me,
          shareContext(chainId, epoch.number, dealer),
        );
  } catch {
    return undefined;
  }
  return times(G, share).equals(shareCommitment(commitments, me)) ? share : undefined;
}

/** The dealers of the latest epoch whose share to this member does not check (to complain about). */
export async function badDealers(
  client: ChainClient,
  p: { key: PrivacySendParameters['key']; member: MemberState },
): Promise<number[]> {
  parseMemberState(recordArgument<{ member: unknown }>(p, 'parameters').member);
  const { chainId, address } = await signerOf(client, p.key);
  const { latest } = await getCommittee(client);
  if (!latest) return [];
  const me = latest.members.indexOf(address) + 1;
  if (me === 0) return [];
  const bad: number[] = [];
  for (const dealer of latest.dealt)
    if ((await shareFrom(client, chainId, latest, dealer, me, p.member)) === undefined) bad.push(dealer);
  return bad;
}

export function complainAbout(
  client: ChainClient,
  p: PrivacySendParameters & { epoch: number; dealer: number },
): Promise<SendTransactionReturnType> {
  recordArgument(p, 'parameters');
  intArgument(p.epoch, 'epoch', 1, 0xffff_ffff);
  intArgument(p.dealer, 'dealer', 1, 32);
  return sendPrivacy(client, p, 'complain', Complain, { epoch: p.epoch, dealer: p.dealer }, 200_000);
}

/** Answers every open complaint against this dealer in the latest epoch with the share in the clear. */
export async function answerComplaints(
  client: ChainClient,
  p: PrivacySendParameters & { member: MemberState },
): Promise<SendTransactionReturnType[]> {
  parseMemberState(recordArgument<{ member: unknown }>(p, 'parameters').member);
  const { address } = await signerOf(client, p.key);
  const { latest } = await getCommittee(client);
  if (!latest) return [];
  const dealer = latest.dealers.indexOf(address) + 1;
  const coefficients = p.member.dealt[String(latest.number)];
  const open = latest.complaints.filter((c) => c.dealer === dealer && !c.resolved);
  if (open.length > 0 && !coefficients)
    throw sdkError('SDK_INVALID_ARGUMENT', `no polynomial of epoch ${latest.number} kept`, {
      parameter: 'member',
    });
  const poly = { coefficients: (coefficients ?? []).map((c) => scalarOf(c, 'coefficient')) };
  const results: SendTransactionReturnType[] = [];
  for (const c of open) {
    const share = hexToBytes(scalarHex(evaluate(poly, c.receiver)));
    results.push(
      await sendPrivacy(
        client,
        p,
        'reveal',
        Reveal,
        { epoch: latest.number, receiver: c.receiver, share },
        2_000_000,
      ),
    );
  }
  return results;
}

export async function finalizeEpoch(
  client: ChainClient,
  p: PrivacySendParameters & { epoch: number },
): Promise<SendTransactionReturnType> {
  intArgument(recordArgument<{ epoch: unknown }>(p, 'parameters').epoch, 'epoch', 1, 0xffff_ffff);
  const { latest } = await getCommittee(client);
  const dealers = latest?.dealers.length ?? 32;
  const t = latest?.threshold ?? 32;
  return sendPrivacy(client, p, 'finalize', Finalize, { epoch: p.epoch }, 1_000_000 + dealers * t * 100_000);
}

/**
 * This member's share of the key of the current epoch: the weighted sum of what the
 * qualified dealers dealt it, checked against its verification key. Kept in the state.
 */
export async function deriveShare(
  client: ChainClient,
  p: { key: PrivacySendParameters['key']; member: MemberState },
): Promise<{ readonly member: MemberState; readonly epoch: number; readonly index: number }> {
  parseMemberState(recordArgument<{ member: unknown }>(p, 'parameters').member);
  const { chainId, address } = await signerOf(client, p.key);
  const { current } = await getCommittee(client);
  if (!current)
    throw sdkError('SDK_INVALID_ARGUMENT', 'the committee has no key yet', { parameter: 'epoch' });
  const me = current.members.indexOf(address) + 1;
  if (me === 0)
    throw sdkError('SDK_INVALID_ARGUMENT', `${address} is not a member of epoch ${current.number}`, {
      parameter: 'key',
    });
  let share = 0n;
  for (const dealer of current.qualified) {
    const part = await shareFrom(client, chainId, current, dealer, me, p.member);
    if (part === undefined)
      throw sdkError('SDK_VERIFICATION_FAILED', `dealer ${dealer}'s share does not check`, {
        check: 'share',
        dealer,
      });
    const weight = current.previous === 0 ? 1n : lagrangeAtZero(current.qualified, dealer);
    share += weight * part;
  }
  const commitments = current.commitments.map((c) => decodePoint(hexToBytes(c), 'commitment'));
  const value = scalarOf(scalarHex(share), 'share');
  if (!times(G, value).equals(shareCommitment(commitments, me)))
    throw sdkError('SDK_VERIFICATION_FAILED', 'the derived share does not match the verification key', {
      check: 'share',
    });
  const { [String(current.number)]: _done, ...dealt } = p.member.dealt;
  return {
    member: {
      ...p.member,
      dealt,
      // Only the share in force is kept: an old epoch's share no longer counts on chain,
      // and keeping it would let removed members' old shares be pooled off chain.
      shares: { [String(current.number)]: scalarHex(value) },
    },
    epoch: current.number,
    index: me,
  };
}
