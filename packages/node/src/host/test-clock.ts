import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash } from '@pujiang/crypto';
import { bytesToHex, PujiangError, utf8ToBytes } from '@pujiang/types';
import { TESTING_CLOCK_PATH, type TestingClockState } from '../api/testing-clock.js';
import type { TestingConfig } from './config.js';
import { writeFileAtomic } from './fs-atomic.js';

/**
 * A test chain's clock from outside its nodes: the bearer token a home keeps for its node's
 * `/v1/testing/clock` route, and the calls that read and move one node's clock or every
 * node's of a network.
 */
export const CLOCK_TOKEN_FILE = 'clock_token';

export type TestClockErrorCode = 'NODE_CLOCK_TOKEN_MISSING' | 'NODE_CLOCK_REQUEST_FAILED';

/** Where a home keeps its node's clock token (mode 0600; config.json holds only its digest). */
export const clockTokenPath = (home: string) => join(home, CLOCK_TOKEN_FILE);

/** A new clock token, and the config section that lets it move the clock (config.json keeps only its digest). */
export function newClockToken(): { token: string; testing: TestingConfig } {
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    testing: { clockOffsetMs: 0, clockTokenSha256: [bytesToHex(hash('sha256', utf8ToBytes(token)))] },
  };
}

/** Keeps a clock token in the home, readable by the owner only. */
export function writeClockToken(home: string, token: string): void {
  writeFileAtomic(clockTokenPath(home), `${token}\n`, 0o600);
}

/** The clock token a home keeps (`NODE_CLOCK_TOKEN_MISSING` if it has none: not made with --test-clock). */
export function readClockToken(home: string): string {
  try {
    return readFileSync(clockTokenPath(home), 'utf8').trim();
  } catch (error) {
    throw new PujiangError<TestClockErrorCode>(
      'NODE_CLOCK_TOKEN_MISSING',
      `${home} holds no ${CLOCK_TOKEN_FILE}: was it made with --test-clock?`,
      { home, cause: (error as Error).message },
    );
  }
}

/** A node to call: its API URL and its token (or the home to read the token from). */
export type ClockNode = { readonly api: string } & ({ readonly token: string } | { readonly home: string });

/** One change of a node's clock: forward by `advanceMs`, to offset `offsetMs`, or to read `timeMs`. */
export type ClockChange = { advanceMs: number } | { offsetMs: number } | { timeMs: number };

/** Reads a node's clock (`GET /v1/testing/clock`). */
export function nodeClock(node: ClockNode): Promise<TestingClockState> {
  return call(node, 'GET');
}

/** Changes a node's clock (`POST /v1/testing/clock`); a refusal throws the node's typed code. */
export function setNodeClock(node: ClockNode, change: ClockChange): Promise<TestingClockState> {
  return call(node, 'POST', change);
}

/**
 * Moves every node's clock of a network forward by `advanceMs`, to the same offset (the
 * largest any of them has, plus `advanceMs`), so whichever node proposes, blocks after the
 * call are at least that much later. Resolves with each node's answer, in order.
 */
export async function advanceNetworkClock(
  nodes: readonly ClockNode[],
  advanceMs: number,
): Promise<TestingClockState[]> {
  const offsets = await Promise.all(nodes.map((node) => nodeClock(node)));
  const offsetMs = Math.max(...offsets.map((s) => s.offsetMs)) + advanceMs;
  return Promise.all(nodes.map((node) => setNodeClock(node, { offsetMs })));
}

async function call(node: ClockNode, method: 'GET' | 'POST', body?: unknown): Promise<TestingClockState> {
  const token = 'token' in node ? node.token : readClockToken(node.home);
  const url = `${node.api.replace(/\/+$/, '')}${TESTING_CLOCK_PATH}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new PujiangError<TestClockErrorCode>('NODE_CLOCK_REQUEST_FAILED', `${method} ${url} failed`, {
      url,
      cause: (error as Error).message,
    });
  }
  const answer = (await res.json().catch(() => undefined)) as
    | (TestingClockState & { error?: { code: string; message: string; details: Record<string, unknown> } })
    | undefined;
  if (res.ok && answer && answer.error === undefined) return answer;
  const error = answer?.error;
  if (error) throw new PujiangError(error.code, error.message, { ...error.details, status: res.status });
  throw new PujiangError<TestClockErrorCode>(
    'NODE_CLOCK_REQUEST_FAILED',
    `${method} ${url} answered ${res.status}`,
    { url, status: res.status },
  );
}
