import { API, type EventMessage } from '@pujiang/protocol';
import { PujiangError } from '@pujiang/types';
import { sdkError } from './errors.js';
import { expectResponse } from './shapes.js';

export type { EventMessage } from '@pujiang/protocol';

export interface SubscribeParameters {
  /** The node's base URL (`http(s)://` or `ws(s)://`); `/v1/events` is appended unless present. */
  url: string;
  /** Replay committed history from this height before going live. */
  fromHeight?: number;
  blocks?: boolean;
  txs?: boolean;
  events?: boolean;
  /** Only chain events of this module... */
  module?: string;
  /** ...and of this type... */
  type?: string;
  /** ...whose attributes have these values. */
  attributes?: Record<string, string>;
}

/** The parts of a WebSocket this module uses, shared by the WHATWG class and `ws`. */
export interface WebSocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string | Buffer }) => void) | null;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface SubscribeOptions {
  /** Called once with the error that ended the subscription (not after `close()`). */
  onError?: (error: Error) => void;
  onOpen?: () => void;
  /** Default: `globalThis.WebSocket` when the runtime has one, else the `ws` package. */
  WebSocket?: WebSocketConstructor;
}

export interface Subscription {
  /** Stops the subscription; `done` then resolves with undefined. */
  close(): void;
  /**
   * Settles once when the subscription ends: undefined after `close()`, otherwise the
   * error that ended it (`SDK_NETWORK_ERROR` if it never connected, the server's code if it
   * sent an error message, `SDK_SUBSCRIPTION_CLOSED` if the connection dropped). Never rejects.
   */
  readonly done: Promise<Error | undefined>;
  /**
   * Resolves once the node has the subscription (its WebSocket is open): a transaction sent
   * after it is seen. Rejects with `done`'s error if it ended first.
   */
  readonly ready: Promise<void>;
}

function setFlag(q: URLSearchParams, name: string, value: boolean | undefined): void {
  if (value !== undefined) q.set(name, String(value));
}

/** The WebSocket URL for `parameters`. */
export function eventsUrl(parameters: SubscribeParameters): string {
  let url: URL;
  try {
    url = new URL(parameters.url);
  } catch {
    throw sdkError('SDK_INVALID_ARGUMENT', 'url must be an absolute URL', { parameter: 'url' });
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw sdkError('SDK_INVALID_ARGUMENT', 'url must be http(s) or ws(s)', { parameter: 'url' });
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = base.endsWith(API.events.path) ? base : `${base}${API.events.path}`;
  const q = url.searchParams;
  if (parameters.fromHeight !== undefined) {
    if (!Number.isSafeInteger(parameters.fromHeight) || parameters.fromHeight < 1)
      throw sdkError('SDK_INVALID_ARGUMENT', 'fromHeight must be a positive integer', {
        parameter: 'fromHeight',
      });
    q.set('fromHeight', String(parameters.fromHeight));
  }
  setFlag(q, 'blocks', parameters.blocks);
  setFlag(q, 'txs', parameters.txs);
  setFlag(q, 'events', parameters.events);
  if (parameters.module !== undefined) q.set('module', parameters.module);
  if (parameters.type !== undefined) q.set('type', parameters.type);
  for (const [name, value] of Object.entries(parameters.attributes ?? {})) q.set(`attr.${name}`, value);
  return url.toString();
}

async function defaultWebSocket(): Promise<WebSocketConstructor> {
  const native = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (native) return native;
  // Loaded only when needed, so a browser bundle never pulls in `ws`.
  const ws = await import('ws');
  return ws.WebSocket as unknown as WebSocketConstructor;
}

function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data as Uint8Array);
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  return String(data);
}

function errorMessageOf(event: unknown): string {
  const e = event as { message?: unknown; error?: { message?: unknown } } | undefined;
  return String(e?.message ?? e?.error?.message ?? 'WebSocket error');
}

/**
 * Subscribes to the node's events: the replay from `fromHeight`, then `caughtUp`, then
 * live messages, each passed to `onMessage` in order. Does not reconnect: an ended
 * subscription reports why through `done` and `onError`; resume with a new one from the
 * last height seen.
 */
export function subscribe(
  parameters: SubscribeParameters,
  onMessage: (message: EventMessage) => void,
  options: SubscribeOptions = {},
): Subscription {
  const url = eventsUrl(parameters);
  let socket: WebSocketLike | undefined;
  let ended = false;
  let opened = false;
  let lastError: string | undefined;
  let serverError: PujiangError | undefined;
  let settle: (error: Error | undefined) => void = () => {};
  const done = new Promise<Error | undefined>((resolve) => {
    settle = resolve;
  });
  let markReady: () => void = () => {};
  let failReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => {}); // a caller who never awaits it is not told twice

  const end = (error: Error | undefined): void => {
    if (ended) return;
    ended = true;
    if (socket) {
      socket.onmessage = null;
      try {
        socket.close(1000);
      } catch {
        // already closed
      }
    }
    settle(error);
    failReady(error ?? sdkError('SDK_SUBSCRIPTION_CLOSED', 'the subscription was closed', { url }));
    if (error) options.onError?.(error);
  };

  const connect = (WS: WebSocketConstructor): void => {
    if (ended) return;
    const ws = new WS(url);
    socket = ws;
    ws.onopen = () => {
      opened = true;
      markReady();
      options.onOpen?.();
    };
    ws.onmessage = (event) => {
      if (ended) return;
      let message: EventMessage;
      try {
        message = expectResponse(API.events.response, JSON.parse(textOf(event.data)), url);
      } catch (error) {
        end(
          error instanceof PujiangError
            ? error
            : sdkError('SDK_BAD_RESPONSE', 'the event stream sent something other than JSON', { url }),
        );
        return;
      }
      if (message.type === 'error')
        serverError = new PujiangError(message.error.code, message.error.message, message.error.details);
      try {
        onMessage(message);
      } catch (error) {
        // A throwing handler ends the subscription rather than the process.
        end(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // An error message is the server's last word, whether or not it closes the socket.
      if (serverError) end(serverError);
    };
    ws.onerror = (event) => {
      lastError = errorMessageOf(event);
    };
    ws.onclose = (event) => {
      if (serverError) return end(serverError);
      if (!opened)
        return end(
          sdkError('SDK_NETWORK_ERROR', `cannot subscribe to ${url}: ${lastError ?? 'connection closed'}`, {
            url,
          }),
        );
      end(
        sdkError('SDK_SUBSCRIPTION_CLOSED', `the event stream closed (${event.code})`, {
          url,
          code: event.code,
          reason: String(event.reason ?? ''),
        }),
      );
    };
  };

  (options.WebSocket ? Promise.resolve(options.WebSocket) : defaultWebSocket())
    .then(connect)
    .catch((error: unknown) =>
      end(
        sdkError(
          'SDK_NETWORK_ERROR',
          `cannot subscribe to ${url}: ${(error as Error)?.message ?? String(error)}`,
          { url },
          error,
        ),
      ),
    );

  return { close: () => end(undefined), done, ready };
}

/** Every message but `error`: an event stream throws those instead. */
export type StreamMessage = Exclude<EventMessage, { type: 'error' }>;

export interface EventStream extends AsyncIterableIterator<StreamMessage> {
  close(): void;
}

/**
 * The subscription as an async iterator: `for await (const m of eventStream(...))`. The
 * loop throws the error that ended the stream (the server's `error` message becomes a
 * `PujiangError` with its code); `break` or `close()` ends it quietly. Messages are
 * buffered while the loop body runs.
 */
export function eventStream(
  parameters: SubscribeParameters,
  options: Omit<SubscribeOptions, 'onError'> = {},
): EventStream {
  const queue: StreamMessage[] = [];
  let finished = false;
  let failure: Error | undefined;
  let waiter: { resolve: (r: IteratorResult<StreamMessage>) => void; reject: (e: Error) => void } | undefined;

  const subscription = subscribe(
    parameters,
    (message) => {
      if (message.type === 'error') return; // ends the subscription; reported through `done`
      if (waiter) {
        const w = waiter;
        waiter = undefined;
        w.resolve({ value: message, done: false });
      } else queue.push(message);
    },
    options,
  );
  void subscription.done.then((error) => {
    finished = true;
    failure = error;
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      if (failure) {
        const e = failure;
        failure = undefined;
        w.reject(e);
      } else w.resolve({ value: undefined, done: true });
    }
  });

  const stream: EventStream = {
    next() {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (finished) {
        if (failure) {
          const e = failure;
          failure = undefined;
          return Promise.reject(e);
        }
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
      });
    },
    return() {
      subscription.close();
      queue.length = 0;
      failure = undefined;
      return Promise.resolve({ value: undefined, done: true });
    },
    close() {
      subscription.close();
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
