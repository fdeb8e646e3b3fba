import type { Codec } from '@pujiang/codec';
import {
  bytesArgument,
  type ChainClient,
  encodePayload,
  heightArgument,
  objectArgument,
  queryTyped,
  type SendTransactionParameters,
  type SendTransactionReturnType,
} from '@pujiang/module-kit';
import { hexToBytes, invalidArgument } from '@pujiang/types';
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

/** Checks the parameters object, builds the payload from it (a field the format refuses names itself), sends. */
function send<P extends GovernanceSendParameters, T>(
  client: ChainClient,
  parameters: P,
  type: string,
  codec: Codec<T>,
  payloadOf: (p: P) => T,
): Promise<SendTransactionReturnType> {
  const p = objectArgument(parameters, 'parameters');
  const payload = encodePayload(codec, payloadOf(p));
  return client.sendTransaction({ ...p, module: GOVERNANCE_MODULE, type, payload });
}

/** A proposal id: a whole number (bigint, safe integer or decimal string). */
function proposalId(id: bigint | number | string): bigint {
  if (typeof id === 'bigint' && id >= 0n) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return BigInt(id);
  if (typeof id === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(id)) return BigInt(id);
  throw invalidArgument('id must be a proposal id (a whole number)', 'id');
}

function serialBytes(serial: unknown): Uint8Array {
  if (typeof serial !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(serial))
    throw invalidArgument('serial must be hex digits (a certificate serial number)', 'serial');
  return hexToBytes(serial.toLowerCase());
}

/** Registers the sender's own certificate (DER) issued by its organization's CA; the role is the certificate's OU. */
export const registerIdentity = (
  client: ChainClient,
  p: GovernanceSendParameters & { certificate: Uint8Array },
) =>
  send(client, p, 'register', Register, (q) => ({
    certificate: bytesArgument(q.certificate, 'certificate'),
  }));

/** Adds a serial (hex) to the sender's organization's on-chain CRL (the sender must be its admin). */
export const revokeCertificate = (
  client: ChainClient,
  p: GovernanceSendParameters & { org: string; serial: string },
) => send(client, p, 'revoke', Revoke, (q) => ({ org: q.org, serial: serialBytes(q.serial) }));

export const submitProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { title: string; action: GovernanceAction },
) => send(client, p, 'propose', Propose, (q) => ({ title: q.title, action: q.action }));

export const voteOnProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { id: bigint | number | string; approve: boolean },
) => send(client, p, 'vote', Vote, (q) => ({ id: proposalId(q.id), approve: q.approve }));

export const vetoProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { id: bigint | number | string; reason: string },
) => send(client, p, 'veto', Veto, (q) => ({ id: proposalId(q.id), reason: q.reason }));

/** Executes a proposal whose time-lock ended, or records the expiry of one whose vote closed. */
export const finalizeProposal = (
  client: ChainClient,
  p: GovernanceSendParameters & { id: bigint | number | string },
) => send(client, p, 'finalize', Finalize, (q) => ({ id: proposalId(q.id) }));

export async function getProposal(client: ChainClient, id: bigint | number | string): Promise<ProposalJson> {
  return (await queryTyped(client, ProposalQuery, { id: String(proposalId(id)) })).result;
}

/** The newest proposals first (at most `limit`, default 50). */
export async function listProposals(client: ChainClient, limit = 50): Promise<ProposalJson[]> {
  if (heightArgument(limit, 'limit') === 0) throw invalidArgument('limit must be from 1', 'limit');
  return (await queryTyped(client, ProposalsQuery, { limit })).result;
}

/**
 * A proposal's status as of `height`: one whose vote closed unapproved reads as expired even
 * before anyone finalizes it.
 */
export function proposalStatusAt(p: ProposalJson, height: number | bigint): ProposalJson['status'] {
  objectArgument(p, 'proposal');
  if (typeof height !== 'bigint') heightArgument(height);
  return p.status === 'voting' && BigInt(height) > BigInt(p.votingEnds) ? 'expired' : p.status;
}
