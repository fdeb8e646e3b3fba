import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '@pujiang/protocol';
import { isPujiangError } from '@pujiang/types';
import { ApiError, statusForCode } from './api-error.js';

/** A handler's answer with a status other than 200. */
export class Reply<T = unknown> {
  constructor(
    readonly status: number,
    readonly body: T,
    /** JSON unless said otherwise (a standard's media type, e.g. `application/did+ld+json`). */
    readonly contentType?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/**
 * Request bodies held in memory at once, across all requests: a flood of large bodies is
 * answered 503 instead of exhausting memory. A reservation is released by its `release`.
 */
export class BodyBudget {
  private used = 0;
  constructor(readonly capacity: number) {}

  reserve(bytes: number): () => void {
    if (this.used + bytes > this.capacity) {
      throw new ApiError(503, 'API_BUSY', 'the node is receiving too much at once; retry shortly', {
        inFlightBytes: this.used,
      });
    }
    this.used += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
    };
  }
}

/** The request's media type, lowercased, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Reads a body of at most `limit` bytes; a larger one is `413 API_BODY_TOO_LARGE`. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(new ApiError(400, 'API_BAD_REQUEST', `request stream failed: ${error.message}`));
    });
  });
}

/** Reads a JSON body of at most `limit` bytes; anything else is a typed 4xx. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = mediaType(req);
  if (type !== 'application/json') {
    req.resume();
    throw new ApiError(415, 'API_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', {
      contentType: type,
    });
  }
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'API_BAD_JSON', 'the body is not valid JSON');
  }
}

/**
 * A binary batch (`application/octet-stream`): each transaction as a 4-byte big-endian
 * length and its canonical encoding, back to back. Spares high-rate clients the hex and
 * JSON round trip. Malformed framing is `400 API_BAD_REQUEST`.
 */
export function parseBinaryBatch(body: Buffer, maxItems: number, maxItemBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < body.length) {
    if (out.length >= maxItems)
      throw new ApiError(400, 'API_BAD_REQUEST', `at most ${maxItems} transactions per batch`, {
        count: out.length + 1,
      });
    if (at + 4 > body.length)
      throw new ApiError(400, 'API_BAD_REQUEST', 'truncated length prefix', { offset: at });
    const length = body.readUInt32BE(at);
    at += 4;
    if (length === 0 || length > maxItemBytes || at + length > body.length)
      throw new ApiError(400, 'API_BAD_REQUEST', 'a transaction length is zero, too large or past the end', {
        offset: at - 4,
        length,
      });
    out.push(new Uint8Array(body.buffer, body.byteOffset + at, length));
    at += length;
  }
  return out;
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'API_BODY_TOO_LARGE', `the body is larger than ${limit} bytes`, { limit });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  res.writeHead(status, {
    ...headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The JSON error body for any thrown value; a non-Pujiang error is a bug, answered 500 without internals. */
export function errorBody(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof ApiError)
    return { status: error.status, body: { error: error.toJSON() as ApiErrorBody['error'] } };
  if (isPujiangError(error)) {
    return {
      status: statusForCode(error.code),
      body: { error: { code: error.code, message: error.message, details: { ...error.details } } },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'API_INTERNAL', message: 'internal error; the node logged it', details: {} } },
  };
}
