import type { AccreditationJson } from '../accreditation-formats.js';
import { idOf, type JsonObject } from './data-model.js';
import { CredentialError } from './errors.js';

/** What the walk asks of the chain (the node's state, or proven state through the SDK). */
export interface AccreditationSources {
  accreditationsOf(subject: string): Promise<readonly AccreditationJson[]>;
  /** Roots the verifier trusts, by jurisdiction: the consortium's recognised ones, or the verifier's own. */
  trustRoots(): Promise<readonly { readonly jurisdiction: string; readonly root: string }[]>;
}

/** How an issuer was found accredited: root, then bodies, then the issuer. */
export interface AccreditationPath {
  readonly root: string;
  readonly jurisdiction: string;
  readonly chain: readonly string[];
}

/** In force at `at`: not before it was recorded on chain (no backdating), nor before its validFrom. */
const inForce = (a: AccreditationJson, at: bigint) =>
  BigInt(a.validFrom) <= at &&
  BigInt(a.issuedAt) <= at &&
  (a.validUntil === '0' || at < BigInt(a.validUntil)) &&
  (a.withdrawnAt === '0' || at < BigInt(a.withdrawnAt));

const covers = (a: AccreditationJson, types: readonly string[]) =>
  types.every((t) => a.credentialTypes.includes(t));

/**
 * Whether the credential's issuer was accredited, at `at` (the proof's anchoring time, or now),
 * for every type the credential claims besides VerifiableCredential, through a chain that ends
 * at a root the verifier trusts for one of the accreditation's jurisdictions: root → issuer, or
 * root → accreditation body → issuer. Fails `accreditation` (none in force),
 * `accreditation-scope` (in force, but not for these types) or `accreditation-root` (no
 * trusted root at the end).
 */
export async function checkAccreditation(
  credential: JsonObject,
  at: bigint,
  sources: AccreditationSources,
): Promise<AccreditationPath> {
  const issuer = String(idOf(credential.issuer));
  const types = (Array.isArray(credential.type) ? credential.type : [credential.type]).filter(
    (t): t is string => typeof t === 'string' && t !== 'VerifiableCredential',
  );
  const roots = await sources.trustRoots();
  const rootFor = (did: string, jurisdictions: readonly string[]) =>
    roots.find((r) => r.root === did && jurisdictions.includes(r.jurisdiction));
  const direct = roots.find((r) => r.root === issuer);
  if (direct) return { root: issuer, jurisdiction: direct.jurisdiction, chain: [issuer] };

  const held = (await sources.accreditationsOf(issuer)).filter((a) => inForce(a, at));
  if (held.length === 0)
    throw new CredentialError(
      'VC_NOT_ACCREDITED',
      'accreditation',
      `${issuer} held no accreditation in force then`,
      { issuer },
    );
  const scoped = held.filter((a) => covers(a, types));
  if (scoped.length === 0)
    throw new CredentialError(
      'VC_ACCREDITATION_SCOPE',
      'accreditation-scope',
      `${issuer} is accredited for ${[...new Set(held.flatMap((a) => a.credentialTypes))].join(', ')}, not ${types.join(', ')}`,
      { issuer, types, accreditedFor: [...new Set(held.flatMap((a) => a.credentialTypes))] },
    );
  for (const a of scoped) {
    const root = rootFor(a.accreditor, a.jurisdictions);
    if (root) return { root: root.root, jurisdiction: root.jurisdiction, chain: [root.root, issuer] };
    // One level of accreditation bodies: the accreditor must itself be accredited, as a body, by a trusted root.
    const bodies = (await sources.accreditationsOf(a.accreditor)).filter(
      (b) =>
        b.role === 'body' &&
        inForce(b, at) &&
        covers(b, types) &&
        a.jurisdictions.every((j) => b.jurisdictions.includes(j)),
    );
    for (const b of bodies) {
      const bodyRoot = rootFor(b.accreditor, b.jurisdictions);
      if (bodyRoot)
        return {
          root: bodyRoot.root,
          jurisdiction: bodyRoot.jurisdiction,
          chain: [bodyRoot.root, a.accreditor, issuer],
        };
    }
  }
  throw new CredentialError(
    'VC_UNTRUSTED_ROOT',
    'accreditation-root',
    `no accreditation of ${issuer} leads to a root this verifier trusts`,
    {
      issuer,
      accreditors: [...new Set(scoped.map((a) => a.accreditor))],
    },
  );
}
