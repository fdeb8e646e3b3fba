import { type ChainClient, queryTyped, type SendTransactionReturnType, sdkError } from '@pujiang/module-kit';
import { hexToBytes, invalidArgument } from '@pujiang/types';
import type { Static } from '@sinclair/typebox';
import { hexArgument, idArgument, naturalArgument, recordArgument, textArgument } from '../arguments.js';
import { partialContext, requestContext } from '../contexts.js';
import { decodeCiphertext, discreteLog } from '../crypto/elgamal.js';
import { decodePoint, encodePoint, G, invert, randomScalar, times } from '../crypto/group.js';
import { proveEqualLogs, proveKnowledge } from '../crypto/proofs.js';
import { type DecryptionTarget, PartialDecrypt, PublishDecryption, RequestDecryption } from '../formats.js';
import { CommitteeQuery, RequestQuery, type RequestSchema, RoundQuery } from '../schemas.js';
import { type PrivacySendParameters, sendPrivacy, signerOf } from './common.js';
import { type MemberState, parseMemberState, scalarHex, scalarOf } from './member.js';

/**
 * Threshold decryption from an application: a requester asks (keeping the blind, which
 * only it knows), members answer with proven partial decryptions, and the requester
 * unblinds the combination, finds the plaintext, and may publish it with its proof.
 */
export type RequestJson = Static<typeof RequestSchema>;

export async function getDecryptionRequest(client: ChainClient, id: string): Promise<RequestJson | null> {
  idArgument(id, 'id');
  return (await queryTyped(client, RequestQuery, { id })).result.request;
}

/**
 * Asks the committee to decrypt a committee round's total or a flagged ciphertext (hex,
 * c1 || c2). Returns the blind (hex): keep it, it is what turns the answer into the plaintext.
 */
export async function requestDecryption(
  client: ChainClient,
  p: PrivacySendParameters & {
    id: string;
    round?: string;
    record?: string;
    reason: string;
    ciphertext?: string;
  },
): Promise<{ readonly result: SendTransactionReturnType; readonly blind: string }> {
  recordArgument(p, 'parameters');
  idArgument(p.id, 'id');
  textArgument(p.reason, 'reason', 256);
  if (p.round !== undefined) idArgument(p.round, 'round');
  if (p.record !== undefined) hexArgument(p.record, 'record', 64);
  if ((p.round === undefined) === (p.record === undefined))
    throw sdkError('SDK_INVALID_ARGUMENT', 'name a round or a record', { parameter: 'round' });
  const { chainId, address } = await signerOf(client, p.key);
  let ciphertext: string;
  let target: DecryptionTarget;
  if (p.round !== undefined) {
    const { round } = (await queryTyped(client, RoundQuery, { id: p.round })).result;
    if (!round)
      throw sdkError('SDK_INVALID_ARGUMENT', `there is no round ${p.round}`, { parameter: 'round' });
    ciphertext = round.total;
    target = { type: 'round', value: p.round };
  } else {
    ciphertext = p.record as string;
    target = { type: 'record', value: hexToBytes(ciphertext) };
  }
  const ct = decodeCiphertext(hexToBytes(ciphertext), 'ciphertext');
  const blind = randomScalar();
  const blinded = times(ct.c1, blind);
  const proof = proveKnowledge(ct.c1, blind, requestContext(chainId, p.id, address));
  const message = { id: p.id, target, reason: p.reason, blinded: encodePoint(blinded), proof };
  const result = await sendPrivacy(client, p, 'requestDecryption', RequestDecryption, message, 1_000_000);
  return { result, blind: scalarHex(blind) };
}

/** A member's partial decryption of a request, with its proof, from its share of the request's epoch. */
export async function submitPartialDecryption(
  client: ChainClient,
  p: PrivacySendParameters & { request: string; member: MemberState },
): Promise<SendTransactionReturnType> {
  recordArgument(p, 'parameters');
  idArgument(p.request, 'request');
  parseMemberState(p.member);
  const { chainId, address } = await signerOf(client, p.key);
  const request = await getDecryptionRequest(client, p.request);
  if (!request)
    throw sdkError('SDK_INVALID_ARGUMENT', `there is no request ${p.request}`, { parameter: 'request' });
  // The committee in force answers (a request made before a resharing starts over with it).
  const epoch = (await queryTyped(client, CommitteeQuery, {})).result.current;
  const index = (epoch?.members.indexOf(address) ?? -1) + 1;
  const share = epoch ? p.member.shares[String(epoch.number)] : undefined;
  if (!epoch || index === 0 || !share)
    throw sdkError('SDK_INVALID_ARGUMENT', `no share of the committee in force for ${address}`, {
      parameter: 'member',
    });
  const secret = scalarOf(share, 'share');
  const base = decodePoint(hexToBytes(request.blinded), 'blinded');
  const message = {
    request: p.request,
    share: encodePoint(times(base, secret)),
    proof: proveEqualLogs(G, base, secret, partialContext(chainId, p.request, index)),
  };
  return sendPrivacy(
    client,
    p,
    'partialDecrypt',
    PartialDecrypt,
    message,
    1_000_000 + 200_000 * epoch.threshold,
  );
}

/**
 * The plaintext of a request whose partials are in: v with v·G = c2 - blind⁻¹·combined,
 * searched up to `maxValue` (default 2^40). With `publish`, sends it with the blind as proof.
 */
export async function finishDecryption(
  client: ChainClient,
  p: Partial<PrivacySendParameters> & {
    request: string;
    blind: string;
    maxValue?: bigint;
    publish?: boolean;
  },
): Promise<{ readonly value: bigint; readonly result?: SendTransactionReturnType }> {
  recordArgument(p, 'parameters');
  idArgument(p.request, 'request');
  hexArgument(p.blind, 'blind', 32);
  if (p.maxValue !== undefined && naturalArgument(p.maxValue, 'maxValue') > 2n ** 48n)
    throw invalidArgument('maxValue is at most 2^48', 'maxValue');
  const request = await getDecryptionRequest(client, p.request);
  if (!request?.combined)
    throw sdkError('SDK_INVALID_ARGUMENT', `request ${p.request} does not have its partials yet`, {
      parameter: 'request',
    });
  const blind = scalarOf(p.blind, 'blind');
  const ct = decodeCiphertext(hexToBytes(request.ciphertext));
  const combined = decodePoint(hexToBytes(request.combined), 'combined');
  const value = discreteLog(ct.c2.subtract(times(combined, invert(blind))), p.maxValue ?? 2n ** 40n);
  if (!p.publish) return { value };
  if (!p.key)
    throw sdkError('SDK_INVALID_ARGUMENT', 'publishing needs the requester key', { parameter: 'key' });
  const message = { request: p.request, value, blind: hexToBytes(p.blind) };
  const result = await sendPrivacy(
    client,
    p as PrivacySendParameters,
    'publishDecryption',
    PublishDecryption,
    message,
    800_000,
  );
  return { value, result };
}
