import type { HashAlgorithm, PublicKey } from '@pujiang/crypto';
import { isPujiangError } from '@pujiang/types';
import { kitError } from './errors.js';
import type { ChainModule, HookContext, MessageContext, StateRead } from './module.js';

/**
 * A module's message handlers over an in-memory state, for unit tests: each `send` (or
 * `sendAsync`, for asynchronous handlers) runs as one transaction (all or nothing) in its
 * own block, and the exports the module imports are played by `call`. Gas is not metered.
 * A handler's context works only while its transaction runs (work that outlives it throws).
 * The node's kernel and real processes are what the CLI's tests exercise.
 */
export interface TestChainOptions {
  readonly module: ChainModule;
  readonly chainId?: string;
  readonly chainHash?: HashAlgorithm;
  /** Plays the imported exports: (sender, module, export, arguments) -> answer, or throws a typed error. */
  readonly call?: (sender: string, module: string, name: string, args: Record<string, unknown>) => unknown;
  /** The first block's height (its time is height x `blockMs`). */
  readonly height?: bigint;
  readonly blockMs?: bigint;
}

export interface TestChain {
  readonly state: Map<string, Uint8Array>;
  readonly events: { readonly type: string; readonly attributes: Record<string, string> }[];
  /**
   * Runs message `type` from `sender` in the next block: 'OK', or the code it failed with (its
   * writes dropped). For synchronous handlers: one that returns a promise throws (use `sendAsync`).
   */
  send(sender: string, type: string, message: unknown, senderKey?: PublicKey): string;
  /**
   * As `send`, awaiting the handler if it returns a promise (a rejection counts as a throw).
   * Calls run one after another, in the order made, as the executor runs transactions.
   */
  sendAsync(sender: string, type: string, message: unknown, senderKey?: PublicKey): Promise<string>;
  read: StateRead;
  /** The last block's height, time and transaction hash. */
  readonly last: { height: bigint; time: bigint; txHash: string };
  /** Moves the chain's clock forward (the next block's time is later by `ms`). */
  advance(ms: bigint): void;
  /** As `send`, with endorsers (addresses) beside the sender, as a multi-signed transaction. */
  sendEndorsed(sender: string, endorsers: readonly string[], type: string, message: unknown): string;
  /**
   * Runs the module's `beginBlock` or `endBlock` hook in the next block (all or nothing, as the
   * node runs it): 'OK', or the code it failed with.
   */
  runHook(phase: 'beginBlock' | 'endBlock'): string;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

export function testChain(o: TestChainOptions): TestChain {
  const state = new Map<string, Uint8Array>();
  const events: { type: string; attributes: Record<string, string> }[] = [];
  const blockMs = o.blockMs ?? 1000n;
  let height = o.height ?? 10n;
  let skew = 0n;
  const last = { height, time: height * blockMs, txHash: '' };
  const snapshot = () => new Map(state);
  const restore = (saved: Map<string, Uint8Array>) => {
    state.clear();
    for (const [k, v] of saved) state.set(k, v);
  };
  /** The running transaction: a context of another (a handler's work that outlived it) throws. */
  let current: object | undefined;
  const ctx = (
    sender: string,
    senderKey: PublicKey | undefined,
    endorsers: readonly string[] = [],
  ): MessageContext => {
    const tx = {};
    current = tx;
    const live = () => {
      if (current !== tx) throw new Error(`${o.module.name}: a context used after its transaction ended`);
    };
    const txHash = (height.toString(16).padStart(8, '0') + sender.slice(0, 8)).padEnd(64, '0');
    Object.assign(last, { height, time: height * blockMs + skew, txHash });
    const c = {
      module: o.module.name,
      height,
      time: height * blockMs + skew,
      chainHash: o.chainHash ?? 'sha256',
      chainId: o.chainId ?? 'test',
      txHash,
      sender,
      senderKey: senderKey ?? { suite: 'ed25519', bytes: new Uint8Array(32) },
      endorsers: endorsers.map((address) => ({
        address,
        key: { suite: 'ed25519', bytes: new Uint8Array(32) },
      })),
      gasLeft: () => {
        live();
        return 1_000_000_000;
      },
      consume: live,
      get: (k: string) => {
        live();
        return state.get(k);
      },
      set: (k: string, v: Uint8Array | undefined) => {
        live();
        return v === undefined ? state.delete(k) : state.set(k, v);
      },
      emit: (type: string, attributes: Record<string, string>) => {
        live();
        events.push({ type, attributes });
      },
      call: (module: string, name: string, args: Record<string, unknown>) => {
        live();
        if (!o.call) throw new Error(`unexpected call ${module}/${name}`);
        return o.call(sender, module, name, args);
      },
      callRemote: () => {
        throw new Error('no remote calls in a test chain');
      },
      attempt: (run: () => unknown) => {
        live();
        const saved = snapshot();
        let value: unknown;
        try {
          value = run();
        } catch (error) {
          restore(saved);
          if (!isPujiangError(error)) throw error;
          return { ok: false, error };
        }
        // As the node: an asynchronous function fails the whole transaction.
        if (isThenable(value))
          throw kitError('MODULE_INVALID', 'attempt takes a synchronous function', { module: o.module.name });
        return { ok: true, value };
      },
    };
    return c as unknown as MessageContext;
  };
  /** A transaction's start: the next block, its handler, and how to undo it. */
  const begin = (type: string) => {
    height++;
    const handler = Object.hasOwn(o.module.messages, type) ? o.module.messages[type] : undefined;
    if (!handler) throw new Error(`${o.module.name} has no message ${type}`);
    const saved = snapshot();
    const eventCount = events.length;
    return {
      handler,
      /** Drops the transaction's writes and events: its code, or rethrows what is not a typed error. */
      fail(error: unknown): string {
        restore(saved);
        events.length = eventCount;
        if (isPujiangError(error)) return error.code;
        throw error;
      },
    };
  };
  /** The `sendAsync` calls in flight, and the last one's end (each waits for the one before). */
  let running = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const sendSync = (
    sender: string,
    type: string,
    message: unknown,
    senderKey: PublicKey | undefined,
    endorsers: readonly string[],
  ): string => {
    if (running > 0) throw new Error('send while a sendAsync is running: await it first');
    const tx = begin(type);
    let result: void | Promise<void>;
    try {
      result = tx.handler.handle(ctx(sender, senderKey, endorsers), message);
    } catch (error) {
      return tx.fail(error);
    } finally {
      current = undefined;
    }
    if (isThenable(result)) {
      // Its writes so far are dropped, and its context is dead: what it does next throws.
      tx.fail(kitError('MODULE_INVALID', 'asynchronous handler'));
      void Promise.resolve(result).catch(() => {});
      throw new Error(`${o.module.name}/${type} is asynchronous: use sendAsync`);
    }
    return 'OK';
  };
  return {
    state,
    events,
    last,
    read: (k) => state.get(k),
    advance: (ms) => {
      skew += ms;
    },
    send(sender, type, message, senderKey) {
      return sendSync(sender, type, message, senderKey, []);
    },
    sendEndorsed(sender, endorsers, type, message) {
      return sendSync(sender, type, message, undefined, endorsers);
    },
    runHook(phase) {
      const hook = o.module[phase];
      if (!hook) throw new Error(`${o.module.name} has no ${phase} hook`);
      height++;
      const saved = snapshot();
      const eventCount = events.length;
      try {
        hook.run({ ...ctx('', undefined), phase } as unknown as HookContext);
        return 'OK';
      } catch (error) {
        restore(saved);
        events.length = eventCount;
        if (isPujiangError(error)) return error.code;
        throw error;
      } finally {
        current = undefined;
      }
    },
    sendAsync(sender, type, message, senderKey) {
      running++;
      const run = async (): Promise<string> => {
        try {
          const tx = begin(type);
          try {
            await tx.handler.handle(ctx(sender, senderKey), message);
            return 'OK';
          } catch (error) {
            return tx.fail(error);
          }
        } finally {
          current = undefined;
          running--;
        }
      };
      const result = queue.then(run);
      queue = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
  };
}
