import { invalidArgument, objectArgument, type RequestOptions } from '@pujiang/module-kit';
import { type RequestSigner, signatureHeaders } from '@pujiang/module-kit/signed-requests';
import { ApiError, sdkError } from './errors.js';

export type { RequestOptions } from '@pujiang/module-kit';

export interface HttpTransport {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
  readonly headers: Readonly<Record<string, string>>;
  /** Signs each request as a member (RFC 9421), for members-only nodes. */
  readonly signer?: RequestSigner;
}

function isApiErrorBody(
  body: unknown,
): body is { error: { code: string; message: string; details?: unknown } } {
  if (typeof body !== 'object' || body === null) return false;
  const e = (body as { error?: unknown }).error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

function detailsOf(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : {};
}

/** The server's refusal as a typed error; a non-API body (a proxy page) is `SDK_HTTP_ERROR`. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (isApiErrorBody(body))
    return new ApiError(status, body.error.code, body.error.message, detailsOf(body.error.details));
  return new ApiError(status, 'SDK_HTTP_ERROR', `the node answered HTTP ${status}`, {});
}

/**
 * One JSON request. Maps every way it can fail onto a typed error: no answer
 * (`SDK_NETWORK_ERROR`), too late (`SDK_TIMEOUT`), a refusal (`ApiError` with the node's
 * code), or an answer that is not JSON (`SDK_BAD_RESPONSE`). Returns the parsed JSON,
 * which the caller still checks for shape.
 */
export async function requestJson(
  transport: HttpTransport,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  options: RequestOptions = {},
): Promise<unknown> {
  const url = transport.baseUrl + path;
  objectArgument(options, 'options');
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0))
    throw invalidArgument('timeoutMs must be a positive number', 'timeoutMs');
  const timeoutMs = options.timeoutMs ?? transport.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let text: string;
  let status: number;
  const bodyText = body === undefined ? undefined : JSON.stringify(body);
  const signature = transport.signer ? await signatureHeaders(transport.signer, method, url, bodyText) : {};
  try {
    const response = await transport.fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...transport.headers,
        ...signature,
      },
      ...(bodyText === undefined ? {} : { body: bodyText }),
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted)
      throw sdkError('SDK_TIMEOUT', `no answer from ${method} ${path} within ${timeoutMs} ms`, {
        url,
        timeoutMs,
      });
    // undici reports a refused or reset connection as TypeError('fetch failed') with the cause.
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    throw sdkError(
      'SDK_NETWORK_ERROR',
      `${method} ${url} failed: ${String(cause?.message ?? (error as Error).message)}`,
      { url, ...(typeof cause?.code === 'string' ? { cause: cause.code } : {}) },
      error,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (status < 200 || status > 299) throw apiErrorFrom(status, undefined);
    throw sdkError('SDK_BAD_RESPONSE', `${method} ${path} answered with something other than JSON`, {
      url,
      status,
    });
  }
  if (status < 200 || status > 299) throw apiErrorFrom(status, json);
  return json;
}
