import { deriveAddress, hash, type KeyPair, randomBytes, sign } from '@pujiang/crypto';
import { SIGNED_REQUEST } from '@pujiang/protocol';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { httpbis } from 'http-message-signatures';
import { keyPairArgument, objectArgument } from './arguments.js';

/**
 * Signs API requests as a member (HTTP Message Signatures, RFC 9421, as `SIGNED_REQUEST`
 * says): the method, path and query, and the body's `Content-Digest` (RFC 9530) when there
 * is one, with `created`, a fresh `nonce`, `keyid` = the member's address and `alg` = its
 * suite. A members-only node serves reads only to such requests.
 */
export interface RequestSigner {
  readonly key: KeyPair;
  /** The member's address on the node's chain (its hash decides it). */
  address(): Promise<string>;
}

export function requestSigner(key: KeyPair, chainHash: () => Promise<'sm3' | 'sha256'>): RequestSigner {
  keyPairArgument(key, 'key');
  if (typeof chainHash !== 'function')
    throw invalidArgument('chainHash is a function answering the chain hash', 'chainHash');
  let address: Promise<string> | undefined;
  return {
    key,
    address: () => {
      address ??= chainHash().then((h) => bytesToHex(deriveAddress(h, key.publicKey)));
      return address;
    },
  };
}

/** The headers that sign a request: `Signature-Input`, `Signature`, and `Content-Digest` with a body. */
export async function signatureHeaders(
  signer: RequestSigner,
  method: string,
  url: string,
  body: string | undefined,
  /** For tests of what a node refuses: another creation time or a chosen nonce. */
  override: { readonly created?: Date; readonly nonce?: string } = {},
): Promise<Record<string, string>> {
  const s = objectArgument(signer, 'signer');
  if (typeof s.address !== 'function')
    throw invalidArgument('signer is what requestSigner returns', 'signer');
  keyPairArgument(s.key, 'signer');
  if (typeof method !== 'string' || !/^[A-Z]{3,7}$/.test(method))
    throw invalidArgument('method is an HTTP method', 'method');
  if (typeof url !== 'string' || !URL.canParse(url)) throw invalidArgument('url is an absolute URL', 'url');
  if (body !== undefined && typeof body !== 'string')
    throw invalidArgument('body is the text sent, or undefined', 'body');
  const headers: Record<string, string> = {};
  const fields: string[] = [...SIGNED_REQUEST.components];
  if (body !== undefined) {
    const digest = hash('sha256', new TextEncoder().encode(body));
    headers['content-digest'] = `sha-256=:${Buffer.from(digest).toString('base64')}:`;
    fields.push(SIGNED_REQUEST.bodyComponent);
  }
  const keyid = await signer.address();
  const signed = await httpbis.signMessage(
    {
      name: SIGNED_REQUEST.label,
      fields,
      params: [...SIGNED_REQUEST.params],
      paramValues: {
        nonce: override.nonce ?? bytesToHex(randomBytes(16)),
        keyid,
        alg: signer.key.suite,
        ...(override.created ? { created: override.created } : {}),
      },
      key: {
        id: keyid,
        alg: signer.key.suite,
        sign: async (data) => Buffer.from(sign(signer.key.secretKey, data).bytes),
      },
    },
    { method, url, headers },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers))
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
