import {
  type ChainClient,
  listArgument,
  queryTyped,
  type SendTransactionReturnType,
  sdkError,
} from '@pujiang/module-kit';
import { hexToBytes, invalidArgument } from '@pujiang/types';
import type { Static } from '@sinclair/typebox';
import { idArgument, intArgument, naturalArgument, recordArgument, textArgument } from '../arguments.js';
import { submissionContext } from '../contexts.js';
import { encodeCiphertext, encryptToKey } from '../crypto/elgamal.js';
import { decodePoint } from '../crypto/group.js';
import { CloseRound, OpenRound, type Scheme, Submit } from '../formats.js';
import { KeyQuery, RoundQuery, type RoundSchema } from '../schemas.js';
import { type PrivacySendParameters, sendPrivacy, signerOf } from './common.js';
import { encryptPaillier } from './paillier.js';

/** Aggregation rounds from an application: open, submit encrypted values, close, read. */
export type RoundJson = Static<typeof RoundSchema>;

export function openRound(
  client: ChainClient,
  p: PrivacySendParameters & {
    id: string;
    scheme: Scheme;
    /** Paillier: the registered key's id. */
    keyId?: string;
    /** Addresses (hex) that may submit. */
    submitters?: readonly string[];
    /** Organizations whose valid identities may submit. */
    orgs?: readonly string[];
    maxPerSubmitter?: number;
    closesAt: number | bigint;
    label?: string;
  },
): Promise<SendTransactionReturnType> {
  recordArgument(p, 'parameters');
  idArgument(p.id, 'id');
  if (p.scheme !== 'paillier' && p.scheme !== 'committee')
    throw invalidArgument('scheme is paillier or committee', 'scheme');
  if (p.keyId !== undefined) idArgument(p.keyId, 'keyId');
  intArgument(
    typeof p.closesAt === 'bigint' ? Number(p.closesAt) : p.closesAt,
    'closesAt',
    1,
    Number.MAX_SAFE_INTEGER,
  );
  if (p.maxPerSubmitter !== undefined) intArgument(p.maxPerSubmitter, 'maxPerSubmitter', 1, 0xffff_ffff);
  if (p.label !== undefined) textArgument(p.label, 'label', 128);
  for (const [i, org] of listArgument(p.orgs ?? [], 'orgs').entries()) textArgument(org, `orgs[${i}]`, 64);
  const submitters = listArgument(p.submitters ?? [], 'submitters').map((a, i) => {
    if (typeof a !== 'string' || !/^[0-9a-f]{42}$/.test(a))
      throw sdkError('SDK_INVALID_ARGUMENT', `submitters[${i}] is not an address`, {
        parameter: `submitters[${i}]`,
      });
    return hexToBytes(a);
  });
  const message = {
    id: p.id,
    scheme: p.scheme,
    key: p.keyId ?? '',
    submitters,
    orgs: [...(p.orgs ?? [])],
    maxPerSubmitter: p.maxPerSubmitter ?? 1,
    closesAt: BigInt(p.closesAt),
    label: p.label ?? '',
  };
  return sendPrivacy(client, p, 'openRound', OpenRound, message, 200_000 + 2_000 * submitters.length);
}

export async function getRound(client: ChainClient, id: string): Promise<RoundJson | null> {
  idArgument(id, 'id');
  return (await queryTyped(client, RoundQuery, { id })).result.round;
}

/**
 * Encrypts `value` for a round (to its Paillier key, or to the committee's key with the
 * proof of the randomness bound to this chain, round and sender) and submits it. The value
 * never leaves this process in the clear.
 */
export async function submitToRound(
  client: ChainClient,
  p: PrivacySendParameters & { round: string; value: bigint },
): Promise<SendTransactionReturnType> {
  recordArgument(p, 'parameters');
  naturalArgument(p.value, 'value');
  const round = await getRound(client, idArgument(p.round, 'round'));
  if (!round) throw sdkError('SDK_INVALID_ARGUMENT', `there is no round ${p.round}`, { parameter: 'round' });
  const message = await encryptForRound(client, p, round);
  return sendPrivacy(client, p, 'submit', Submit, message, round.scheme === 'paillier' ? 400_000 : 600_000);
}

/** The `submit` message for a value, without sending it (batches, benchmarks). */
export async function encryptForRound(
  client: ChainClient,
  p: PrivacySendParameters & { round: string; value: bigint },
  round: RoundJson,
): Promise<Submit> {
  recordArgument(p, 'parameters');
  idArgument(p.round, 'round');
  naturalArgument(p.value, 'value');
  recordArgument(round, 'round');
  if (round.scheme === 'paillier') {
    const key = (await queryTyped(client, KeyQuery, { id: round.key })).result.key;
    if (!key)
      throw sdkError('SDK_INVALID_ARGUMENT', `round ${p.round} names no registered key`, {
        parameter: 'round',
      });
    return { round: p.round, ciphertext: encryptPaillier(key.modulus, p.value), proof: new Uint8Array(0) };
  }
  const { chainId, address } = await signerOf(client, p.key);
  const publicKey = decodePoint(hexToBytes(round.publicKey), 'publicKey');
  const { ciphertext, proof } = encryptToKey(
    publicKey,
    p.value,
    submissionContext(chainId, p.round, address),
  );
  return { round: p.round, ciphertext: encodeCiphertext(ciphertext), proof };
}

export function closeRound(
  client: ChainClient,
  p: PrivacySendParameters & { round: string },
): Promise<SendTransactionReturnType> {
  idArgument(recordArgument<{ round: unknown }>(p, 'parameters').round, 'round');
  return sendPrivacy(client, p, 'closeRound', CloseRound, { round: p.round }, 100_000);
}
