import { fromJwk, fromMultibase, resolveDid } from '@pujiang/module-did/client';
import { type ChainClient, sdkError } from '@pujiang/module-kit';

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

/** A did:pujiang DID's key-agreement key, from the node's answer; `SDK_INVALID_ARGUMENT` when it has none. */
export async function agreementKeyOf(
  client: ChainClient,
  did: string,
  parameter: string,
): Promise<Uint8Array> {
  const state = await resolveDid(client, did);
  const key = state && !state.deactivated ? agreementKeyOfDocument(state.document) : undefined;
  if (!key)
    throw sdkError('SDK_INVALID_ARGUMENT', `${did} names no X25519 key-agreement key to seal to`, {
      parameter,
      did,
    });
  return key;
}
