import type { KeyPair } from '@pujiang/crypto';
import { addressHex } from '@pujiang/node';
import {
  createDid,
  didKeyOfChainKey,
  type Genesis,
  type PujiangClient,
  registerIdentity,
  resolveDid,
  singleKeyDocument,
} from '@pujiang/sdk';
import { bytesToHex } from '@pujiang/types';
import { writeNew } from '../cert-request.js';
import { stepError } from './errors.js';
import { enterpriseFiles } from './files.js';

/** The enterprise's identity on chain: its address, its registration and its DID. */

/** The address the key has on this chain. */
export const addressOn = (genesis: Pick<Genesis, 'chainHash'>, key: KeyPair) =>
  addressHex(genesis.chainHash, key);

/** Whether `address` is registered on chain for this very key (an earlier run registered it). */
export async function registeredFor(client: PujiangClient, address: string, key: KeyPair): Promise<boolean> {
  const { result } = await client.query('governance', 'identity', { address });
  const identity = result as { registered?: boolean; suite?: string; publicKey?: string };
  return (
    identity.registered === true &&
    identity.suite === key.suite &&
    identity.publicKey === bytesToHex(key.publicKey.bytes)
  );
}

/** `pujiang register`'s call: the certificate on chain, signed with the key it certifies. */
export async function register(client: PujiangClient, key: KeyPair, certificate: Uint8Array) {
  const sent = committed(
    await registerIdentity(client, { key, certificate, wait: true }),
    'the registration',
  );
  return { hash: sent.hash, height: sent.result.height };
}

/** The enterprise's DID, controlled by its key: also the first transaction it sends as a member. */
export async function makeDid(dir: string, client: PujiangClient, key: KeyPair) {
  const created = committed(
    await createDid(client, {
      key,
      wait: true,
      document: singleKeyDocument(didKeyOfChainKey(key.publicKey)!),
    }),
    'the DID',
  );
  const state = await resolveDid(client, created.did);
  writeNew(
    enterpriseFiles(dir).did,
    `${JSON.stringify(state?.document ?? { id: created.did }, null, 2)}\n`,
    'out',
  );
  return { did: created.did, hash: created.hash, height: created.result.height };
}

/** A transaction sent with `wait` that is still pending is no success: the step says so. */
export function committed<T extends { hash: string; result: { status: string; height?: number } }>(
  sent: T,
  what: string,
): T {
  if (sent.result.status !== 'committed')
    throw stepError('ONBOARD_NOT_COMMITTED', `${what} ${sent.hash} is ${sent.result.status}, not committed`, {
      hash: sent.hash,
      status: sent.result.status,
    });
  return sent;
}
