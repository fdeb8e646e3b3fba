// `@pujiang/module-docs/verify`: a document checked against the chain's registry (browser-safe).
import type { HashAlgorithm } from '@pujiang/crypto';
import {
  type AccreditationPath,
  type ChainLookup,
  checkAccreditation,
  type JsonObject,
  proofDigest,
} from '@pujiang/module-did';
import { BUNDLED_CONTEXTS, didResolver, verifyCredential } from '@pujiang/module-did/verify';
import { singleDigestRoot } from '@pujiang/module-notary';
import { bytesToHex, hexToBytes, invalidArgument, isPujiangError } from '@pujiang/types';
import { documentClaims, fileDigest } from '../credential.js';
import { documentIdHex } from '../formats.js';
import type { DocumentJson, HolderEntryJson } from '../records.js';

/** What verification asks of the docs registry and the notary (the SDK answers from proven state). */
export interface DocsLookup {
  document(idHex: string): Promise<DocumentJson | null>;
  /** The holder history (transferable documents). */
  holders?(idHex: string): Promise<readonly HolderEntryJson[]>;
  /** Whether the notary holds an anchor at this root. */
  anchored(rootHex: string): Promise<boolean>;
}

export type DocumentCheck = 'credential' | 'accreditation' | 'registry' | 'status' | 'file' | 'notarized';

export interface DocumentCheckOutcome {
  readonly check: DocumentCheck;
  readonly verified: boolean;
  readonly code?: string;
  readonly message?: string;
}

export interface DocumentReport {
  /** Every check passed. */
  readonly verified: boolean;
  readonly checks: readonly DocumentCheckOutcome[];
  /** The first failure. */
  readonly error?: { readonly code: string; readonly check: DocumentCheck; readonly message: string };
  /** The registry's record, when the document is registered. */
  readonly document?: DocumentJson;
  /** A transferable document's current holder and its holders in order. */
  readonly holder?: string;
  readonly holders?: readonly HolderEntryJson[];
  readonly issuance?: { readonly height: string; readonly time: string };
  readonly accreditation?: AccreditationPath;
}

export interface VerifyDocumentOptions {
  /** The did module's view of the chain (DIDs, issuance anchors, accreditations, trust roots). */
  readonly chain: ChainLookup;
  readonly docs: DocsLookup;
  /** The attached file, to check against the credential's and the registry's digest. */
  readonly file?: Uint8Array;
  readonly contexts?: ReadonlyMap<string, object>;
  readonly now?: Date;
  /** Roots this verifier trusts instead of the consortium's recognised ones. */
  readonly trustedRoots?: readonly { readonly jurisdiction: string; readonly root: string }[];
}

/** Why a status fails verification: one code per status. */
const STATUS_CODES: Record<string, string> = {
  suspended: 'DOCS_SUSPENDED',
  revoked: 'DOCS_REVOKED',
  superseded: 'DOCS_SUPERSEDED',
  surrendered: 'DOCS_SURRENDERED',
};

/** The did module's codes for an issuer holding no accreditation for the type (a root's become DOCS_NOT_ACCREDITED_FOR_TYPE). */
const NOT_ACCREDITED = ['VC_NOT_ACCREDITED', 'VC_ACCREDITATION_SCOPE'];

class Failure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verifies a document: the credential (proof and issuance anchor), the issuer's accreditation
 * for the document's type (required, even of a trust root: being a root accredits others, it
 * does not make a customs authority an issuer of bills of lading), the registry's record (the credential's proof digest
 * must be the registered one: an edited or forged copy fails here or at the proof), its
 * status, the file's digest (the credential's and the registry's), and the notary's anchor of
 * the file. Every check runs; the report names each. Never throws for a bad document.
 */
export async function verifyDocumentWith(
  credential: unknown,
  o: VerifyDocumentOptions,
): Promise<DocumentReport> {
  if (typeof o !== 'object' || o === null) throw invalidArgument('options must be an object', 'options');
  if (typeof o.chain !== 'object' || o.chain === null)
    throw invalidArgument('chain is a ChainLookup', 'chain');
  if (typeof o.docs !== 'object' || o.docs === null) throw invalidArgument('docs is a DocsLookup', 'docs');
  if (o.file !== undefined && !(o.file instanceof Uint8Array)) throw invalidArgument('file is bytes', 'file');
  const checks: DocumentCheckOutcome[] = [];
  const run = async (check: DocumentCheck, body: () => Promise<void> | void) => {
    try {
      await body();
      checks.push({ check, verified: true });
    } catch (error) {
      const code = error instanceof Failure || isPujiangError(error) ? error.code : 'DOCS_VERIFY_FAILED';
      checks.push({ check, verified: false, code, message: (error as Error).message });
    }
  };
  const c = credential as JsonObject;
  const claims = documentClaims(credential);
  let issuance: DocumentReport['issuance'];
  let accreditation: AccreditationPath | undefined;

  await run('credential', async () => {
    const report = await verifyCredential(credential, {
      contexts: o.contexts ?? BUNDLED_CONTEXTS,
      resolver: didResolver({ chain: o.chain }),
      chain: o.chain,
      accreditation: 'off',
      ...(o.now ? { now: o.now } : {}),
    });
    issuance = report.issuance;
    if (!report.verified)
      throw new Failure(report.error?.code ?? 'VC_PROOF', `${report.error?.check}: ${report.error?.message}`);
  });
  await run('accreditation', async () => {
    const lookup = o.chain;
    if (!lookup.accreditationsOf || !(o.trustedRoots || lookup.trustRoots))
      throw new Failure('DOCS_NO_ACCREDITATIONS', 'the chain lookup answers no accreditations');
    if (!claims.type || !claims.issuer)
      throw new Failure('DOCS_NOT_A_DOCUMENT', 'the credential names no document type or issuer');
    const at = issuance ? BigInt(issuance.time) : BigInt((o.now ?? new Date()).getTime());
    const roots = o.trustedRoots ?? (await lookup.trustRoots!());
    // A document needs its issuer's accreditation for its type, a root's included: the did
    // module accepts a trust root as the issuer of anything, so the walk here runs without the
    // issuer among the roots (its accreditation must come from another, up to a trusted root).
    const isRoot = roots.some((r) => r.root === claims.issuer);
    try {
      accreditation = await checkAccreditation(c, at, {
        accreditationsOf: (subject) => lookup.accreditationsOf!(subject),
        trustRoots: async () => roots.filter((r) => r.root !== claims.issuer),
      });
    } catch (error) {
      if (isRoot && isPujiangError(error) && NOT_ACCREDITED.includes(error.code))
        throw new Failure(
          'DOCS_NOT_ACCREDITED_FOR_TYPE',
          `${claims.issuer} is a trust root but holds no accreditation for ${claims.type}: ${(error as Error).message}`,
        );
      throw error;
    }
  });

  let record: DocumentJson | null = null;
  await run('registry', async () => {
    if (!claims.type || !claims.issuer || !claims.number)
      throw new Failure('DOCS_NOT_A_DOCUMENT', 'the credential names no document type, issuer or number');
    const id = documentIdHex(claims.issuer, claims.type, claims.number);
    record = await o.docs.document(id);
    if (!record)
      throw new Failure('DOCS_NOT_REGISTERED', `${claims.type} ${claims.number} is not registered`);
    const proof = (Array.isArray(c.proof) ? c.proof[0] : c.proof) as JsonObject | undefined;
    const digest = typeof proof?.proofValue === 'string' ? proofDigest(proof.proofValue) : '';
    if (digest !== record.credentialDigest)
      throw new Failure('DOCS_CREDENTIAL_MISMATCH', 'this is not the credential registered for the document');
    if ((claims.subject ?? '') !== record.subject)
      throw new Failure('DOCS_CREDENTIAL_MISMATCH', "the credential's subject is not the registered one");
  });
  const found = record as DocumentJson | null;
  if (found) {
    await run('status', () => {
      const code = STATUS_CODES[found.status];
      if (code)
        throw new Failure(
          code,
          `the document is ${found.status}${found.supersededBy ? ` (by ${found.supersededBy})` : ''}`,
        );
    });
    await run('file', () => checkFile(claims.fileDigest, found, o.file));
    await run('notarized', async () => {
      if (!found.fileDigest) return;
      const leaf = { algorithm: 'sha256' as const, digest: hexToBytes(found.fileDigest) };
      const roots = (['sm3', 'sha256'] as HashAlgorithm[]).map((h) => bytesToHex(singleDigestRoot(h, leaf)));
      if (
        !found.anchorRoot ||
        !roots.includes(found.anchorRoot) ||
        !(await o.docs.anchored(found.anchorRoot))
      )
        throw new Failure('DOCS_NOT_NOTARIZED', "the file's digest has no notary anchor");
    });
  }
  const holders = found?.transferable && o.docs.holders ? await o.docs.holders(found.id) : undefined;
  const failed = checks.find((x) => !x.verified);
  return {
    verified: failed === undefined && found !== null,
    checks,
    ...(failed ? { error: { code: failed.code!, check: failed.check, message: failed.message ?? '' } } : {}),
    ...(found ? { document: found } : {}),
    ...(found?.holder ? { holder: found.holder } : {}),
    ...(holders ? { holders } : {}),
    ...(issuance ? { issuance } : {}),
    ...(accreditation ? { accreditation } : {}),
  };
}

/** The file (when given) hashes to what the credential states, and that is what the registry holds. */
function checkFile(
  stated: string | null | undefined,
  record: DocumentJson,
  file: Uint8Array | undefined,
): void {
  if (stated === undefined)
    throw new Failure('DOCS_FILE_MISMATCH', "the credential's file digest is malformed");
  if (stated !== record.fileDigest)
    throw new Failure('DOCS_FILE_MISMATCH', "the credential's file digest is not the registered one");
  if (file === undefined) return;
  if (stated === null) throw new Failure('DOCS_FILE_MISMATCH', 'the document has no attached file');
  if (bytesToHex(fileDigest(file)) !== stated)
    throw new Failure('DOCS_FILE_MISMATCH', "the file's SHA-256 is not the document's");
}
