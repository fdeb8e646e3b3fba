import { hash, type PublicKey, verify } from '@pujiang/crypto';
import { READ_AUTH_ERRORS, type ReadAuthErrorCode, SIGNED_REQUEST } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';
import { ExpiredError, httpbis } from 'http-message-signatures';
import { parseDictionary } from 'structured-headers';

/** Nonces remembered at most (each for the signature's lifetime); beyond, new signatures wait. */
const MAX_NONCES = 200_000;
/** A member's share of them: 20,000 signed requests in a signature's lifetime (about 60/s). */
const MAX_NONCES_PER_KEY = 20_000;

/** A refused signed request: 401 (who are you), 403 (not you), 503 (too many at once). */
export class SignedRequestError extends PujiangError<ReadAuthErrorCode | 'API_BUSY'> {
  constructor(
    readonly status: 401 | 403 | 503,
    code: ReadAuthErrorCode | 'API_BUSY',
    details: Record<string, unknown> = {},
  ) {
    super(
      code,
      code === 'API_BUSY' ? 'too many signed requests; try later' : READ_AUTH_ERRORS[code],
      details,
    );
    this.name = 'SignedRequestError';
  }
}

/** The key registered for an address, and why its identity is not valid now (if it is not). */
export type SignerLookup<T> = (
  address: string,
) => Promise<(T & { readonly publicKey: PublicKey; readonly problem?: string }) | undefined>;

/** A request as it arrived: its method, the URL the client addressed (Host header's authority) and headers. */
export interface SignedRequestInput {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body received, if any: its `content-digest` (RFC 9530, sha-256) must be signed and match. */
  readonly body?: Uint8Array;
}

/**
 * Checks requests signed by a member (RFC 9421, as `SIGNED_REQUEST` says): one signature
 * labelled `pujiang`, covering the method, authority, path and query (and `content-digest`
 * when a body has one), with `created` at most five minutes old, a nonce not seen before, a
 * `keyid` (the member's address) whose registered key verifies it, and an identity valid now.
 * The node's members-only reads and the data service's deliveries both use it.
 */
export class SignedRequestVerifier<T> {
  /** nonce -> when it may be forgotten (ms), and whose it is. */
  private readonly nonces = new Map<string, { readonly until: number; readonly keyid: string }>();
  /** Nonces remembered per member: one member cannot crowd the others out. */
  private readonly perKey = new Map<string, number>();

  /**
   * `notBefore` (ms): signatures created earlier are refused. A process that keeps its nonces
   * in memory passes its start time, so a signature seen before a restart cannot be replayed.
   */
  constructor(
    private readonly lookup: SignerLookup<T>,
    private readonly now: () => number = Date.now,
    private readonly notBefore = 0,
  ) {}

  /** The signer's address and what the lookup found; throws `SignedRequestError`. */
  async verify(request: SignedRequestInput): Promise<{ readonly address: string; readonly found: T }> {
    // One signature, ours: a request carrying others is refused rather than judged by the last.
    let labels: string[];
    try {
      labels = [...parseDictionary(request.headers['signature-input'] ?? '').keys()];
    } catch {
      labels = [];
    }
    if (labels.length !== 1 || labels[0] !== SIGNED_REQUEST.label)
      throw new SignedRequestError(401, 'API_SIGNATURE_MALFORMED', {
        reason: `one signature labelled ${SIGNED_REQUEST.label}`,
      });
    let found: (T & { readonly publicKey: PublicKey; readonly problem?: string }) | undefined;
    let address = '';
    let nonce: unknown;
    let created = 0;
    let verified: boolean | null;
    try {
      verified = await httpbis.verifyMessage(
        {
          requiredParams: [...SIGNED_REQUEST.params],
          requiredFields: [...SIGNED_REQUEST.components],
          maxAge: SIGNED_REQUEST.maxAgeSeconds,
          notAfter: Math.floor(this.now() / 1000) + SIGNED_REQUEST.clockSkewSeconds,
          keyLookup: async (params) => {
            address = String(params.keyid ?? '');
            created = Number(params.created);
            if (!/^[0-9a-f]{42}$/.test(address)) return null;
            found = await this.lookup(address);
            if (!found) return null;
            nonce = params.nonce;
            const key = found.publicKey;
            return {
              id: address,
              algs: [key.suite],
              verify: async (data, signature, p) =>
                p?.alg === key.suite && verify(key, data, { suite: key.suite, bytes: signature }),
            };
          },
        },
        { method: request.method, url: request.url, headers: { ...request.headers } },
      );
    } catch (error) {
      if (error instanceof ExpiredError) throw new SignedRequestError(401, 'API_SIGNATURE_EXPIRED');
      throw new SignedRequestError(401, 'API_SIGNATURE_MALFORMED', { reason: (error as Error).message });
    }
    if (verified === null || found === undefined)
      throw new SignedRequestError(401, 'API_UNAUTHENTICATED', { reason: 'unknown key' });
    if (!verified) throw new SignedRequestError(401, 'API_SIGNATURE_INVALID', { keyid: address });
    if (created * 1000 < this.notBefore)
      throw new SignedRequestError(401, 'API_SIGNATURE_EXPIRED', {
        reason: 'created before this process started',
      });
    if (
      request.headers['content-digest'] !== undefined &&
      !(request.headers['signature-input'] ?? '').includes(`"${SIGNED_REQUEST.bodyComponent}"`)
    )
      throw new SignedRequestError(401, 'API_SIGNATURE_MALFORMED', {
        reason: 'content-digest is not covered',
      });
    if (request.body !== undefined) checkBodyDigest(request);
    this.useNonce(String(nonce), address);
    if (found.problem !== undefined)
      throw new SignedRequestError(403, 'API_FORBIDDEN', { problem: found.problem });
    return { address, found };
  }

  /** Each nonce once within a signature's lifetime (a replay is refused, not served twice). */
  private useNonce(nonce: string, keyid: string): void {
    const now = this.now();
    if (nonce.length < 16 || nonce.length > 128)
      throw new SignedRequestError(401, 'API_SIGNATURE_MALFORMED', { reason: 'nonce' });
    const seen = this.nonces.get(nonce);
    if (seen !== undefined && seen.until > now) throw new SignedRequestError(401, 'API_SIGNATURE_REPLAYED');
    if (this.nonces.size >= MAX_NONCES || (this.perKey.get(keyid) ?? 0) >= MAX_NONCES_PER_KEY)
      this.forgetExpired(now);
    if (this.nonces.size >= MAX_NONCES || (this.perKey.get(keyid) ?? 0) >= MAX_NONCES_PER_KEY)
      throw new SignedRequestError(503, 'API_BUSY', { keyid });
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

/** A signed body's `content-digest` is present, covered by the signature (checked before) and right. */
function checkBodyDigest(request: SignedRequestInput): void {
  const header = request.headers['content-digest'];
  const expected = `sha-256=:${Buffer.from(hash('sha256', request.body!)).toString('base64')}:`;
  if (
    header === undefined ||
    !(request.headers['signature-input'] ?? '').includes(`"${SIGNED_REQUEST.bodyComponent}"`)
  )
    throw new SignedRequestError(401, 'API_SIGNATURE_MALFORMED', {
      reason: 'a body needs a signed content-digest',
    });
  if (!header.split(',').some((part) => part.trim() === expected))
    throw new SignedRequestError(401, 'API_SIGNATURE_INVALID', {
      reason: 'content-digest does not match the body',
    });
}
