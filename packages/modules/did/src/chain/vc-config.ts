import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KeyPair } from '@pujiang/crypto';
import { keyPairFromHex } from '@pujiang/module-kit/keys';
import { PujiangError } from '@pujiang/types';
import type { IssuerKey } from '../credentials/signers.js';
import { splitDidUrl } from '../did-syntax.js';

/**
 * This node's VC-API settings (`modules.did` of config.json). Issuer keys are read from key
 * files here and never leave the process; bearer tokens are stored as SHA-256 digests.
 *
 * ```json
 * "modules": { "did": {
 *   "issuers": [{ "verificationMethod": "did:pujiang:...#key-1", "keyFile": "keys/issuer.json", "tokens": [...] }],
 *   "tokens": ["<sha256 hex of a bearer token>"],
 *   "unauthenticatedOnLoopback": false,
 *   "publicUrl": "https://customs.example"
 * } }
 * ```
 * An issuer's own `tokens` (digests) are the only ones that may issue with its key; an issuer
 * without them accepts the node-wide `tokens`. A key file is a chain key (`pujiang keys generate`, ed25519 or sm2), which both signs
 * credentials and anchors their proofs; a P-256 key (`{"algorithm": "P-256", "secretKey": hex}`)
 * needs `anchorKeyFile`, a chain key that anchors for it.
 */
export interface VcNodeConfig {
  /** By issuer DID. */
  readonly issuers: ReadonlyMap<
    string,
    { readonly key: IssuerKey; readonly anchor: KeyPair; readonly tokenDigests?: ReadonlySet<string> }
  >;
  readonly tokenDigests: ReadonlySet<string>;
  readonly unauthenticatedOnLoopback: boolean;
  /** The public https base URL status lists are served under (their credentials' ids); unset: not served. */
  readonly publicUrl?: string;
}

const invalid = (message: string, field: string) =>
  new PujiangError('CONFIG_INVALID', `config: modules.did.${field}: ${message}`, {
    field: `modules.did.${field}`,
  });

function readJsonFile(path: string, field: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw invalid(`cannot read ${path}: ${(error as Error).message}`, field);
  }
}

function chainKey(path: string, field: string): KeyPair {
  const file = readJsonFile(path, field);
  try {
    return keyPairFromHex(String(file.suite), String(file.secretKey));
  } catch (error) {
    throw invalid(`${path} is not a key file: ${(error as Error).message}`, field);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads the section; anything malformed stops the node (`CONFIG_INVALID`, naming the field). */
export function parseVcNodeConfig(section: unknown, node: { home: string }): VcNodeConfig {
  const s = (section ?? {}) as Record<string, unknown>;
  if (typeof s !== 'object' || Array.isArray(s)) throw invalid('must be an object', '');
  const issuers = new Map<string, { key: IssuerKey; anchor: KeyPair; tokenDigests?: ReadonlySet<string> }>();
  const list = s.issuers ?? [];
  if (!Array.isArray(list) || list.length > 64) throw invalid('must list up to 64 issuers', 'issuers');
  list.forEach((entry: Record<string, unknown>, i) => {
    const field = `issuers[${i}]`;
    const method = entry?.verificationMethod;
    if (typeof method !== 'string' || !splitDidUrl(method).fragment)
      throw invalid('verificationMethod must be a DID URL with a fragment', `${field}.verificationMethod`);
    if (typeof entry.keyFile !== 'string') throw invalid('keyFile is required', `${field}.keyFile`);
    const keyPath = resolve(node.home, entry.keyFile);
    const file = readJsonFile(keyPath, `${field}.keyFile`);
    let key: IssuerKey;
    let anchor: KeyPair;
    if (file.algorithm === 'P-256') {
      if (typeof file.secretKey !== 'string' || !/^[0-9a-f]{64}$/.test(file.secretKey))
        throw invalid('a P-256 key file holds a 32-byte secretKey in hex', `${field}.keyFile`);
      if (typeof entry.anchorKeyFile !== 'string')
        throw invalid('a P-256 issuer needs anchorKeyFile (a chain key)', `${field}.anchorKeyFile`);
      key = { verificationMethod: method, algorithm: 'P-256', secretKey: Buffer.from(file.secretKey, 'hex') };
      anchor = chainKey(resolve(node.home, entry.anchorKeyFile), `${field}.anchorKeyFile`);
    } else {
      const pair = chainKey(keyPath, `${field}.keyFile`);
      if (pair.suite !== 'ed25519' && pair.suite !== 'sm2')
        throw invalid('an issuer key is ed25519, sm2 or P-256', `${field}.keyFile`);
      key = {
        verificationMethod: method,
        algorithm: pair.suite === 'sm2' ? 'SM2' : 'Ed25519',
        secretKey: pair.secretKey.bytes,
      };
      anchor =
        typeof entry.anchorKeyFile === 'string'
          ? chainKey(resolve(node.home, entry.anchorKeyFile), `${field}.anchorKeyFile`)
          : pair;
    }
    const own = entry.tokens;
    if (
      own !== undefined &&
      (!Array.isArray(own) || !own.every((t) => typeof t === 'string' && /^[0-9a-f]{64}$/.test(t)))
    )
      throw invalid('must list SHA-256 digests (hex) of bearer tokens', `${field}.tokens`);
    issuers.set(splitDidUrl(method).did, {
      key,
      anchor,
      ...(own ? { tokenDigests: new Set(own as string[]) } : {}),
    });
  });
  const tokens = s.tokens ?? [];
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string' && /^[0-9a-f]{64}$/.test(t)))
    throw invalid('must list SHA-256 digests (hex) of bearer tokens', 'tokens');
  const unauthenticated = s.unauthenticatedOnLoopback ?? false;
  if (typeof unauthenticated !== 'boolean')
    throw invalid('must be true or false', 'unauthenticatedOnLoopback');
  const publicUrl = s.publicUrl;
  if (
    publicUrl !== undefined &&
    (typeof publicUrl !== 'string' || !/^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[^\s?#]*)?$/.test(publicUrl))
  )
    throw invalid('must be an https base URL', 'publicUrl');
  return {
    issuers,
    tokenDigests: new Set(tokens as string[]),
    unauthenticatedOnLoopback: unauthenticated,
    ...(typeof publicUrl === 'string' ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
  };
}
