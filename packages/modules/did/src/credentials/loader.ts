import { splitDidUrl } from '../did-syntax.js';
import { CredentialError } from './errors.js';
import { type DidResolver, methodOf } from './resolvers.js';

/** A JSON-LD document loader's answer. */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/**
 * The only document loader issuance and verification use: bundled contexts, and DIDs and
 * their verification methods through `resolver` (at `atHeight` for did:pujiang, when a
 * proof is dated by its issuance anchor). Anything else is refused (`VC_UNKNOWN_CONTEXT`):
 * nothing is fetched from the network by URL.
 */
export function documentLoader(
  contexts: ReadonlyMap<string, object>,
  resolver: DidResolver,
  options: { atHeight?: bigint } = {},
): DocumentLoader {
  return async (url) => {
    const context = contexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    if (url.startsWith('did:')) {
      const { did, fragment } = splitDidUrl(url);
      const document = await resolver.resolve(
        did,
        options.atHeight === undefined ? {} : { atHeight: options.atHeight },
      );
      if (!document)
        throw new CredentialError('VC_UNRESOLVABLE', 'verificationMethod', `${did} cannot be resolved`, {
          did,
        });
      if (fragment === undefined) return { contextUrl: null, documentUrl: url, document };
      const method = methodOf(document, url);
      if (!method)
        throw new CredentialError(
          'VC_UNRESOLVABLE',
          'verificationMethod',
          `${did} has no verification method #${fragment}`,
          {
            did,
            fragment,
          },
        );
      return { contextUrl: null, documentUrl: url, document: method };
    }
    throw new CredentialError('VC_UNKNOWN_CONTEXT', 'context', `${url} is not a bundled context or a DID`, {
      url,
    });
  };
}
