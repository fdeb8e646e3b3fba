import { encode } from '@pujiang/codec';
import {
  type ChainClient,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
} from '@pujiang/module-kit';
import { hexToBytes } from '@pujiang/types';
import {
  Finalize,
  GOVERNANCE_MODULE,
  type GovernanceAction,
  Propose,
  Register,
  Revoke,
  Veto,
  Vote,
} from './formats.js';
import { type ProposalJson, ProposalQuery, ProposalsQuery } from './schemas.js';

export type { ProposalJson } from './schemas.js';

/**
 * Membership and governance from an application: register a certificate, revoke one of your
 * organization's, propose, vote, veto, finalize, and read proposals. Each call is one
 * `governance/*` transaction sent with `client.sendTransaction`.
 */
export type GovernanceSendParameters = Omit<SendTransactionParameters, 'module' | 'type' | 'payload'>;

const send = (
  client: ChainClient,
  p: GovernanceSendParameters,
  type: string,
  payload: Uint8Array,
): Promise<SendTransactionReturnType> =>
  client.sendTransaction({ ...p, module: GOVERNANCE_MODULE, type, payload });

/** Registers the sender's own certificate (DER) issued by its organization's CA; the role is the certificate's OU. */
export const registerIdentity = (
  client: ChainClient,
  p: GovernanceSendParameters & { certificate: Uint8Array },
) => send(client, p, 'register', encode(Register, { certificate: p.certificate }));

/** Adds a serial (hex) to the sender's organization's on-chain CRL (the sender must be its admin). */
export const revokeCertificate = (
  client: ChainClient,
  p: GovernanceSendParameters & { org: string; serial: string },
) => send(client, p, 'revoke', encode(Revoke, { org: p.org, serial: hexToBytes(p.serial) }));

export const submitProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { title: string; action: GovernanceAction },
) => send(client, p, 'propose', encode(Propose, { title: p.title, action: p.action }));

export const voteOnProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { id: bigint | number | string; approve: boolean },
) => send(client, p, 'vote', encode(Vote, { id: BigInt(p.id), approve: p.approve }));

export const vetoProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { id: bigint | number | string; reason: string },
) => send(client, p, 'veto', encode(Veto, { id: BigInt(p.id), reason: p.reason }));

/** Executes a proposal whose time-lock ended, or records the expiry of one whose vote closed. */
export const finalizeProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { id: bigint | number | string },
) => send(client, p, 'finalize', encode(Finalize, { id: BigInt(p.id) }));

export async function getProposal(client: ChainClient, id: bigint | number | string): Promise<ProposalJson> {
  return (await queryTyped(client, ProposalQuery, { id: String(id) })).result;
}

/** The newest proposals first (at most `limit`, default 50). */
export async function listProposals(client: ChainClient, limit = 50): Promise<ProposalJson[]> {
  return (await queryTyped(client, ProposalsQuery, { limit })).result;
}

/**
 * A proposal's status as of `height`: one whose vote closed unapproved reads as expired even
 * before anyone finalizes it.
 */
export function proposalStatusAt(p: ProposalJson, height: number | bigint): ProposalJson['status'] {
  return p.status === 'voting' && BigInt(height) > BigInt(p.votingEnds) ? 'expired' : p.status;
}
