import { decode, u32 } from '@pujiang/codec';
import { defineQuery, type StateRead } from '@pujiang/module-kit';
import { bytesToHex } from '@pujiang/types';
import { bigintFromBytes } from '../crypto/paillier.js';
import {
  ComplaintRecord,
  complaintKey,
  dealKey,
  type EpochRecord,
  partialKey,
  RoundResult,
  roundResultKey,
  submitterKey,
} from '../formats.js';
import {
  CommitteeQuery,
  DealQuery,
  EpochQuery,
  RequestQuery,
  RoundQuery,
  SubmitterQuery,
} from '../schemas.js';
import { readRequest } from './decryption.js';
import { readDeal } from './dkg.js';
import { currentEpoch, epochDue, latestEpoch, readEpoch, readParam } from './epochs.js';
import { readRound, readTotal } from './rounds.js';

/** The privacy module's queries: JSON views of its records (provable like every query). */
export const roundQuery = defineQuery({
  ...RoundQuery,
  run: (read, { id }) => {
    const round = readRound(read, id);
    if (!round) return { round: null };
    const total = readTotal(read, id);
    const resultBytes = read(roundResultKey(id));
    const result = resultBytes ? decode(RoundResult, resultBytes) : undefined;
    return {
      round: {
        id: round.id,
        opener: bytesToHex(round.opener),
        scheme: round.scheme,
        key: round.key,
        publicKey: bytesToHex(round.publicKey),
        orgs: round.orgs,
        maxPerSubmitter: round.maxPerSubmitter,
        closesAt: round.closesAt.toString(),
        label: round.label,
        openedAt: round.openedAt.toString(),
        count: total?.count ?? 0,
        total: bytesToHex(total?.total ?? new Uint8Array(0)),
        result: result
          ? {
              value: bigintFromBytes(result.value).toString(),
              by: bytesToHex(result.by),
              height: result.height.toString(),
            }
          : null,
      },
    };
  },
});

export const submitterQuery = defineQuery({
  ...SubmitterQuery,
  run: (read, { round, address }) => {
    const bytes = read(submitterKey(round, address));
    return { count: bytes ? decode(u32, bytes) : null };
  },
});

function epochJson(read: StateRead, epoch: EpochRecord) {
  const dealt: number[] = [];
  const complaints: { dealer: number; receiver: number; resolved: boolean; share: string | null }[] = [];
  for (let dealer = 1; dealer <= epoch.dealers.length; dealer++) {
    if (read(dealKey(epoch.number, dealer)) === undefined) continue;
    dealt.push(dealer);
    for (let receiver = 1; receiver <= epoch.members.length; receiver++) {
      const stored = read(complaintKey(epoch.number, dealer, receiver));
      if (!stored) continue;
      const c = decode(ComplaintRecord, stored);
      complaints.push({
        dealer,
        receiver,
        resolved: c.resolved,
        share: c.resolved ? bytesToHex(c.share) : null,
      });
    }
  }
  return {
    number: epoch.number,
    members: epoch.members.map(bytesToHex),
    memberKeys: epoch.memberKeys.map(bytesToHex),
    threshold: epoch.threshold,
    phaseBlocks: epoch.phaseBlocks,
    start: epoch.start.toString(),
    previous: epoch.previous,
    dealers: epoch.dealers.map(bytesToHex),
    dealersNeeded: epoch.dealersNeeded,
    status: epoch.status,
    publicKey: epoch.commitments[0] ? bytesToHex(epoch.commitments[0]) : null,
    commitments: epoch.commitments.map(bytesToHex),
    qualified: epoch.qualified,
    dealt,
    complaints,
  };
}

export const committeeQuery = defineQuery({
  ...CommitteeQuery,
  run: (read) => {
    const param = readParam(read);
    const latest = latestEpoch(read);
    const current = currentEpoch(read);
    return {
      param: param
        ? {
            members: param.param.members.map(bytesToHex),
            threshold: param.param.threshold,
            phaseBlocks: param.param.phaseBlocks,
          }
        : null,
      pending: epochDue(read),
      latest: latest ? epochJson(read, latest) : null,
      current: current ? epochJson(read, current) : null,
    };
  },
});

export const epochQuery = defineQuery({
  ...EpochQuery,
  run: (read, { number }) => {
    const epoch = readEpoch(read, number);
    return { epoch: epoch ? epochJson(read, epoch) : null };
  },
});

export const dealQuery = defineQuery({
  ...DealQuery,
  run: (read, { epoch, dealer }) => {
    const deal = readDeal(read, epoch, dealer);
    return {
      deal: deal
        ? {
            commitments: deal.commitments.map(bytesToHex),
            ephemeral: bytesToHex(deal.ephemeral),
            shares: deal.shares.map(bytesToHex),
            height: deal.height.toString(),
          }
        : null,
    };
  },
});

export const requestQuery = defineQuery({
  ...RequestQuery,
  run: (read, { id }) => {
    const r = readRequest(read, id);
    if (!r) return { request: null };
    return {
      request: {
        id: r.id,
        requester: bytesToHex(r.requester),
        epoch: r.epoch,
        target:
          r.target.type === 'round' ? { round: r.target.value } : { record: bytesToHex(r.target.value) },
        ciphertext: bytesToHex(r.ciphertext),
        blinded: bytesToHex(r.blinded),
        reason: r.reason,
        height: r.height.toString(),
        partials: r.partials.map((member) => ({
          member,
          share: bytesToHex(read(partialKey(id, member)) ?? new Uint8Array(0)),
        })),
        combined: r.combined.length > 0 ? bytesToHex(r.combined) : null,
        value: r.value.length > 0 ? bigintFromBytes(r.value).toString() : null,
      },
    };
  },
});
