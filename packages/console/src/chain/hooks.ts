import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Connection } from './connection.js';

export const ConnectionContext = createContext<Connection | undefined>(undefined);

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('no connection: render inside ConnectionContext');
  return connection;
}

export interface AsyncState<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
}

/**
 * Runs `load` when `deps` change, and again every `pollMs` if given; an answer that arrives
 * after the inputs changed is dropped, so a slow reply never overwrites a newer one.
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  pollMs?: number,
): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      load().then(
        (data) => {
          if (generation.current === mine) setState({ data, loading: false });
        },
        (error: unknown) => {
          if (generation.current === mine) setState((s) => ({ ...s, error, loading: false }));
        },
      );
      if (pollMs) timer = setTimeout(run, pollMs);
    };
    setState((s) => ({ ...(s.data === undefined ? {} : { data: s.data }), loading: true }));
    run();
    return () => {
      generation.current++;
      if (timer) clearTimeout(timer);
    };
  }, deps);
  return state;
}

/** A readable message for any thrown value (a typed error shows its code). */
export function errorText(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown };
    if (typeof e.code === 'string') return `${e.code}: ${String(e.message ?? '')}`;
    if (typeof e.message === 'string') return e.message;
  }
  return String(error);
}
