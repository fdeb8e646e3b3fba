import { encode } from '@pujiang/codec';
import {
  Finalize,
  GOVERNANCE_MODULE,
  type GovernanceAction,
  type PolicyJson,
  Propose,
  Register,
  Revoke,
  Veto,
  Vote,
} from '@pujiang/protocol';
import { hexToBytes } from '@pujiang/types';
import type { PujiangClient, SendTransactionParameters, SendTransactionReturnType } from './client.js';

/**
 * Membership and governance from an application: register a certificate, revoke one of your
 * organization's, propose, vote, veto, finalize, and read proposals. Each call is one
 * `governance/*` transaction sent with `client.sendTransaction`.
 */
export type GovernanceSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

export interface ProposalJson {
  id: string;
  title: string;
  kind: GovernanceAction['type'];
  action: Record<string, unknown>;
  resource: string;
  policy: PolicyJson;
  proposer: string;
  status: 'voting' | 'queued' | 'rejected' | 'expired' | 'vetoed' | 'executed' | 'failed';
  submittedAt: string;
  votingEnds: string;
  executableAt: string;
  votes: { org: string; voter: string; approve: boolean; height: string }[];
  history: { status: string; height: string; by: string; note: string }[];
}

const send = (
  client: PujiangClient,
  p: GovernanceSendParameters,
  type: string,
  payload: Uint8Array,
): Promise<SendTransactionReturnType> =>
  client.sendTransaction({ ...p, module: GOVERNANCE_MODULE, type, payload });

/** Registers the sender's own certificate (DER) issued by its organization's CA; the role is the certificate's OU. */
export const registerIdentity = (
  client: PujiangClient,
  p: GovernanceSendParameters & { certificate: Uint8Array },
) => send(client, p, 'register', encode(Register, { certificate: p.certificate }));

/** Adds a serial (hex) to the sender's organization's on-chain CRL (the sender must be its admin). */
export const revokeCertificate = (
  client: PujiangClient,
  p: GovernanceSendParameters & { org: string; serial: string },
) => send(client, p, 'revoke', encode(Revoke, { org: p.org, serial: hexToBytes(p.serial) }));

export const submitProposal = (
  client: PujiangClient,
  p: GovernanceSendParameters & { title: string; action: GovernanceAction },
) => send(client, p, 'propose', encode(Propose, { title: p.title, action: p.action }));

export const voteOnProposal = (
  client: PujiangClient,
  p: GovernanceSendParameters & { id: bigint | number | string; approve: boolean },
) => send(client, p, 'vote', encode(Vote, { id: BigInt(p.id), approve: p.approve }));

export const vetoProposal = (
  client: PujiangClient,
  p: GovernanceSendParameters & { id: bigint | number | string; reason: string },
) => send(client, p, 'veto', encode(Veto, { id: BigInt(p.id), reason: p.reason }));

/** Executes a proposal whose time-lock ended, or records the expiry of one whose vote closed. */
export const finalizeProposal = (
  client: PujiangClient,
  p: GovernanceSendParameters & { id: bigint | number | string },
) => send(client, p, 'finalize', encode(Finalize, { id: BigInt(p.id) }));

export async function getProposal(
  client: PujiangClient,
  id: bigint | number | string,
): Promise<ProposalJson> {
  return (await client.query(GOVERNANCE_MODULE, 'proposal', { id: String(id) })).result as ProposalJson;
}

/** The newest proposals first (at most `limit`, default 50). */
export async function listProposals(client: PujiangClient, limit = 50): Promise<ProposalJson[]> {
  return (await client.query(GOVERNANCE_MODULE, 'proposals', { limit: String(limit) }))
    .result as ProposalJson[];
}

/**
 * A proposal's status as of `height`: one whose vote closed unapproved reads as expired even
 * before anyone finalizes it.
 */
export function proposalStatusAt(p: ProposalJson, height: number | bigint): ProposalJson['status'] {
  return p.status === 'voting' && BigInt(height) > BigInt(p.votingEnds) ? 'expired' : p.status;
}
