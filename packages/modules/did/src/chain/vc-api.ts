import { timingSafeEqual } from 'node:crypto';
import { defineRoute, type RouteHost, type RouteInput, RouteReply, Type } from '@pujiang/module-kit';
import { isPujiangError, type PujiangError } from '@pujiang/types';
import type { AccreditationJson } from '../accreditation-formats.js';
import { BUNDLED_CONTEXTS } from '../credentials/contexts.js';
import { checkCredentialDataModel, idOf, type JsonObject } from '../credentials/data-model.js';
import { CredentialError } from '../credentials/errors.js';
import { checkSize, issueCredential } from '../credentials/issue.js';
import { documentLoader } from '../credentials/loader.js';
import { verifyPresentation } from '../credentials/presentations.js';
import { type ChainLookup, didResolver, methodOf } from '../credentials/resolvers.js';
import { proofDigest, type VerificationReport, verifyCredential } from '../credentials/verify.js';
import { didMethodOf, parsePujiangDid } from '../did-syntax.js';
import type { DidState } from '../resolution.js';
import type { StatusEntryState } from '../status-formats.js';
import { AnchorBatcher, KeySender } from './anchor-batcher.js';
import { sha256Hex, type VcNodeConfig } from './vc-config.js';

/**
 * The W3C VC-API on every node: `POST /credentials/issue` (201, with this node's issuer
 * keys, which never leave it; bearer tokens or, when configured, loopback only),
 * `/credentials/verify` and `/presentations/verify` (200 only when verified). Every failure
 * is a 4xx problem-details body (RFC 9457) naming the failing check.
 */
const PROBLEM_TYPES: Record<string, string> = {
  VC_DATA_MODEL: 'MALFORMED_VALUE_ERROR',
  VC_TOO_LARGE: 'MALFORMED_VALUE_ERROR',
  VC_UNKNOWN_CONTEXT: 'PARSING_ERROR',
  VC_PROOF: 'CRYPTOGRAPHIC_SECURITY_ERROR',
  VC_ISSUANCE: 'CRYPTOGRAPHIC_SECURITY_ERROR',
  VC_PRESENTATION: 'CRYPTOGRAPHIC_SECURITY_ERROR',
  VC_UNRESOLVABLE: 'CRYPTOGRAPHIC_SECURITY_ERROR',
  VC_EXPIRED: 'RANGE_ERROR',
  VC_NOT_YET_VALID: 'RANGE_ERROR',
};

export function problem(status: number, error: PujiangError): RouteReply {
  const check = error instanceof CredentialError ? error.check : (error.details.check as string | undefined);
  return new RouteReply(
    status,
    {
      type: `https://www.w3.org/TR/vc-data-model-2.0/#${PROBLEM_TYPES[error.code] ?? 'MALFORMED_VALUE_ERROR'}`,
      title: error.code,
      detail: error.message,
      status,
      code: error.code,
      ...(check ? { check } : {}),
    },
    'application/problem+json',
  );
}

const badRequest = (message: string, check = 'type') =>
  problem(400, new CredentialError('VC_BAD_REQUEST', 'type', message, { check }));

/** The chain as this node sees it (its own state: a node trusts itself). */
export function chainOf(host: RouteHost): ChainLookup {
  return {
    resolve: async (did, options) => {
      // A did:pujiang DID of another chain does not exist here (the query reads by unique id only).
      if (parsePujiangDid(did)?.namespace !== host.chainId) return undefined;
      const params: Record<string, string> = { did };
      if (options?.atHeight !== undefined) params.atHeight = String(options.atHeight);
      const { state } = host.query('did', 'resolve', params) as { state: DidState | null };
      return state && !state.deactivated ? state.document : undefined;
    },
    issuance: async (digest) => {
      const { anchor } = host.query('did', 'issuance', { digest }) as {
        anchor: { height: string; time: string } | null;
      };
      return anchor ? { height: BigInt(anchor.height), time: BigInt(anchor.time) } : undefined;
    },
    statusEntry: async (list, index) => {
      const { entry } = host.query('did', 'statusEntry', { list, index: String(index) }) as {
        entry: StatusEntryState | null;
      };
      return entry ?? undefined;
    },
    accreditationsOf: async (subject) =>
      (host.query('did', 'accreditations', { subject }) as { accreditations: AccreditationJson[] })
        .accreditations,
    trustRoots: async () =>
      (host.query('did', 'trustRoots', {}) as { roots: { jurisdiction: string; root: string }[] }).roots,
  };
}

export function configOf(host: RouteHost): VcNodeConfig {
  return host.config as VcNodeConfig;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Bearer tokens (compared by digest, in constant time), or loopback when the node allows it; else 401. */
/**
 * Who is asking: a bearer token's digest (compared in constant time with every known one), or
 * the loopback when the node allows unauthenticated issuing there; undefined otherwise.
 */
function authenticate(host: RouteHost, input: RouteInput): string | undefined {
  const config = configOf(host);
  const token = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/.exec(input.headers.authorization ?? '')?.[1];
  if (token === undefined)
    return config.unauthenticatedOnLoopback && LOOPBACK.has(input.client.address) ? 'loopback' : undefined;
  const digest = Buffer.from(sha256Hex(token), 'hex');
  const known = [
    ...config.tokenDigests,
    ...[...config.issuers.values()].flatMap((i) => [...(i.tokenDigests ?? [])]),
  ];
  let match: string | undefined;
  for (const k of known) if (timingSafeEqual(digest, Buffer.from(k, 'hex'))) match = k;
  return match;
}

const refusal = (status: 401 | 403, code: string, detail: string) =>
  new RouteReply(
    status,
    { type: 'about:blank', title: code, detail, status, code },
    'application/problem+json',
    status === 401 ? { 'www-authenticate': 'Bearer realm="vc-api"' } : {},
  );

/**
 * 401 without a token this node accepts; 403 when the token is not one that may act for
 * `issuer` (an issuer with tokens of its own accepts only those; others the node-wide ones).
 */
export function unauthorized(host: RouteHost, input: RouteInput, issuer?: string): RouteReply | undefined {
  const who = authenticate(host, input);
  if (who === undefined)
    return refusal(401, 'VC_UNAUTHORIZED', 'a bearer token this node accepts is required');
  if (who === 'loopback' || issuer === undefined) return undefined;
  const config = configOf(host);
  const own = config.issuers.get(issuer)?.tokenDigests;
  if ((own ?? config.tokenDigests).has(who)) return undefined;
  return refusal(403, 'VC_FORBIDDEN', `this token may not act for ${issuer}`);
}

/** Per node and issuer: one sender of the issuer's transactions, and the anchor batcher that uses it. */
const issuerSenders = new WeakMap<RouteHost, Map<string, { sender: KeySender; anchors: AnchorBatcher }>>();
export function issuerSender(host: RouteHost, issuer: string): { sender: KeySender; anchors: AnchorBatcher } {
  const byIssuer = issuerSenders.get(host) ?? issuerSenders.set(host, new Map()).get(host)!;
  let entry = byIssuer.get(issuer);
  if (!entry) {
    const sender = new KeySender(host, configOf(host).issuers.get(issuer)!.anchor);
    entry = { sender, anchors: new AnchorBatcher(sender) };
    byIssuer.set(issuer, entry);
  }
  return entry;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

async function issue(host: RouteHost, input: RouteInput): Promise<RouteReply> {
  const denied = unauthorized(host, input);
  if (denied) return denied;
  const body = input.body as JsonObject;
  if (!isObject(body) || !isObject(body.credential))
    return badRequest('the body is {"credential": {...}, "options"?: {...}}');
  const issuer = idOf(body.credential.issuer);
  const forbidden = issuer === undefined ? undefined : unauthorized(host, input, issuer);
  if (forbidden) return forbidden;
  const entry = issuer === undefined ? undefined : configOf(host).issuers.get(issuer);
  if (!entry || !issuer)
    return problem(
      400,
      new CredentialError(
        'VC_UNKNOWN_ISSUER',
        'issuer',
        `this node holds no key of issuer ${String(issuer)}`,
      ),
    );
  const chain = chainOf(host);
  const resolver = didResolver({ chain });
  const loader = documentLoader(BUNDLED_CONTEXTS, resolver);
  try {
    checkSize(body.credential);
    checkCredentialDataModel(body.credential);
    // Issue only what will verify: the key must be an assertion method of the issuer now.
    const document = await resolver.resolve(issuer);
    const method = document && methodOf(document, entry.key.verificationMethod);
    if (!method || !document?.assertionMethod?.includes(entry.key.verificationMethod))
      throw new CredentialError(
        'VC_ISSUANCE',
        'issuance-key',
        `${entry.key.verificationMethod} is not an assertion method of ${issuer}`,
      );
    const signed = await issueCredential({ credential: body.credential, key: entry.key, loader });
    if (didMethodOf(issuer) === 'pujiang')
      await issuerSender(host, issuer).anchors.anchor(
        proofDigest(String((signed.proof as JsonObject).proofValue)),
      );
    return new RouteReply(201, { verifiableCredential: signed });
  } catch (error) {
    if (isPujiangError(error)) return problem(400, error);
    throw error;
  }
}

function verified(report: VerificationReport): RouteReply {
  if (report.verified)
    return new RouteReply(200, {
      checks: report.checks.filter((c) => c.verified).map((c) => c.check),
      // Checks that are only reported (accreditation without options.accreditation = "require").
      warnings: report.checks
        .filter((c) => !c.verified)
        .map((c) => ({ check: c.check, code: c.code, message: c.message })),
      errors: [],
      ...(report.issuance ? { issuance: report.issuance } : {}),
      ...(report.accreditation ? { accreditation: report.accreditation } : {}),
    });
  return problem(400, report.error ?? new CredentialError('VC_PROOF', 'proof', 'not verified'));
}

async function verify(host: RouteHost, input: RouteInput): Promise<RouteReply> {
  const body = input.body as JsonObject;
  if (!isObject(body) || !isObject(body.verifiableCredential))
    return badRequest('the body is {"verifiableCredential": {...}, "options"?: {...}}');
  const chain = chainOf(host);
  const options = isObject(body.options) ? body.options : {};
  return verified(
    await verifyCredential(body.verifiableCredential, {
      contexts: BUNDLED_CONTEXTS,
      resolver: didResolver({ chain }),
      chain,
      accreditation: options.accreditation === 'require' ? 'require' : 'report',
    }),
  );
}

async function verifyVp(host: RouteHost, input: RouteInput): Promise<RouteReply> {
  const body = input.body as JsonObject;
  if (!isObject(body) || !isObject(body.verifiablePresentation))
    return badRequest('the body is {"verifiablePresentation": {...}, "options": {...}}');
  const options = isObject(body.options) ? body.options : {};
  if (typeof options.challenge !== 'string' || options.challenge === '')
    return problem(400, new CredentialError('VC_PRESENTATION', 'challenge', 'options.challenge is required'));
  if (options.domain !== undefined && typeof options.domain !== 'string')
    return problem(400, new CredentialError('VC_PRESENTATION', 'domain', 'options.domain must be a string'));
  const chain = chainOf(host);
  return verified(
    await verifyPresentation(body.verifiablePresentation, {
      contexts: BUNDLED_CONTEXTS,
      resolver: didResolver({ chain }),
      chain,
      challenge: options.challenge,
      ...(typeof options.domain === 'string' ? { domain: options.domain } : {}),
    }),
  );
}

const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    detail: Type.String(),
    status: Type.Integer(),
    code: Type.Optional(Type.String()),
    check: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** A refusal as RFC 9457 problem details (the VC-API's error format). */
export const problemReply = (description: string) => ({
  description,
  schema: Problem,
  mediaTypes: ['application/problem+json'],
});
const Verified = Type.Object({
  checks: Type.Array(Type.String()),
  warnings: Type.Array(Type.Object({ check: Type.String(), code: Type.String(), message: Type.String() })),
  errors: Type.Array(Type.Unknown()),
  /** For did:pujiang issuers: the block (height, time in ms) whose anchor dates the proof. */
  issuance: Type.Optional(Type.Object({ height: Type.String(), time: Type.String() })),
  /** How the issuer is accredited: the recognised root, its jurisdiction, the chain of accreditations. */
  accreditation: Type.Optional(
    Type.Object({ root: Type.String(), jurisdiction: Type.String(), chain: Type.Array(Type.String()) }),
  ),
});

const ERRORS = [
  'VC_BAD_REQUEST',
  'VC_DATA_MODEL',
  'VC_UNKNOWN_CONTEXT',
  'VC_PROOF',
  'VC_ISSUANCE',
  'VC_EXPIRED',
  'VC_NOT_YET_VALID',
  'VC_UNRESOLVABLE',
  'VC_TOO_LARGE',
];

export const vcApiRoutes = [
  defineRoute({
    method: 'POST',
    path: '/credentials/issue',
    wellKnown: true,
    bearer: true,
    summary:
      "W3C VC-API: issue a credential with one of this node's issuer keys (bearer token); 201 {verifiableCredential}; did:pujiang proofs are anchored before the answer",
    body: Type.Unknown(),
    response: Type.Object({ verifiableCredential: Type.Record(Type.String(), Type.Unknown()) }),
    errors: [...ERRORS, 'VC_UNAUTHORIZED', 'VC_UNKNOWN_ISSUER', 'VC_ANCHOR_FAILED', 'VC_ANCHOR_PENDING'],
    replies: {
      201: {
        description: 'Issued',
        schema: Type.Object({ verifiableCredential: Type.Record(Type.String(), Type.Unknown()) }),
      },
      400: problemReply(`Not issued: ${[...ERRORS, 'VC_UNKNOWN_ISSUER', 'VC_ANCHOR_FAILED'].join(', ')}`),
      401: problemReply('VC_UNAUTHORIZED: no bearer token this node accepts'),
      403: problemReply('VC_FORBIDDEN: the token may not act for this issuer'),
    },
    handle: (host, input) => issue(host, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/credentials/verify',
    wellKnown: true,
    // Public by design, even where a node's reads are members-only.
    public: true,
    summary:
      'W3C VC-API: verify a credential; 200 {checks} only when verified, else a 400 problem naming the failed check',
    body: Type.Unknown(),
    response: Verified,
    errors: ERRORS,
    replies: {
      200: { description: 'Verified', schema: Verified },
      400: problemReply('Not verified: the failed check'),
    },
    handle: (host, input) => verify(host, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/presentations/verify',
    wellKnown: true,
    // Public by design, even where a node's reads are members-only.
    public: true,
    summary:
      'W3C VC-API: verify a presentation for options.challenge (and domain); 200 only when it and every credential verify',
    body: Type.Unknown(),
    response: Verified,
    replies: {
      200: { description: 'Verified', schema: Verified },
      400: problemReply('Not verified: the failed check'),
    },
    errors: [...ERRORS, 'VC_PRESENTATION'],
    handle: (host, input) => verifyVp(host, input),
  }),
];
