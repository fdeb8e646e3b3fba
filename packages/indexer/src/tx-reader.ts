import { PujiangError } from '@pujiang/types';
import { indexerError } from './errors.js';
import type { ChainEventLike } from './rows.js';

/** The fields of `GET /v1/txs/{hash}` the indexer uses. */
export interface TxView {
  readonly status: string;
  readonly height: number;
  readonly index: number;
  readonly raw: string;
  readonly tx: {
    readonly suite: string;
    readonly publicKey: string;
    readonly module: string;
    readonly type: string;
    readonly nonce: string;
    readonly gasLimit: string;
  };
  readonly receipt: {
    readonly code: string;
    readonly gasUsed: number;
    readonly events: readonly ChainEventLike[];
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const U64 = /^(0|[1-9][0-9]{0,19})$/;

function isEvent(e: unknown): e is ChainEventLike {
  const v = e as ChainEventLike | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    isString(v.module) &&
    isString(v.type) &&
    typeof v.attributes === 'object' &&
    v.attributes !== null &&
    !Array.isArray(v.attributes) &&
    Object.values(v.attributes).every(isString)
  );
}

/** Whether a committed transaction's answer has every field the rows take, of the right kind. */
export function isTxView(body: unknown): body is TxView {
  const b = body as TxView | null;
  if (typeof b !== 'object' || b === null || typeof b.tx !== 'object' || b.tx === null) return false;
  const { tx, receipt } = b;
  return (
    isString(b.status) &&
    isCount(b.height) &&
    isCount(b.index) &&
    isString(b.raw) &&
    isString(tx.suite) &&
    isString(tx.publicKey) &&
    isString(tx.module) &&
    isString(tx.type) &&
    isString(tx.nonce) &&
    U64.test(tx.nonce) &&
    isString(tx.gasLimit) &&
    U64.test(tx.gasLimit) &&
    typeof receipt === 'object' &&
    receipt !== null &&
    isString(receipt.code) &&
    isCount(receipt.gasUsed) &&
    Array.isArray(receipt.events) &&
    receipt.events.every(isEvent)
  );
}

/**
 * `GET /v1/txs/{hash}`, once per indexed transaction: the hot path. It checks only the
 * fields the rows take (the SDK client's full check of the answer, proofs included, cost
 * about a fifth of the indexer's CPU per transaction). A refused or unanswered request is
 * `SDK_NETWORK_ERROR` (retried) when a retry may cure it, else the node's code.
 */
export async function readTx(fetch: typeof globalThis.fetch, baseUrl: string, hash: string): Promise<TxView> {
  const url = `${baseUrl}/v1/txs/${hash}`;
  let status: number;
  let text: string;
  try {
    const res = await fetch(url);
    status = res.status;
    text = await res.text();
  } catch (error) {
    throw new PujiangError('SDK_NETWORK_ERROR', `GET ${url} failed: ${(error as Error).message}`, { url });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status !== 200) {
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (status >= 500 || status === 429)
      throw new PujiangError('SDK_NETWORK_ERROR', `GET ${url} answered ${status}`, { url, status });
    throw new PujiangError(isString(code) ? code : 'SDK_HTTP_ERROR', `GET ${url} answered ${status}`, {
      url,
      status,
    });
  }
  if (!isTxView(body))
    throw indexerError('INDEX_NODE_INCONSISTENT', `GET ${url} answered something else than a transaction`, {
      hash,
    });
  return body;
}
