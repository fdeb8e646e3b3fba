// `@pujiang/module-did/verify`: DID resolution checked offline against certified headers (browser-safe).
import type { ProvenQueryResponse } from '@pujiang/protocol';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { type CertifiedHeader, objectParameter, VerificationError, verifyProvenQuery } from '@pujiang/verify';
import { parsePujiangDid } from '../did-syntax.js';
import { DID_MODULE } from '../formats.js';
import { type DidState, type ResolveOptions, resolveDidState } from '../resolution.js';

/**
 * Rebuilds a DID's resolution from a proven query's reads alone: the same function the
 * chain runs, over reads each proven under a certified state root. The node's own answer
 * is not used, so it cannot lie about the document, its version or its metadata. A key the
 * rebuild needs that the node did not prove fails `missing-read`.
 */
export function didStateFromReads(
  query: { readonly reads: ReadonlyMap<string, Uint8Array | undefined> },
  did: string,
  options: ResolveOptions = {},
): DidState | undefined {
  objectParameter(query, 'query');
  if (!(query.reads instanceof Map)) throw invalidArgument('query.reads must be a Map', 'query.reads');
  if (typeof did !== 'string') throw invalidArgument('did must be a string', 'did');
  objectParameter(options, 'options');
  const parsed = parsePujiangDid(did);
  if (!parsed) throw new VerificationError('state-key', `${did} is not a did:pujiang DID`, { did });
  const read = (key: string) => {
    const stateKey = bytesToHex(moduleKey(DID_MODULE, key));
    if (!query.reads.has(stateKey))
      throw new VerificationError(
        'missing-read',
        'the answer does not prove a key the resolution depends on',
        {
          key: stateKey,
        },
      );
    return query.reads.get(stateKey);
  };
  return resolveDidState(read, did, parsed.uniqueId, options);
}

/**
 * Checks a DID Resolution result's `didResolutionMetadata.proof` (from
 * `/1.0/identifiers/{did}?proof=true`) against the certified header at its height and
 * returns the state rebuilt from the proven reads (undefined: proven not to exist).
 */
export function verifyDidResolutionProof(
  proof: Pick<ProvenQueryResponse, 'height' | 'stateRoot' | 'reads'>,
  header: CertifiedHeader,
  did: string,
  options: ResolveOptions = {},
): DidState | undefined {
  const verified = verifyProvenQuery({ ...objectParameter(proof, 'proof'), result: null }, header);
  return didStateFromReads(verified, did, options);
}

// Credentials and presentations verify in a page too: the contexts are bundled, and nothing
// is fetched but what the caller's resolver and fetcher fetch.
export { BUNDLED_CONTEXTS, contextRegistry } from '../credentials/contexts.js';
export { checkCredentialDataModel, checkPresentationDataModel } from '../credentials/data-model.js';
export { CredentialError } from '../credentials/errors.js';
export { documentLoader } from '../credentials/loader.js';
export { verifyPresentation } from '../credentials/presentations.js';
export { didKeyDocument, didResolver } from '../credentials/resolvers.js';
export { verifySdJwtVc } from '../credentials/sd-jwt.js';
export { proofDigest, verifyCredential } from '../credentials/verify.js';
