import { ApiError, type SendTransactionReturnType } from '@pujiang/module-kit';
import type { ChainEvent, Receipt } from '@pujiang/protocol';
import { type CommandIo, EXIT, printJson, usageError } from './io.js';
import { intOption } from './options.js';

/**
 * What every command that signs and sends a transaction shares: the node's URL, waiting for
 * the commit, and one way to report the outcome (exit 0 committed OK, 1 refused by the node
 * or failed in its block, 3 still pending).
 */
export const NODE_OPTIONS = {
  node: { type: 'string' },
  api: { type: 'string' },
  /** A member's key file that signs every request (RFC 9421): what a members-only node needs. */
  'sign-as': { type: 'string' },
} as const;

export const SEND_OPTIONS = {
  ...NODE_OPTIONS,
  key: { type: 'string' },
  'no-wait': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
} as const;

export const DEFAULT_NODE_URL = 'http://127.0.0.1:26657';

/** The node's URL: `--node URL` (or its alias `--api URL`), else $PUJIANG_NODE, else the local default. */
export function nodeUrl(values: NodeOptionValues): string {
  if (values.node !== undefined && values.api !== undefined && values.node !== values.api)
    throw usageError('--api is another name for --node: give one of them', { option: 'api' });
  const url = values.node ?? values.api ?? process.env.PUJIANG_NODE ?? DEFAULT_NODE_URL;
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw usageError(`${url} is not an http(s) URL`, { option: 'node' });
  return url;
}

export interface NodeOptionValues {
  node?: string | undefined;
  api?: string | undefined;
  'sign-as'?: string | undefined;
}

export interface WaitChoice {
  wait: boolean;
  waitTimeoutMs?: number;
  /** Commands print a failed receipt and exit 1 (`sendAndReport`) rather than throw. */
  throwOnFailure: false;
}

export function waitChoice(values: Record<string, unknown>): WaitChoice {
  const timeout = intOption(values, 'timeout-ms', 0, 60_000);
  return {
    wait: !values['no-wait'],
    throwOnFailure: false,
    ...(timeout === undefined ? {} : { waitTimeoutMs: timeout }),
  };
}

/**
 * A refusal of the transaction itself (its signer is no member, a bad nonce, a policy not
 * met): the node answered 4xx with the refusing module's code. Malformed requests (`API_*`)
 * and a full mempool (429, try again) are not verdicts on the transaction.
 */
function isRefusal(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 429 &&
    !error.code.startsWith('API_')
  );
}

/** The events a module emitted in a receipt, by type. */
export function eventsOf(receipt: Receipt | undefined, module: string, type: string): ChainEvent[] {
  return (receipt?.events ?? []).filter((e) => e.module === module && e.type === type);
}

export interface Sent {
  readonly sent: SendTransactionReturnType;
  /** Committed in a block with code OK. */
  readonly ok: boolean;
}

/**
 * Sends, prints `{hash, status, height, index, receipt, nonce, ...extra}` (or
 * `{status: "refused", code, message, details}`), and returns the exit code.
 * `extra` adds what the command learnt from the receipt; it may also return an exit code
 * (a proposal that executed as `failed`, say).
 */
export async function sendAndReport(
  io: CommandIo,
  choice: WaitChoice,
  send: () => Promise<SendTransactionReturnType>,
  extra: (sent: SendTransactionReturnType) => {
    fields?: Record<string, unknown>;
    exit?: number;
  } = () => ({}),
): Promise<number> {
  let sent: SendTransactionReturnType;
  try {
    sent = await send();
  } catch (error) {
    if (!isRefusal(error)) throw error;
    printJson(io, { status: 'refused', code: error.code, message: error.message, details: error.details });
    io.err(`refused ${error.code}: ${error.message}`);
    return EXIT.invalid;
  }
  const { result } = sent;
  const more = result.status === 'committed' && result.receipt?.code === 'OK' ? extra(sent) : {};
  printJson(io, { ...result, nonce: sent.nonce, ...more.fields });
  if (result.status !== 'committed') return choice.wait ? EXIT.pending : EXIT.ok;
  if (result.receipt?.code !== 'OK') {
    io.err(`failed ${result.receipt?.code ?? 'UNKNOWN'}: ${result.receipt?.message ?? ''}`);
    return EXIT.invalid;
  }
  return more.exit ?? EXIT.ok;
}
