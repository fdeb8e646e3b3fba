import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as vc from '@digitalbazaar/vc';
import { listArgument, objectArgument } from '@pujiang/module-kit';
import jsigs from 'jsonld-signatures';
import { splitDidUrl } from '../did-syntax.js';
import {
  CRYPTOSUITE_NAMES,
  CRYPTOSUITES,
  type CryptosuiteName,
  SUITE_FOR_ALGORITHM,
} from './cryptosuites.js';
import { checkPresentationDataModel, idOf, type JsonObject } from './data-model.js';
import { CredentialError } from './errors.js';
import { checkJsonLd, checkSize } from './issue.js';
import { type DocumentLoader, documentLoader } from './loader.js';
import { type IssuerKey, issuerDidOf, signerFor } from './signers.js';
import {
  type CheckOutcome,
  type VerificationReport,
  type VerifyCredentialOptions,
  verifyCredential,
} from './verify.js';

export interface PresentParameters {
  readonly credentials: readonly JsonObject[];
  /** The holder's key: its DID is the presentation's holder. */
  readonly holderKey: IssuerKey;
  /** The verifier's nonce and its domain: a presentation is accepted once, by that verifier. */
  readonly challenge: string;
  readonly domain?: string;
  readonly loader: DocumentLoader;
  readonly id?: string;
}

/** A verifiable presentation of `credentials`, signed by the holder for one verifier's challenge and domain. */
export async function presentCredentials(p: PresentParameters): Promise<JsonObject> {
  objectArgument(p, 'parameters');
  listArgument(p.credentials, 'credentials');
  objectArgument(p.holderKey, 'holderKey');
  if (typeof p.challenge !== 'string' || p.challenge.length === 0)
    throw new CredentialError('VC_PRESENTATION', 'challenge', 'a presentation needs a challenge');
  const presentation = vc.createPresentation({
    verifiableCredential: [...p.credentials],
    holder: issuerDidOf(p.holderKey),
    ...(p.id ? { id: p.id } : {}),
  });
  checkSize(presentation);
  checkPresentationDataModel(presentation);
  const suite = new DataIntegrityProof({
    signer: signerFor(p.holderKey),
    cryptosuite: CRYPTOSUITES[SUITE_FOR_ALGORITHM[p.holderKey.algorithm]!],
  });
  return vc.signPresentation({
    presentation,
    suite,
    challenge: p.challenge,
    ...(p.domain ? { domain: p.domain } : {}),
    documentLoader: p.loader,
  });
}

export interface PresentationReport extends VerificationReport {
  /** Each credential's own report, in order. */
  readonly credentials: readonly VerificationReport[];
}

/**
 * Verifies a presentation: its data model and contexts, the holder's proof for this
 * `challenge` and `domain` (the holder is the proof's key), then each credential as
 * `verifyCredential` does. Verified only if all are.
 */
export async function verifyPresentation(
  presentation: unknown,
  o: VerifyCredentialOptions & { readonly challenge: string; readonly domain?: string },
): Promise<PresentationReport> {
  const checks: CheckOutcome[] = [];
  const fail = (error: CredentialError): PresentationReport => {
    checks.push({ check: error.check, verified: false, code: error.code, message: error.message });
    return { verified: false, checks, error, credentials: [] };
  };
  const pass = (check: CheckOutcome['check']) => checks.push({ check, verified: true });
  try {
    checkSize(presentation);
    checkPresentationDataModel(presentation);
    pass('type');
    const p = presentation as JsonObject;
    await checkJsonLd(p, documentLoader(o.contexts, o.resolver));
    pass('context');
    // Exactly one proof: a proof set verifies when any one of its proofs does, so a decoy
    // proof naming the holder beside another key's valid proof would otherwise pass.
    if (Array.isArray(p.proof) && p.proof.length !== 1)
      throw new CredentialError(
        'VC_PROOF',
        'proof',
        'a presentation carries exactly one proof, by its holder',
      );
    const proof = (Array.isArray(p.proof) ? p.proof[0] : p.proof) as JsonObject | undefined;
    if (
      proof?.type !== 'DataIntegrityProof' ||
      !CRYPTOSUITE_NAMES.includes(proof.cryptosuite as CryptosuiteName)
    )
      throw new CredentialError(
        'VC_PROOF',
        'proof',
        'the presentation needs one Data Integrity proof by its holder',
      );
    if (proof.challenge !== o.challenge)
      throw new CredentialError('VC_PRESENTATION', 'challenge', "the challenge is not this verifier's");
    if (o.domain !== undefined && proof.domain !== o.domain)
      throw new CredentialError('VC_PRESENTATION', 'domain', 'the presentation is for another domain');
    if ('holder' in p && splitDidUrl(String(proof.verificationMethod)).did !== idOf(p.holder))
      throw new CredentialError('VC_PRESENTATION', 'holder', "the proof's key is not the holder's");
    const result = await jsigs.verify(p, {
      suite: new DataIntegrityProof({ cryptosuite: CRYPTOSUITES[proof.cryptosuite as CryptosuiteName] }),
      purpose: new jsigs.purposes.AuthenticationProofPurpose({
        challenge: o.challenge,
        ...(o.domain ? { domain: o.domain } : {}),
      }),
      documentLoader: documentLoader(o.contexts, o.resolver),
    });
    if (!result.verified)
      throw new CredentialError('VC_PROOF', 'proof', "the holder's proof does not verify");
    pass('proof');
  } catch (error) {
    if (error instanceof CredentialError) return fail(error);
    // The libraries refuse some malformed input by throwing: that is a failed proof, not a crash.
    return fail(
      new CredentialError(
        'VC_PROOF',
        'proof',
        `the presentation cannot be verified: ${(error as Error).message}`,
      ),
    );
  }
  const held = (presentation as JsonObject).verifiableCredential;
  const credentials = await Promise.all(
    (held === undefined ? [] : Array.isArray(held) ? held : [held]).map((c) => verifyCredential(c, o)),
  );
  const failed = credentials.find((r) => !r.verified);
  return {
    verified: failed === undefined,
    checks,
    credentials,
    ...(failed?.error ? { error: failed.error } : {}),
  };
}
