import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as vc from '@digitalbazaar/vc';
import { objectArgument } from '@pujiang/module-kit';
import { isPujiangError } from '@pujiang/types';
import jsonld from 'jsonld';
import { CRYPTOSUITES, SUITE_FOR_ALGORITHM } from './cryptosuites.js';
import { checkCredentialDataModel, idOf, type JsonObject } from './data-model.js';
import { CredentialError, dataModelError } from './errors.js';
import type { DocumentLoader } from './loader.js';
import { type IssuerKey, issuerDidOf, signerFor } from './signers.js';

/** The largest credential or presentation (UTF-8 JSON) this platform canonicalizes. */
export const MAX_CREDENTIAL_BYTES = 256 * 1024;
/** The deepest nesting of objects and arrays it accepts. */
export const MAX_NESTING = 32;

/** Refuses documents too large or too deeply nested to canonicalize within bounds (`VC_TOO_LARGE`). */
export function checkSize(document: unknown): void {
  const text = JSON.stringify(document) ?? '';
  if (new TextEncoder().encode(text).length > MAX_CREDENTIAL_BYTES)
    throw new CredentialError('VC_TOO_LARGE', 'size', `larger than ${MAX_CREDENTIAL_BYTES} bytes`);
  // Depth without recursion or spreading (a huge array must not overflow the stack).
  const pending: [unknown, number][] = [[document, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_NESTING)
      throw new CredentialError('VC_TOO_LARGE', 'size', `nested deeper than ${MAX_NESTING}`);
    for (const child of Object.values(value))
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
}

/**
 * Expands a document with the bundled contexts only, in safe mode: an unknown context, a
 * protected term redefined or a term that maps to nothing is refused, naming `context`.
 */
export async function checkJsonLd(document: unknown, loader: DocumentLoader): Promise<void> {
  try {
    await jsonld.expand(document, { documentLoader: loader, safe: true });
  } catch (error) {
    if (isPujiangError(error)) throw error;
    const cause = (error as { details?: { cause?: unknown } }).details?.cause;
    if (isPujiangError(cause)) throw cause;
    throw dataModelError('context', `JSON-LD: ${(error as Error).message}`, {
      jsonld: String((error as { name?: string }).name ?? ''),
    });
  }
}

export interface IssueCredentialParameters {
  credential: JsonObject;
  key: IssuerKey;
  loader: DocumentLoader;
  /** The proof's `created` (default: now). Verification does not trust it for did:pujiang issuers: see the anchor. */
  created?: Date;
}

/**
 * Signs a credential with a Data Integrity proof in the key's cryptosuite, after checking
 * every data-model MUST and that the issuer is the key's DID. The credential is not changed.
 */
export async function issueCredential(p: IssueCredentialParameters): Promise<JsonObject> {
  objectArgument(objectArgument(p, 'parameters').key, 'key');
  checkSize(p.credential);
  checkCredentialDataModel(p.credential);
  if (idOf(p.credential.issuer) !== issuerDidOf(p.key))
    throw dataModelError('issuer', `the issuer must be the signing key's DID, ${issuerDidOf(p.key)}`);
  if ('proof' in p.credential) throw dataModelError('proof', 'the credential already has a proof');
  await checkJsonLd(p.credential, p.loader);
  const suite = new DataIntegrityProof({
    signer: signerFor(p.key),
    cryptosuite: CRYPTOSUITES[SUITE_FOR_ALGORITHM[p.key.algorithm]!],
    ...(p.created ? { date: p.created.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
  });
  try {
    return await vc.issue({ credential: structuredClone(p.credential), suite, documentLoader: p.loader });
  } catch (error) {
    if (isPujiangError(error)) throw error;
    throw new CredentialError('VC_PROOF', 'proof', `signing failed: ${(error as Error).message}`);
  }
}
