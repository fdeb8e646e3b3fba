import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { base58, base64, base64urlnopad } from '@scure/base';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonObject } from './data-model.js';
import { CredentialError } from './errors.js';

/**
 * Checks of what a credential links to, run when the verifier can fetch it: each
 * `credentialSchema` of type JsonSchema (W3C VC JSON Schema) validates the credential, and
 * each `relatedResource` has the digest the credential states. Fetching is the caller's:
 * nothing is fetched otherwise.
 */
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const MAX_SCHEMA_BYTES = 64 * 1024;

export async function checkCredentialSchemas(
  credential: JsonObject,
  fetchJson: (url: string) => Promise<unknown>,
): Promise<void> {
  const { proof: _proof, ...unsecured } = credential;
  for (const entry of asList(credential.credentialSchema) as JsonObject[]) {
    if (entry.type !== 'JsonSchema')
      throw new CredentialError(
        'VC_SCHEMA',
        'credentialSchema',
        `schema type ${String(entry.type)} is not supported (JsonSchema is)`,
      );
    let schema: unknown;
    try {
      schema = await fetchJson(String(entry.id));
    } catch (error) {
      throw new CredentialError(
        'VC_SCHEMA',
        'credentialSchema',
        `cannot retrieve ${String(entry.id)}: ${(error as Error).message}`,
      );
    }
    if (typeof schema !== 'object' || schema === null || JSON.stringify(schema).length > MAX_SCHEMA_BYTES)
      throw new CredentialError(
        'VC_SCHEMA',
        'credentialSchema',
        `${String(entry.id)} is not a JSON Schema of at most 64 KiB`,
      );
    let valid: boolean;
    let problem = '';
    try {
      const validate = new Ajv2020({ strict: false, allErrors: false }).compile(schema as object);
      valid = validate(unsecured) as boolean;
      const first = validate.errors?.[0];
      if (first) problem = `${first.instancePath || '/'} ${first.message ?? ''}`;
    } catch (error) {
      throw new CredentialError(
        'VC_SCHEMA',
        'credentialSchema',
        `${String(entry.id)} is not a valid schema: ${(error as Error).message}`,
      );
    }
    if (!valid)
      throw new CredentialError(
        'VC_SCHEMA',
        'credentialSchema',
        `the credential does not match ${String(entry.id)}: ${problem}`,
        {
          schema: String(entry.id),
        },
      );
  }
}

/** The digest of `bytes` a `digestSRI` (sha256-/sha384-/sha512-, base64) or `digestMultibase` (multihash) names. */
function digestMatches(entry: JsonObject, bytes: Uint8Array): boolean {
  if (typeof entry.digestSRI === 'string') {
    const [alg, value] = entry.digestSRI.split(/-(.*)/s) as [string, string];
    const hash =
      alg === 'sha256' ? sha256 : alg === 'sha384' ? sha384 : alg === 'sha512' ? sha512 : undefined;
    if (!hash || base64.encode(hash(bytes)) !== value) return false;
  }
  if (typeof entry.digestMultibase === 'string') {
    const text = entry.digestMultibase;
    let multihash: Uint8Array;
    try {
      multihash = text.startsWith('z')
        ? base58.decode(text.slice(1))
        : text.startsWith('u')
          ? base64urlnopad.decode(text.slice(1))
          : new Uint8Array();
    } catch {
      return false;
    }
    // sha2-256 (0x12) and sha2-512 (0x13) multihashes: code, length, digest.
    const hash = multihash[0] === 0x12 ? sha256 : multihash[0] === 0x13 ? sha512 : undefined;
    if (!hash) return false;
    const digest = hash(bytes);
    if (multihash[1] !== digest.length || multihash.length !== digest.length + 2) return false;
    if (!digest.every((b, i) => multihash[i + 2] === b)) return false;
  }
  return true;
}

export async function checkRelatedResources(
  credential: JsonObject,
  fetchBytes: (url: string) => Promise<Uint8Array>,
): Promise<void> {
  for (const entry of asList(credential.relatedResource) as JsonObject[]) {
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(String(entry.id));
    } catch (error) {
      throw new CredentialError(
        'VC_RELATED_RESOURCE',
        'relatedResource',
        `cannot retrieve ${String(entry.id)}: ${(error as Error).message}`,
      );
    }
    if (!digestMatches(entry, bytes))
      throw new CredentialError(
        'VC_RELATED_RESOURCE',
        'relatedResource',
        `${String(entry.id)} does not have the digest the credential states`,
        {
          resource: String(entry.id),
        },
      );
  }
}
