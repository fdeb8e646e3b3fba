import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hash } from '@pujiang/crypto';
import { isPujiangError, utf8ToBytes } from '@pujiang/types';
import { allowsClockControl, clockControlRefused } from '../clock.js';
import type { ValidatorNode } from '../validator-node.js';
import { ApiError } from './api-error.js';

/** Reads (GET) and moves forward (POST) a test chain's node clock. */
export const TESTING_CLOCK_PATH = '/v1/testing/clock';
/** The largest body the route reads: one small JSON object. */
export const TESTING_CLOCK_MAX_BODY = 1024;

export type TestingClockErrorCode = 'NODE_CLOCK_CONTROL_REFUSED' | 'NODE_CLOCK_UNAUTHORIZED';

/** What both methods answer: the clock after the change, and the chain's latest block time. */
export interface TestingClockState {
  /** Block time's offset from this node's wall clock. */
  readonly offsetMs: number;
  /** The node clock's reading (Unix ms): blocks it proposes from now on are at least this late. */
  readonly nowMs: number;
  readonly height: number;
  readonly lastBlockTimeMs: number;
}

/** One change per request: exactly one of these fields. */
const FIELDS = ['advanceMs', 'offsetMs', 'timeMs'] as const;

/**
 * The test clock's route. Refused (403 `NODE_CLOCK_CONTROL_REFUSED`) unless the genesis
 * allows clock control; then only for a bearer token whose SHA-256 digest the node's config
 * lists (`testing.clockTokenSha256`; else 401 `NODE_CLOCK_UNAUTHORIZED`), as the VC-API
 * authorizes its issuers. The clock only moves forward (409 `NODE_CLOCK_BACKWARDS`).
 */
export class TestingClockRoute {
  private readonly digests: readonly Buffer[];

  constructor(
    private readonly node: ValidatorNode,
    tokenDigests: readonly string[],
  ) {
    this.digests = tokenDigests.map((d) => Buffer.from(d, 'hex'));
  }

  /** Throws the refusal a request gets before its body is read, if any. */
  authorize(req: IncomingMessage): void {
    const genesis = this.node.chain.genesis;
    if (!allowsClockControl(genesis)) {
      const refused = clockControlRefused(genesis.chainId);
      throw new ApiError(403, refused.code, refused.message, { ...refused.details });
    }
    const token = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/.exec(req.headers.authorization ?? '')?.[1];
    const digest = token === undefined ? undefined : Buffer.from(hash('sha256', utf8ToBytes(token)));
    let known = false;
    // Every configured digest is compared, in constant time, whatever matched before.
    for (const d of this.digests) if (digest !== undefined && timingSafeEqual(digest, d)) known = true;
    if (!known)
      throw new ApiError(
        401,
        'NODE_CLOCK_UNAUTHORIZED',
        "a bearer token whose SHA-256 is in this node's config testing.clockTokenSha256 is required",
      );
  }

  state(): TestingClockState {
    const { clock, chain } = this.node;
    return {
      offsetMs: clock.offsetMs,
      nowMs: Number(clock.now()),
      height: Number(chain.height),
      lastBlockTimeMs: Number(chain.lastBlockTime),
    };
  }

  /** Applies `{"advanceMs"}`, `{"offsetMs"}` or `{"timeMs"}` (integers, ms) and answers the new state. */
  change(body: unknown): TestingClockState {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ApiError(400, 'API_BAD_REQUEST', 'the body is a JSON object');
    const given = Object.keys(body);
    const field = FIELDS.find((f) => given.includes(f));
    if (given.length !== 1 || field === undefined)
      throw new ApiError(400, 'API_BAD_REQUEST', `give exactly one of ${FIELDS.join(', ')}`, {
        fields: given.slice(0, 8),
      });
    const value = (body as Record<string, unknown>)[field];
    if (!Number.isSafeInteger(value))
      throw new ApiError(400, 'API_BAD_REQUEST', `${field} must be an integer number of ms`, { field });
    const clock = this.node.clock;
    try {
      if (field === 'advanceMs') clock.advance(value as number);
      else if (field === 'offsetMs') clock.setOffset(value as number);
      else clock.setTime(value as number);
    } catch (error) {
      if (!isPujiangError(error)) throw error;
      const status = error.code === 'NODE_CLOCK_BACKWARDS' ? 409 : 400;
      throw new ApiError(status, error.code, error.message, { ...error.details });
    }
    return this.state();
  }
}
