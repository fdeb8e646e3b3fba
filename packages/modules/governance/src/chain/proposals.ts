import { decode, encode, u64 } from '@pujiang/codec';
import type { MessageContext } from '@pujiang/module-kit';
import { PujiangError } from '@pujiang/types';
import {
  ChainConfig,
  GOV_KEYS,
  type GovernanceAction,
  Proposal,
  type ProposalStatus,
  proposalResource,
} from '../formats.js';
import { policySatisfied } from '../policies.js';
import { type ActionContext, prepareAction } from './actions.js';
import { eligibleOrgs, policyFor } from './policy.js';
import { identityOf, readAs } from './registry.js';

/**
 * A proposal's life: submitted and open for votes by the organizations its policy names,
 * until its voting deadline; approved (queued behind a time-lock) or rejected; during the
 * time-lock a regulator named by the policy may veto it; after it, anyone may execute it.
 * A proposal whose vote closed unapproved is recorded as expired by `finalize`. Every step is
 * an event and is kept in the proposal's history, which is state (queryable and provable).
 */
export type ProposalErrorCode =
  | 'GOV_NOT_ADMIN'
  | 'GOV_UNKNOWN_PROPOSAL'
  | 'GOV_NOT_VOTING'
  | 'GOV_VOTING_CLOSED'
  | 'GOV_NOT_ELIGIBLE'
  | 'GOV_ALREADY_VOTED'
  | 'GOV_NO_MANDATE'
  | 'GOV_NOT_VETOABLE'
  | 'GOV_NOT_READY';

function refuse(
  code: ProposalErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): PujiangError {
  return new PujiangError(code, message, details);
}

export function actionContext(ctx: MessageContext): ActionContext {
  return {
    read: (k) => ctx.get(k),
    write: (k, v) => ctx.set(k, v),
    height: ctx.height,
    time: ctx.time,
    chainHash: ctx.chainHash,
    emit: (type, attributes) => ctx.emit(type, attributes),
    ...(ctx.setModuleParam ? { setModuleParam: ctx.setModuleParam } : {}),
  };
}

const config = (ctx: MessageContext): ChainConfig => readAs((k) => ctx.get(k), GOV_KEYS.config, ChainConfig)!;

function load(ctx: MessageContext, id: bigint): Proposal {
  const bytes = ctx.get(GOV_KEYS.proposal(id));
  if (!bytes) throw refuse('GOV_UNKNOWN_PROPOSAL', `there is no proposal ${id}`, { id: String(id) });
  return decode(Proposal, bytes);
}

function save(ctx: MessageContext, p: Proposal): void {
  ctx.set(GOV_KEYS.proposal(p.id), encode(Proposal, p));
}

function step(ctx: MessageContext, p: Proposal, status: ProposalStatus, note = ''): void {
  p.status = status;
  p.history.push({ status, height: ctx.height, by: ctx.sender, note: note.slice(0, 256) });
}

function member(ctx: MessageContext) {
  const identity = identityOf((k) => ctx.get(k), ctx.sender);
  // authorize() let the transaction in, so on a permissioned chain the sender is a valid member.
  if (!identity) throw refuse('GOV_NOT_ELIGIBLE', 'only registered members take part in governance');
  return identity;
}

/** Moves a proposal on when its votes decide it: approved (queued) or no longer approvable (rejected). */
function tally(ctx: MessageContext, p: Proposal): void {
  const eligible = new Set(eligibleOrgs((k) => ctx.get(k), p.policy));
  const yes = p.votes.filter((v) => v.approve && eligible.has(v.org)).length;
  const decided = new Set(p.votes.filter((v) => eligible.has(v.org)).map((v) => v.org)).size;
  const undecided = eligible.size - decided;
  if (policySatisfied(p.policy.rule, yes, eligible.size)) {
    p.executableAt = ctx.height + BigInt(config(ctx).timelock);
    step(ctx, p, 'queued', `approved by ${yes} of ${eligible.size}`);
    ctx.emit('approved', { id: String(p.id), executableAt: String(p.executableAt), yes: String(yes) });
  } else if (!policySatisfied(p.policy.rule, yes + undecided, eligible.size)) {
    step(ctx, p, 'rejected', `${yes} of ${eligible.size} approved`);
    ctx.emit('rejected', { id: String(p.id), yes: String(yes) });
  }
}

function castVote(ctx: MessageContext, p: Proposal, approve: boolean): void {
  const identity = member(ctx);
  if (
    !p.policy.roles.includes(identity.role) ||
    !eligibleOrgs((k) => ctx.get(k), p.policy).includes(identity.org)
  )
    throw refuse('GOV_NOT_ELIGIBLE', `a ${identity.role} of ${identity.org} does not vote on ${p.resource}`, {
      org: identity.org,
      role: identity.role,
    });
  if (p.votes.some((v) => v.org === identity.org))
    throw refuse('GOV_ALREADY_VOTED', `${identity.org} has voted on proposal ${p.id}`, { org: identity.org });
  p.votes.push({ org: identity.org, voter: ctx.sender, approve, height: ctx.height });
  ctx.emit('voted', { id: String(p.id), org: identity.org, voter: ctx.sender, approve: String(approve) });
}

export function propose(ctx: MessageContext, title: string, action: GovernanceAction): void {
  const identity = member(ctx);
  if (identity.role !== 'admin') throw refuse('GOV_NOT_ADMIN', 'only an organization admin may propose');
  prepareAction(actionContext(ctx), action); // refuse what could never execute now
  const resource = proposalResource(action.type);
  const { policy } = policyFor((k) => ctx.get(k), resource);
  const idBytes = ctx.get(GOV_KEYS.nextProposalId);
  const id = idBytes ? decode(u64, idBytes) : 1n;
  ctx.set(GOV_KEYS.nextProposalId, encode(u64, id + 1n));
  const p: Proposal = {
    id,
    title,
    action,
    resource,
    policy,
    proposer: ctx.sender,
    status: 'voting',
    submittedAt: ctx.height,
    votingEnds: ctx.height + BigInt(config(ctx).votingPeriod),
    executableAt: 0n,
    votes: [],
    history: [],
  };
  step(ctx, p, 'voting', title);
  ctx.emit('proposed', {
    id: String(id),
    kind: action.type,
    resource,
    proposer: ctx.sender,
    org: identity.org,
    votingEnds: String(p.votingEnds),
  });
  // The proposer's organization approves what its admin proposes, when the policy counts it.
  if (policy.roles.includes('admin') && eligibleOrgs((k) => ctx.get(k), policy).includes(identity.org))
    castVote(ctx, p, true);
  tally(ctx, p);
  save(ctx, p);
}

export function vote(ctx: MessageContext, id: bigint, approve: boolean): void {
  const p = load(ctx, id);
  if (p.status !== 'voting')
    throw refuse('GOV_NOT_VOTING', `proposal ${id} is ${p.status}`, { id: String(id), status: p.status });
  if (ctx.height > p.votingEnds)
    throw refuse('GOV_VOTING_CLOSED', `voting on proposal ${id} closed at height ${p.votingEnds}`, {
      id: String(id),
      votingEnds: String(p.votingEnds),
    });
  castVote(ctx, p, approve);
  tally(ctx, p);
  save(ctx, p);
}

export function veto(ctx: MessageContext, id: bigint, reason: string): void {
  const p = load(ctx, id);
  const identity = member(ctx);
  if (identity.role !== 'regulator' || !p.policy.vetoBy.includes(identity.org))
    throw refuse(
      'GOV_NO_MANDATE',
      `the policy of ${p.resource} gives ${identity.org}'s ${identity.role}s no veto`,
      {
        org: identity.org,
        role: identity.role,
      },
    );
  if (p.status !== 'voting' && p.status !== 'queued')
    throw refuse('GOV_NOT_VETOABLE', `proposal ${id} is ${p.status}`, { id: String(id), status: p.status });
  if (p.status === 'voting' && ctx.height > p.votingEnds)
    throw refuse('GOV_NOT_VETOABLE', `voting on proposal ${id} closed unapproved`, { id: String(id) });
  step(ctx, p, 'vetoed', reason);
  ctx.emit('vetoed', { id: String(id), org: identity.org, by: ctx.sender, reason });
  save(ctx, p);
}

/** Executes a queued proposal past its time-lock, or records the expiry of one whose vote closed. */
export function finalize(ctx: MessageContext, id: bigint): void {
  const p = load(ctx, id);
  if (p.status === 'queued' && ctx.height >= p.executableAt) {
    let apply: (() => void) | undefined;
    try {
      apply = prepareAction(actionContext(ctx), p.action);
      apply();
      step(ctx, p, 'executed');
      ctx.emit('executed', { id: String(id), kind: p.action.type });
    } catch (error) {
      if (!(error instanceof PujiangError)) throw error;
      // The state moved on since the vote (the organization left, say): record why, change nothing else.
      if (apply !== undefined) throw error; // a failure while writing: fail the transaction whole
      step(ctx, p, 'failed', `${error.code}: ${error.message}`);
      ctx.emit('failed', { id: String(id), code: error.code });
    }
  } else if (p.status === 'voting' && ctx.height > p.votingEnds) {
    step(ctx, p, 'expired', 'the vote closed without approval');
    ctx.emit('expired', { id: String(id) });
  } else {
    throw refuse(
      'GOV_NOT_READY',
      p.status === 'queued'
        ? `proposal ${id} is time-locked until height ${p.executableAt}`
        : p.status === 'voting'
          ? `proposal ${id} is open for votes until height ${p.votingEnds}`
          : `proposal ${id} is ${p.status}`,
      { id: String(id), status: p.status },
    );
  }
  save(ctx, p);
}

/** The status as of `height`: a vote that closed unapproved reads as expired before anyone finalizes it. */
export function effectiveStatus(p: Proposal, height: bigint): ProposalStatus {
  return p.status === 'voting' && height > p.votingEnds ? 'expired' : p.status;
}
