import type { HashAlgorithm, PublicKey } from '@pujiang/crypto';
import { isPujiangError } from '@pujiang/types';
import type { ChainModule, MessageContext, StateRead } from './module.js';

/**
 * A module's message handlers over an in-memory state, for unit tests: each `send` runs as
 * one transaction (all or nothing) in its own block, and the exports the module imports are
 * played by `call`. Gas is not metered. The node's kernel and real processes are what the
 * CLI's tests exercise.
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
  /** Runs message `type` from `sender` in the next block: 'OK', or the code it failed with (its writes dropped). */
  send(sender: string, type: string, message: unknown, senderKey?: PublicKey): string;
  read: StateRead;
  /** The last block's height, time and transaction hash. */
  readonly last: { height: bigint; time: bigint; txHash: string };
  /** Moves the chain's clock forward (the next block's time is later by `ms`). */
  advance(ms: bigint): void;
}

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
  const ctx = (sender: string, senderKey: PublicKey | undefined): MessageContext => {
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
      endorsers: [],
      gasLeft: () => 1_000_000_000,
      consume: () => {},
      get: (k: string) => state.get(k),
      set: (k: string, v: Uint8Array | undefined) => (v === undefined ? state.delete(k) : state.set(k, v)),
      emit: (type: string, attributes: Record<string, string>) => events.push({ type, attributes }),
      call: (module: string, name: string, args: Record<string, unknown>) => {
        if (!o.call) throw new Error(`unexpected call ${module}/${name}`);
        return o.call(sender, module, name, args);
      },
      callRemote: () => {
        throw new Error('no remote calls in a test chain');
      },
      attempt: (run: () => unknown) => {
        const saved = snapshot();
        try {
          return { ok: true, value: run() };
        } catch (error) {
          restore(saved);
          if (!isPujiangError(error)) throw error;
          return { ok: false, error };
        }
      },
    };
    return c as unknown as MessageContext;
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
      height++;
      const handler = o.module.messages[type];
      if (!handler) throw new Error(`${o.module.name} has no message ${type}`);
      const saved = snapshot();
      const eventCount = events.length;
      try {
        handler.handle(ctx(sender, senderKey), message);
        return 'OK';
      } catch (error) {
        restore(saved);
        events.length = eventCount;
        if (isPujiangError(error)) return error.code;
        throw error;
      }
    },
  };
}
