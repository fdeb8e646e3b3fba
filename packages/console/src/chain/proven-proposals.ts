import { u64 } from '@pujiang/codec';
import {
  ChainConfig,
  GOV_KEYS,
  GOVERNANCE_MODULE,
  Proposal,
  type ProposalJson,
  proposalJson,
} from '@pujiang/module-governance';
import type { LightClient } from '@pujiang/sdk/browser';
import type { Proof } from '../components/proof-badge.js';
import { provenQuery } from './proven-query.js';
import { ProvenState, stateKey } from './proven-state.js';

/**
 * The latest proposals, decoded from the proven reads of `governance/proposals` (the next id
 * and each proposal's record), not from the node's answer: a node that rewrites a title, a
 * vote or a status in its answer is not believed. When the proof fails the node's answer is
 * returned under a refused proof, so the page can say what the node claimed.
 */
export async function loadProposals(
  light: LightClient,
  limit = 50,
): Promise<{ list: ProposalJson[]; proof: Proof; proven: boolean }> {
  const params = { limit: String(limit) };
  let failure: unknown;
  try {
    const verified = await provenQuery(light, GOVERNANCE_MODULE, 'proposals', params, [
      stateKey(GOVERNANCE_MODULE, GOV_KEYS.nextProposalId),
    ]);
    const state = new ProvenState(verified, GOVERNANCE_MODULE);
    const next = state.value(GOV_KEYS.nextProposalId, u64);
    const last = next === undefined ? 0n : next - 1n;
    const list: ProposalJson[] = [];
    for (let id = last; id >= 1n && id > last - BigInt(limit); id--) {
      const proposal = state.value(GOV_KEYS.proposal(id), Proposal);
      if (proposal) list.push(proposalJson(proposal));
    }
    return { list, proof: { state: 'proven', height: verified.height }, proven: true };
  } catch (error) {
    failure = error;
  }
  const answer = await light.client.query(GOVERNANCE_MODULE, 'proposals', params);
  return { list: answer.result as ProposalJson[], proof: { state: 'failed', error: failure }, proven: false };
}

/** The chain's time-lock in blocks, decoded from the proven configuration record. */
export async function loadTimelock(light: LightClient): Promise<number | undefined> {
  const verified = await provenQuery(light, GOVERNANCE_MODULE, 'config', {}, [
    stateKey(GOVERNANCE_MODULE, GOV_KEYS.config),
  ]);
  return new ProvenState(verified, GOVERNANCE_MODULE).value(GOV_KEYS.config, ChainConfig)?.timelock;
}
