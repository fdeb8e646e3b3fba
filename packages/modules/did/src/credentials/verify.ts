import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as vc from '@digitalbazaar/vc';
import { hash } from '@pujiang/crypto';
import { bytesToHex, isPujiangError, PujiangError } from '@pujiang/types';
import { didMethodOf, splitDidUrl } from '../did-syntax.js';
import { type AccreditationPath, checkAccreditation } from './accreditation-check.js';
import { CRYPTOSUITE_NAMES, CRYPTOSUITES, type CryptosuiteName } from './cryptosuites.js';
import { checkCredentialDataModel, idOf, type JsonObject } from './data-model.js';
import { type CredentialCheck, CredentialError } from './errors.js';
import { checkJsonLd, checkSize } from './issue.js';
import { checkCredentialSchemas, checkRelatedResources } from './linked-checks.js';
import { documentLoader } from './loader.js';
import type { ChainLookup, DidResolver } from './resolvers.js';
import { checkCredentialStatus } from './status.js';

/** One check of a verification and how it went. */
export interface CheckOutcome {
  readonly check: CredentialCheck;
  readonly verified: boolean;
  readonly code?: string;
  readonly message?: string;
}

export interface VerificationReport {
  readonly verified: boolean;
  /** Every check run, in order; verification stops at the first that fails. */
  readonly checks: readonly CheckOutcome[];
  /** The first failure, as a typed error. */
  readonly error?: CredentialError;
  /** For did:pujiang issuers: when the proof was first anchored (what dates it). */
  readonly issuance?: { readonly height: string; readonly time: string };
  /** How the issuer was accredited (root, bodies, issuer), when it was. */
  readonly accreditation?: AccreditationPath;
}

export interface VerifyCredentialOptions {
  readonly contexts: ReadonlyMap<string, object>;
  readonly resolver: DidResolver;
  /** The chain, for did:pujiang issuers: their proofs must be anchored, and are checked against the key history. */
  readonly chain?: ChainLookup;
  /** Verification time (default now). */
  readonly now?: Date;
  /** Fetches status list credentials that are not on the chain, and JSON schemas (no network otherwise). */
  readonly fetchJson?: (url: string) => Promise<unknown>;
  /** Fetches related resources, to check their digests. */
  readonly fetchBytes?: (url: string) => Promise<Uint8Array>;
  /**
   * Whether the issuer must have been accredited for the credential's types at issuance
   * (`require`), or the outcome is only reported (`report`, the default when the chain can
   * answer). `trustedRoots` replaces the consortium's recognised roots with the verifier's own.
   */
  readonly accreditation?: 'require' | 'report' | 'off';
  readonly trustedRoots?: readonly { readonly jurisdiction: string; readonly root: string }[];
}

/** The digest anchored for a proof: SHA-256 of its `proofValue` string (docs/did-method.md, section 4). */
export function proofDigest(proofValue: string): string {
  return bytesToHex(hash('sha256', new TextEncoder().encode(proofValue)));
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

class Checks {
  readonly outcomes: CheckOutcome[] = [];
  /** A check whose failure is reported but does not fail the verification. */
  async soft(check: CredentialCheck, body: () => unknown | Promise<unknown>): Promise<void> {
    try {
      await this.run(check, body);
    } catch {
      // recorded in outcomes by run()
    }
  }
  async run(check: CredentialCheck, body: () => unknown | Promise<unknown>): Promise<void> {
    try {
      await body();
      this.outcomes.push({ check, verified: true });
    } catch (error) {
      const failure =
        error instanceof CredentialError
          ? error
          : isPujiangError(error)
            ? new CredentialError(error.code, check, error.message, error.details)
            : new CredentialError('VC_PROOF', check, (error as Error).message);
      this.outcomes.push({
        check: failure.check,
        verified: false,
        code: failure.code,
        message: failure.message,
      });
      throw failure;
    }
  }
}

/** The proof's suite name, checked to be one this platform verifies. */
function proofOf(credential: JsonObject): JsonObject {
  const proofs = asList(credential.proof);
  if (proofs.length !== 1 || typeof proofs[0] !== 'object' || proofs[0] === null)
    throw new CredentialError('VC_PROOF', 'proof', 'a credential must carry exactly one proof');
  const proof = proofs[0] as JsonObject;
  if (
    proof.type !== 'DataIntegrityProof' ||
    !CRYPTOSUITE_NAMES.includes(proof.cryptosuite as CryptosuiteName)
  )
    throw new CredentialError(
      'VC_PROOF',
      'proof',
      `unsupported proof ${String(proof.type)}/${String(proof.cryptosuite)}`,
    );
  if (typeof proof.proofValue !== 'string' || typeof proof.verificationMethod !== 'string')
    throw new CredentialError('VC_PROOF', 'proof', 'the proof needs a proofValue and a verificationMethod');
  return proof;
}

/**
 * Verifies a credential and reports each check: the data model, its JSON-LD, the validity
 * period, the issuance anchor (did:pujiang issuers: the proof must have been anchored while
 * its key was the issuer's; the proof is then checked against the DID as it was at that
 * block), and the proof itself. Never throws for a bad credential: the report says why.
 */
export async function verifyCredential(
  credential: unknown,
  o: VerifyCredentialOptions,
): Promise<VerificationReport> {
  const checks = new Checks();
  let issuance: VerificationReport['issuance'];
  try {
    let dates: { validFrom?: Date; validUntil?: Date } = {};
    await checks.run('size', () => checkSize(credential));
    await checks.run('type', () => {
      dates = checkCredentialDataModel(credential);
    });
    const c = credential as JsonObject;
    const plain = documentLoader(o.contexts, o.resolver);
    await checks.run('context', () => checkJsonLd(c, plain));
    await checks.run('validity', () => {
      const now = o.now ?? new Date();
      if (dates.validFrom && now < dates.validFrom)
        throw new CredentialError('VC_NOT_YET_VALID', 'validity', `valid from ${c.validFrom}`);
      if (dates.validUntil && now > dates.validUntil)
        throw new CredentialError('VC_EXPIRED', 'validity', `expired at ${c.validUntil}`);
    });
    let proof: JsonObject = {};
    await checks.run('proof', () => {
      proof = proofOf(c);
      const method = splitDidUrl(String(proof.verificationMethod)).did;
      if (method !== idOf(c.issuer))
        throw new CredentialError('VC_PROOF', 'proof', "the proof's key is not the issuer's", { method });
    });
    let atHeight: bigint | undefined;
    if (didMethodOf(String(idOf(c.issuer))) === 'pujiang')
      await checks.run('issuance-anchor', async () => {
        if (!o.chain)
          throw new CredentialError(
            'VC_ISSUANCE',
            'issuance-anchor',
            'a did:pujiang issuer needs the chain to check its anchor',
          );
        const anchor = await o.chain.issuance(proofDigest(String(proof.proofValue)));
        if (!anchor)
          throw new CredentialError(
            'VC_ISSUANCE',
            'issuance-anchor',
            'the proof was never anchored on chain, so its time cannot be trusted',
          );
        atHeight = anchor.height;
        issuance = { height: String(anchor.height), time: String(anchor.time) };
      });
    const loader = documentLoader(o.contexts, o.resolver, atHeight === undefined ? {} : { atHeight });
    await checks.run(atHeight === undefined ? 'proof' : 'issuance-key', async () => {
      const suite = new DataIntegrityProof({
        cryptosuite: CRYPTOSUITES[proof.cryptosuite as CryptosuiteName],
      });
      const result = await vc.verifyCredential({
        credential: c,
        suite,
        documentLoader: loader,
        now: o.now ?? new Date(),
        // Status is this module's own check (next), with its typed errors and chain lookups.
        checkStatus: async () => ({ verified: true }),
      });
      if (!result.verified) throw proofFailure(result, atHeight !== undefined);
    });
    if (c.credentialStatus !== undefined)
      await checks.run('credentialStatus', () =>
        checkCredentialStatus(c, {
          ...(o.chain?.statusEntry
            ? { statusEntry: (list, index) => o.chain!.statusEntry!(list, index) }
            : {}),
          ...(o.fetchJson ? { fetchJson: o.fetchJson } : {}),
          verifyListCredential: async (list) => {
            // A list credential is checked without fetching further lists.
            const { fetchJson: _fetch, ...withoutFetch } = o;
            const report = await verifyCredential(list, withoutFetch);
            return { verified: report.verified, ...(report.error ? { message: report.error.message } : {}) };
          },
        }),
      );
    // What the credential links to: checked when the verifier can fetch it, else reported unchecked.
    if (c.credentialSchema !== undefined) {
      const fetchJson = o.fetchJson;
      await (fetchJson ? checks.run.bind(checks) : checks.soft.bind(checks))('credentialSchema', () => {
        if (!fetchJson)
          throw new CredentialError('VC_SCHEMA', 'credentialSchema', 'not checked: no fetcher for schemas');
        return checkCredentialSchemas(c, fetchJson);
      });
    }
    if (c.relatedResource !== undefined) {
      const fetchBytes = o.fetchBytes;
      await (fetchBytes ? checks.run.bind(checks) : checks.soft.bind(checks))('relatedResource', () => {
        if (!fetchBytes)
          throw new CredentialError(
            'VC_RELATED_RESOURCE',
            'relatedResource',
            'not checked: no fetcher for related resources',
          );
        return checkRelatedResources(c, fetchBytes);
      });
    }
    let accreditation: AccreditationPath | undefined;
    const lookup = o.chain;
    if (o.accreditation !== 'off' && lookup?.accreditationsOf && (o.trustedRoots || lookup.trustRoots)) {
      const sources = {
        accreditationsOf: (subject: string) => lookup.accreditationsOf!(subject),
        trustRoots: async () => o.trustedRoots ?? (await lookup.trustRoots!()),
      };
      const at = issuance ? BigInt(issuance.time) : BigInt((o.now ?? new Date()).getTime());
      const run = async () => {
        accreditation = await checkAccreditation(c, at, sources);
      };
      if (o.accreditation === 'require') await checks.run('accreditation', run);
      else await checks.soft('accreditation', run);
    }
    return {
      verified: true,
      checks: checks.outcomes,
      ...(issuance ? { issuance } : {}),
      ...(accreditation ? { accreditation } : {}),
    };
  } catch (error) {
    return {
      verified: false,
      checks: checks.outcomes,
      error: error as CredentialError,
      ...(issuance ? { issuance } : {}),
    };
  }
}

/** The library's reason, as the check that failed: a key the issuer did not hold then, or a bad signature. */
function proofFailure(result: vc.VerifyResult, anchored: boolean): CredentialError {
  const errors = [
    result.error,
    ...(result.error?.errors ?? []),
    ...(result.results ?? []).map((r) => r.error),
  ].filter((e): e is Error => e instanceof Error);
  for (const e of errors) {
    if (!(e instanceof PujiangError)) continue;
    if (anchored && e.code === 'VC_UNRESOLVABLE')
      return new CredentialError(
        'VC_ISSUANCE',
        'issuance-key',
        `the issuer did not hold the key when the proof was anchored: ${e.message}`,
      );
    return e instanceof CredentialError ? e : new CredentialError(e.code, 'proof', e.message);
  }
  const message =
    errors.map((e) => e.message).find((m) => m && m !== 'Verification error(s).') ??
    'the proof does not verify';
  if (/not authorized by controller|not found|verification method/i.test(message))
    return new CredentialError(
      'VC_ISSUANCE',
      anchored ? 'issuance-key' : 'verificationMethod',
      anchored
        ? `the key was not the issuer's assertion key when the proof was anchored: ${message}`
        : message,
    );
  return new CredentialError('VC_PROOF', 'proof', message);
}
