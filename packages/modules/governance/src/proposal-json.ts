import { bytesToHex } from '@pujiang/types';
import type { GovernanceAction, Proposal } from './formats.js';
import { policyToJson } from './policies.js';
import type { ProposalJson } from './schemas.js';

/**
 * A proposal as JSON (the action's byte fields as hex): what the `proposal` query answers, and
 * what a client decoding the proposal's proven state record shows (the web console).
 */
export function proposalJson(p: Proposal): ProposalJson {
  return {
    id: String(p.id),
    title: p.title,
    kind: p.action.type,
    action: actionJson(p.action),
    resource: p.resource,
    policy: policyToJson(p.policy),
    proposer: p.proposer,
    status: p.status,
    submittedAt: String(p.submittedAt),
    votingEnds: String(p.votingEnds),
    executableAt: String(p.executableAt),
    votes: p.votes.map((v) => ({ ...v, height: String(v.height) })),
    history: p.history.map((h) => ({ ...h, height: String(h.height) })),
  };
}

/** An action's fields as JSON; a policy set by one in the form people write (`policyToJson`). */
function actionJson(action: GovernanceAction): Record<string, unknown> {
  if (action.type === 'setPolicy') {
    const { resource, policy } = action.value;
    return policy ? { resource, policy: policyToJson(policy) } : { resource };
  }
  return jsonify(action.value) as Record<string, unknown>;
}

function jsonify(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(jsonify);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonify(v)]));
  return value;
}
