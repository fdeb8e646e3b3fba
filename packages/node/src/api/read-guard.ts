import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { type PublicKey, parseCertificate } from '@pujiang/crypto';
import type { RequestReader } from '@pujiang/module-kit';
import { SignedRequestError, SignedRequestVerifier } from '@pujiang/module-kit/signed-requests';
import { READ_AUTH_ERRORS, type ReadAuthErrorCode } from '@pujiang/protocol';
import { equalBytes } from '@pujiang/types';
import type { ValidatorNode } from '../validator-node.js';
import { ApiError } from './api-error.js';

/** Whether a node answers reads to anyone (`open`, the default) or only to members' signed requests. */
export type ReadMode = 'open' | 'members';

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
  private readonly verifier: SignedRequestVerifier<{ readonly org: string; readonly role: string }>;

  constructor(
    private readonly node: ValidatorNode,
    readonly mode: ReadMode,
    now: () => number = Date.now,
  ) {
    this.verifier = new SignedRequestVerifier(async (address) => {
      const chain = this.node.chain;
      return chain.executor.kernelCall('memberIdentity', chain.stateRoot, (lookup, read) =>
        lookup(read, address, { time: chain.lastBlockTime, chainHash: chain.genesis.chainHash }),
      );
    }, now);
  }

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
    if (req.headers.host === undefined)
      throw refuse(401, 'API_SIGNATURE_MALFORMED', { reason: 'a signed request names its Host' });
    try {
      const { address, found } = await this.verifier.verify({
        method: req.method ?? 'GET',
        // The authority signed is the one the client addressed (the Host header).
        url: `http://${req.headers.host}${url.pathname}${url.search}`,
        headers: flatHeaders(req),
      });
      return { address, org: found.org, role: found.role };
    } catch (error) {
      if (error instanceof SignedRequestError)
        throw new ApiError(error.status, error.code, error.message, error.details);
      throw error;
    }
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
