import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type PublicKey, parseCertificate, verify } from '@pujiang/crypto';
import type { RequestReader } from '@pujiang/module-kit';
import { READ_AUTH_ERRORS, type ReadAuthErrorCode, SIGNED_REQUEST } from '@pujiang/protocol';
import { equalBytes } from '@pujiang/types';

import { ExpiredError, httpbis } from 'http-message-signatures';
import { parseDictionary } from 'structured-headers';
import type { ValidatorNode } from '../validator-node.js';
import { ApiError } from './api-error.js';

/** Whether a node answers reads to anyone (`open`, the default) or only to members' signed requests. */
export type ReadMode = 'open' | 'members';

/** Nonces remembered at most (each for the signature's lifetime); beyond, new signatures wait. */
const MAX_NONCES = 200_000;
/** A member's share of them: 20,000 signed reads in a signature's lifetime (about 60/s). */
const MAX_NONCES_PER_KEY = 20_000;

const refuse = (status: 401 | 403, code: ReadAuthErrorCode, details: Record<string, unknown> = {}) =>
  new ApiError(status, code, READ_AUTH_ERRORS[code], details);

/**
 * Authenticates API requests signed by a member (RFC 9421, `SIGNED_REQUEST`): the signature
 * must cover the method, path and query (and `content-digest` with a body), carry `created`,
 * `nonce`, `keyid` (the member's address) and `alg` (its suite), be at most five minutes old,
 * use a nonce not seen before, and verify under the key the chain registered for that address;
 * the identity must be valid now (its organization a member, its certificate current).
 */
export class RequestAuthenticator {
  /** nonce -> when it may be forgotten (ms), and whose it is. */
  private readonly nonces = new Map<string, { readonly until: number; readonly keyid: string }>();
  /** Nonces remembered per member: one member cannot crowd the others out. */
  private readonly perKey = new Map<string, number>();

  constructor(
    private readonly node: ValidatorNode,
    readonly mode: ReadMode,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The reader of a GET or an event subscription: the verified signer, or undefined for an
   * unsigned request where it may be served (open reads, or a public route). Throws 401/403.
   */
  async reader(req: IncomingMessage, url: URL, isPublic: boolean): Promise<RequestReader | undefined> {
    const signed = req.headers.signature !== undefined || req.headers['signature-input'] !== undefined;
    if (signed) return this.verifySigned(req, url);
    const certified = this.certifiedReader(req);
    if (certified) return certified;
    if (this.mode === 'members' && !isPublic) throw refuse(401, 'API_UNAUTHENTICATED');
    return undefined;
  }

  /**
   * Mutual TLS, the alternative to signatures: a client certificate whose key is a
   * registered member's (the TLS handshake proved the client holds it; the CA chain was
   * checked when the member registered, and revocation and expiry are the identity's).
   */
  private certifiedReader(req: IncomingMessage): RequestReader | undefined {
    const socket = req.socket as TLSSocket;
    if (socket.encrypted !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
    const raw = socket.getPeerCertificate(false)?.raw;
    if (!raw || raw.length === 0) return undefined;
    let key: PublicKey;
    try {
      key = parseCertificate(new Uint8Array(raw)).publicKey;
    } catch {
      throw refuse(401, 'API_UNAUTHENTICATED', { reason: 'the client certificate does not parse' });
    }
    const chain = this.node.chain;
    const address = chain.addressOf(key);
    const identity = chain.executor.kernelCall('memberIdentity', chain.stateRoot, (lookup, read) =>
      lookup(read, address, { time: chain.lastBlockTime, chainHash: chain.genesis.chainHash }),
    );
    if (
      !identity ||
      identity.publicKey.suite !== key.suite ||
      !equalBytes(identity.publicKey.bytes, key.bytes)
    )
      throw refuse(401, 'API_UNAUTHENTICATED', { reason: "the client certificate's key is no member's" });
    if (identity.problem !== undefined) throw refuse(403, 'API_FORBIDDEN', { problem: identity.problem });
    return { address, org: identity.org, role: identity.role };
  }

  private async verifySigned(req: IncomingMessage, url: URL): Promise<RequestReader> {
    // One signature, ours: a request carrying others is refused rather than judged by the last.
    let labels: string[];
    try {
      labels = [...parseDictionary(String(req.headers['signature-input'] ?? '')).keys()];
    } catch {
      labels = [];
    }
    if (labels.length !== 1 || labels[0] !== SIGNED_REQUEST.label || req.headers.host === undefined)
      throw refuse(401, 'API_SIGNATURE_MALFORMED', {
        reason: `one signature labelled ${SIGNED_REQUEST.label}, and a Host`,
      });
    // The authority signed is the one the client addressed (the Host header).
    const signedUrl = `http://${req.headers.host}${url.pathname}${url.search}`;
    const chain = this.node.chain;
    const at = { time: chain.lastBlockTime, chainHash: chain.genesis.chainHash };
    let found:
      | { address: string; publicKey: PublicKey; org: string; role: string; problem?: string }
      | undefined;
    let nonce: unknown;
    let verified: boolean | null;
    try {
      verified = await httpbis.verifyMessage(
        {
          requiredParams: [...SIGNED_REQUEST.params],
          requiredFields: [...SIGNED_REQUEST.components],
          maxAge: SIGNED_REQUEST.maxAgeSeconds,
          notAfter: Math.floor(this.now() / 1000) + SIGNED_REQUEST.clockSkewSeconds,
          keyLookup: async (params) => {
            const address = String(params.keyid ?? '');
            if (!/^[0-9a-f]{42}$/.test(address)) return null;
            const identity = chain.executor.kernelCall('memberIdentity', chain.stateRoot, (lookup, read) =>
              lookup(read, address, at),
            );
            if (!identity) return null;
            found = { address, ...identity };
            nonce = params.nonce;
            return {
              id: address,
              algs: [identity.publicKey.suite],
              verify: async (data, signature, p) =>
                p?.alg === identity.publicKey.suite &&
                verify(identity.publicKey, data, { suite: identity.publicKey.suite, bytes: signature }),
            };
          },
        },
        { method: req.method ?? 'GET', url: signedUrl, headers: flatHeaders(req) },
      );
    } catch (error) {
      if (error instanceof ExpiredError) throw refuse(401, 'API_SIGNATURE_EXPIRED');
      throw refuse(401, 'API_SIGNATURE_MALFORMED', { reason: (error as Error).message });
    }
    if (verified === null || found === undefined)
      throw refuse(401, 'API_UNAUTHENTICATED', { reason: 'unknown key' });
    if (!verified) throw refuse(401, 'API_SIGNATURE_INVALID', { keyid: found.address });
    if (req.headers['content-digest'] !== undefined && !this.coversDigest(req))
      throw refuse(401, 'API_SIGNATURE_MALFORMED', { reason: 'content-digest is not covered' });
    this.useNonce(String(nonce), found.address);
    if (found.problem !== undefined) throw refuse(403, 'API_FORBIDDEN', { problem: found.problem });
    return { address: found.address, org: found.org, role: found.role };
  }

  private coversDigest(req: IncomingMessage): boolean {
    return String(req.headers['signature-input'] ?? '').includes(`"${SIGNED_REQUEST.bodyComponent}"`);
  }

  /** Each nonce once within a signature's lifetime (a replay is refused, not served twice). */
  private useNonce(nonce: string, keyid: string): void {
    const now = this.now();
    if (nonce.length < 16 || nonce.length > 128)
      throw refuse(401, 'API_SIGNATURE_MALFORMED', { reason: 'nonce' });
    const seen = this.nonces.get(nonce);
    if (seen !== undefined && seen.until > now) throw refuse(401, 'API_SIGNATURE_REPLAYED');
    if (this.nonces.size >= MAX_NONCES || (this.perKey.get(keyid) ?? 0) >= MAX_NONCES_PER_KEY)
      this.forgetExpired(now);
    if (this.nonces.size >= MAX_NONCES || (this.perKey.get(keyid) ?? 0) >= MAX_NONCES_PER_KEY)
      throw new ApiError(503, 'API_BUSY', 'too many signed requests; try later', { keyid });
    this.nonces.set(nonce, {
      until: now + (SIGNED_REQUEST.maxAgeSeconds + SIGNED_REQUEST.clockSkewSeconds) * 1000,
      keyid,
    });
    this.perKey.set(keyid, (this.perKey.get(keyid) ?? 0) + 1);
  }

  private forgetExpired(now: number): void {
    for (const [n, { until, keyid }] of this.nonces)
      if (until <= now) {
        this.nonces.delete(n);
        const left = (this.perKey.get(keyid) ?? 1) - 1;
        if (left > 0) this.perKey.set(keyid, left);
        else this.perKey.delete(keyid);
      }
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
