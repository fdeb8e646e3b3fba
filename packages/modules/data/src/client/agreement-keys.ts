import {
  type DidSendParameters,
  fromJwk,
  fromMultibase,
  partsFromDocument,
  resolveDid,
  updateDid,
} from '@pujiang/module-did/client';
import {
  type ChainClient,
  objectArgument,
  type SendTransactionReturnType,
  sdkError,
  stringArgument,
} from '@pujiang/module-kit';
import { invalidArgument } from '@pujiang/types';

/**
 * The X25519 key a DID names for key agreement (its first `keyAgreement` method), as its
 * document on the chain says; undefined when it names none. Requests are sealed to these keys.
 */
export function agreementKeyOfDocument(document: {
  readonly keyAgreement?: readonly string[];
  readonly verificationMethod?: readonly {
    readonly id: string;
    readonly publicKeyMultibase?: string;
    readonly publicKeyJwk?: unknown;
  }[];
}): Uint8Array | undefined {
  objectArgument(document, 'document');
  for (const ref of document.keyAgreement ?? []) {
    const method = (document.verificationMethod ?? []).find((m) => m.id === ref);
    if (!method) continue;
    const key = method.publicKeyMultibase
      ? fromMultibase(method.publicKeyMultibase)
      : method.publicKeyJwk
        ? fromJwk(method.publicKeyJwk)
        : undefined;
    if (key?.algorithm === 'X25519') return key.bytes;
  }
  return undefined;
}

/**
 * A did:pujiang DID's key-agreement key from the node's answer, if it names one: now, or as
 * the DID stood after block `atHeight` (what a request made then was sealed to).
 */
export async function agreementKeyIfAny(
  client: ChainClient,
  did: string,
  atHeight?: bigint,
): Promise<Uint8Array | undefined> {
  if (atHeight === undefined) {
    const state = await resolveDid(client, did);
    return state && !state.deactivated ? agreementKeyOfDocument(state.document) : undefined;
  }
  const { result } = await client.query('did', 'resolve', { did, atHeight: String(atHeight) });
  const state = (
    result as {
      state: { deactivated: boolean; document: Parameters<typeof agreementKeyOfDocument>[0] } | null;
    }
  ).state;
  return state && !state.deactivated ? agreementKeyOfDocument(state.document) : undefined;
}

/** A did:pujiang DID's key-agreement key, from the node's answer; `SDK_INVALID_ARGUMENT` when it has none. */
export async function agreementKeyOf(
  client: ChainClient,
  did: string,
  parameter: string,
  atHeight?: bigint,
): Promise<Uint8Array> {
  const key = await agreementKeyIfAny(client, did, atHeight);
  if (!key)
    throw sdkError('SDK_INVALID_ARGUMENT', `${did} names no X25519 key-agreement key to seal to`, {
      parameter,
      did,
    });
  return key;
}

/**
 * Adds an X25519 key to a DID as its key-agreement method (`did/update`), so requests and
 * deliveries can be sealed to it; the key must act for the DID. Returns the method's id.
 */
export async function addAgreementKey(
  client: ChainClient,
  p: DidSendParameters & { did: string; publicKey: Uint8Array; fragment?: string },
): Promise<SendTransactionReturnType & { method: string }> {
  objectArgument(p, 'parameters');
  if (!(p.publicKey instanceof Uint8Array) || p.publicKey.length !== 32)
    throw invalidArgument('publicKey is a 32-byte X25519 key', 'publicKey');
  const fragment = p.fragment ?? 'x25519-1';
  const state = await resolveDid(client, stringArgument(p.did, 'did'));
  if (!state || state.deactivated) throw invalidArgument(`${p.did} does not exist or is deactivated`, 'did');
  const parts = partsFromDocument(state.document, p.did);
  const methods = [
    ...parts.methods.filter((m) => m.fragment !== fragment),
    { fragment, type: 'Multikey' as const, controller: '', algorithm: 'X25519' as const, key: p.publicKey },
  ];
  const document = {
    ...parts,
    methods,
    keyAgreement: [fragment, ...parts.keyAgreement.filter((f) => f !== fragment)],
  };
  const sent = await updateDid(client, { ...p, did: p.did, document, version: state.versionId });
  return { ...sent, method: `${p.did}#${fragment}` };
}
