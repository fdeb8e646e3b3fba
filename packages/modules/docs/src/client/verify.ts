import { verifiedChainLookup } from '@pujiang/module-did/client';
import { objectArgument, sdkError, type VerifiedQuerier } from '@pujiang/module-kit';
import { anchorStateKey, NOTARY_MODULE } from '@pujiang/module-notary';
import { moduleKey } from '@pujiang/protocol';
import { bytesToHex, invalidArgument } from '@pujiang/types';
import { DOCS_MODULE, documentStateKey } from '../formats.js';
import { documentAnswer, type HolderEntryJson, holdersAnswer } from '../records.js';
import { MAX_HOLDERS_PAGE } from '../schemas.js';
import { type DocsLookup, type DocumentReport, verifyDocumentWith } from '../verify/index.js';

/** Module-relative reads answered only from proven ones (a key the node did not prove fails). */
function provenRead(
  module: string,
  verified: { readonly reads: ReadonlyMap<string, Uint8Array | undefined> },
) {
  return (key: string) => {
    const stateKey = bytesToHex(moduleKey(module, key));
    if (!verified.reads.has(stateKey))
      throw sdkError('SDK_VERIFICATION_FAILED', 'the node did not prove a read the answer depends on', {
        key: stateKey,
      });
    return verified.reads.get(stateKey);
  };
}

/**
 * The registry and the notary as a verifier that trusts no node sees them: every answer
 * rebuilt from state proven under the certified header of `height`.
 */
export function verifiedDocsLookup(light: VerifiedQuerier, height: number): DocsLookup {
  objectArgument(light, 'light');
  if (!Number.isSafeInteger(height) || height < 1)
    throw invalidArgument('height is a block height', 'height');
  return {
    document: async (id) => {
      const proven = await light.verifiedQuery(DOCS_MODULE, 'document', { id }, [documentStateKey(id)], {
        height,
      });
      return documentAnswer(provenRead(DOCS_MODULE, proven), id);
    },
    // Every holder, a page (MAX_HOLDERS_PAGE) at a time, all at the same height.
    holders: async (id) => {
      const all: HolderEntryJson[] = [];
      for (let from = 0; ; from += MAX_HOLDERS_PAGE) {
        const proven = await light.verifiedQuery(
          DOCS_MODULE,
          'holders',
          { id, from: String(from), limit: String(MAX_HOLDERS_PAGE) },
          [documentStateKey(id)],
          { height },
        );
        const page = holdersAnswer(provenRead(DOCS_MODULE, proven), id, from, MAX_HOLDERS_PAGE);
        all.push(...page.holders);
        if (from + MAX_HOLDERS_PAGE >= page.total) return all;
      }
    },
    anchored: async (root) => {
      const proven = await light.verifiedQuery(NOTARY_MODULE, 'anchor', { root }, [anchorStateKey(root)], {
        height,
      });
      return provenRead(NOTARY_MODULE, proven)(`anchor/${root}`) !== undefined;
    },
  };
}

/**
 * Verifies a document without trusting the node: the issuer's DID, the proof's anchor, its
 * accreditation, the registry's record and the notary's anchor all come from state proven
 * under one certified header (the latest, which must be recent). `file` is the attached file,
 * when the verifier has it.
 */
export async function verifyDocument(
  light: VerifiedQuerier,
  p: {
    credential: unknown;
    file?: Uint8Array;
    now?: Date;
    trustedRoots?: readonly { jurisdiction: string; root: string }[];
  },
): Promise<DocumentReport> {
  objectArgument(light, 'light');
  objectArgument(p, 'parameters');
  if (typeof p.credential !== 'object' || p.credential === null)
    throw invalidArgument('credential must be a credential object', 'credential');
  if (p.file !== undefined && !(p.file instanceof Uint8Array)) throw invalidArgument('file is bytes', 'file');
  if (p.now !== undefined && !(p.now instanceof Date)) throw invalidArgument('now is a Date', 'now');
  // One header for every question (the did lookup pins the same one), so no answer mixes heights.
  const header = light.getVerifiedLatestHeader();
  const { height } = await header;
  const pinned: VerifiedQuerier = {
    getVerifiedLatestHeader: () => header,
    verifiedQuery: (...args) => light.verifiedQuery(...args),
  };
  return verifyDocumentWith(p.credential, {
    chain: verifiedChainLookup(pinned),
    docs: verifiedDocsLookup(light, height),
    ...(p.file ? { file: p.file } : {}),
    ...(p.now ? { now: p.now } : {}),
    ...(p.trustedRoots ? { trustedRoots: p.trustedRoots } : {}),
  });
}
